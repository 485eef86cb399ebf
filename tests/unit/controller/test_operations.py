"""Background operations: the result or the error reaches the main thread, progress and
cancel cross threads, and the runner knows what still runs."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from junmai_gui.controller.operations import Operation, OperationCancelled, OperationRunner
from junmai_gui.domain.errors import BatchError, InvalidBatchError


def _wait(qtbot: Any, op: Operation[Any]) -> None:
    if not op.done:
        with qtbot.wait_signal(op.finished, timeout=10_000):
            pass


def test_the_result_arrives_on_the_main_thread_after_then(qtbot: Any) -> None:
    runner = OperationRunner()
    threads: list[int] = []

    def work(op: Operation[Any]) -> int:
        threads.append(threading.get_ident())
        op.report(1, 2)
        return 20

    def then(value: int) -> int:
        threads.append(threading.get_ident())
        return value + 1

    op = runner.run(work, name="test", then=then)
    progress: list[tuple[int, int]] = []
    op.progressed.connect(lambda done, total: progress.append((done, total)))
    _wait(qtbot, op)
    assert op.result() == 21
    assert threads[0] != threading.main_thread().ident == threads[1]
    assert runner.wait_idle(5) and runner.running() == []


def test_errors_become_sentences_and_cancel_reaches_the_work(qtbot: Any) -> None:
    runner = OperationRunner()
    refused = runner.run(
        lambda _op: (_ for _ in ()).throw(InvalidBatchError("No photos")), name="refused"
    )
    broken = runner.run(lambda _op: 1 / 0, name="broken")
    started = threading.Event()

    def patient(op: Operation[Any]) -> None:
        started.set()
        while not op.cancelled():
            threading.Event().wait(0.01)
        raise OperationCancelled()

    waiting = runner.run(patient, name="patient")
    assert started.wait(5) and waiting in runner.running()
    waiting.cancel()
    for op in (refused, broken, waiting):
        _wait(qtbot, op)
    with pytest.raises(InvalidBatchError, match="No photos"):
        refused.result()
    assert isinstance(broken.error, BatchError) and "division by zero" in broken.error.message
    assert isinstance(waiting.error, OperationCancelled)
    assert runner.wait_idle(5)
