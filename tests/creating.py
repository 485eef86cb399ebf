"""Creating batches in tests: `start_batch` returns at once (the batch is created on a thread
of its own); these wait for it with a local event loop, as `qtbot.waitSignal` would."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEventLoop, QTimer

from junmai_gui.controller.creation import BatchCreation
from junmai_gui.controller.planning import StartResult

TIMEOUT_MS = 60_000


def finish(creation: BatchCreation) -> StartResult:
    """The created batch once it is stored (its BatchError raised when it was refused)."""
    if not creation.done:
        loop = QEventLoop()
        deadline = QTimer()
        deadline.setSingleShot(True)
        deadline.timeout.connect(loop.quit)
        creation.finished.connect(loop.quit)
        deadline.start(TIMEOUT_MS)
        if not creation.done:
            loop.exec()
        deadline.stop()
    assert creation.done, f"the batch was not created within {TIMEOUT_MS} ms"
    return creation.result()


def create(controller: Any, *args: Any, **kwargs: Any) -> StartResult:
    """`controller.start_batch(*args, **kwargs)`, waited for."""
    return finish(controller.start_batch(*args, **kwargs))
