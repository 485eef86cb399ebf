"""Guard against the PySide6 6.12.0 / Python 3.11 refcount bug ("bool_dealloc").

That combination aborts the process after a few thousand signal emits. The test emits
200,000 queued signals from worker threads, carrying the bools and None that the bug
corrupts; an affected install crashes the test process, so the suite fails.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QThread, Signal, Slot


class _Emitter(QObject):
    fired = Signal(bool, object, int)


class _Receiver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0
        self.trues = 0

    @Slot(bool, object, int)
    def _on_fired(self, flag: bool, payload: object, number: int) -> None:
        self.count += 1
        self.trues += flag is True and payload is None


def test_200k_cross_thread_signals_survive(qtbot) -> None:  # type: ignore[no-untyped-def]
    total, threads = 200_000, 4
    receiver = _Receiver()
    emitter = _Emitter()
    emitter.fired.connect(receiver._on_fired)
    assert QThread.currentThread() is receiver.thread()

    def emit_many(n: int) -> None:
        for i in range(n):
            emitter.fired.emit(i % 2 == 0, None, i)

    workers = [threading.Thread(target=emit_many, args=(total // threads,)) for _ in range(threads)]
    for worker in workers:
        worker.start()
    qtbot.waitUntil(lambda: receiver.count == total, timeout=120_000)
    for worker in workers:
        worker.join()
    assert receiver.trues == total // 2
