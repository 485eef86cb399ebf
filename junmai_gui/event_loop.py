"""asyncio on the Qt event loop: the one module that imports qasync.

The app builds its QCoreApplication/QApplication, then `run_on_qt_loop` runs a coroutine on
a qasync loop that *is* the Qt event loop, so aiohttp handlers, Qt signals and QTimers all
run on the main thread. Python 3.11's `asyncio.run` has no `loop_factory`, hence the
`asyncio.Runner`. Unix signals (SIGINT, SIGTERM) reach Python while Qt's C++ loop sleeps
through a wake-up socket watched by a QSocketNotifier.
"""

from __future__ import annotations

import asyncio
import signal
import socket
from collections.abc import Callable, Coroutine
from typing import Any

import qasync
from PySide6.QtCore import QCoreApplication, QObject, QSocketNotifier


def run_on_qt_loop(app: QCoreApplication, main: Callable[[], Coroutine[Any, Any, int]]) -> int:
    """Run `main()` on a qasync loop over `app` and return its result."""
    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        return runner.run(main())


class SignalWatcher(QObject):
    """Calls `on_signal(signum)` on the Qt thread when SIGINT or SIGTERM arrives."""

    def __init__(self, on_signal: Callable[[int], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_signal = on_signal
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno())
        self._previous_handlers = {
            signum: signal.signal(signum, self._note) for signum in (signal.SIGINT, signal.SIGTERM)
        }
        self._pending: list[int] = []
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_wakeup)

    def _note(self, signum: int, _frame: object) -> None:
        self._pending.append(signum)

    def _on_wakeup(self) -> None:
        try:
            while self._reader.recv(64):
                pass
        except BlockingIOError:
            pass
        pending, self._pending = self._pending, []
        for signum in pending:
            self._on_signal(signum)

    def close(self) -> None:
        self._notifier.setEnabled(False)
        signal.set_wakeup_fd(self._previous_fd)
        for signum, handler in self._previous_handlers.items():
            signal.signal(signum, handler)
        self._reader.close()
        self._writer.close()
