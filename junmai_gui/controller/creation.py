"""A batch being created on a thread of its own, as the GUI thread and the API see it.

`BatchController.start_batch` returns a `BatchCreation` at once: the scan, the planning of
output paths and the writing of photo rows run on a background thread (see
`planning.BatchPlanner.create`), reporting `progressed(done, total)` as they go; `cancel()`
stops them between steps and stores nothing. When the batch is stored the controller takes
it in (`batch_added`), then `finished` is emitted and `result()` gives the `StartResult`
(or raises the `BatchError` that refused it).
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal

from junmai_gui.controller.planning import StartResult
from junmai_gui.domain.errors import BatchError


class BatchCreation(QObject):
    """Progress, cancel and result of one batch being created (main thread)."""

    # done, total: photos stored of how many; while folders are scanned, done is 0 and
    # total counts the photos found so far
    progressed = Signal(int, int)
    finished = Signal()
    # From the creating thread to the controller: (this creation, its request, the planned
    # batch or the BatchError that refused it).
    stored = Signal(object, object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()
        self._result: StartResult | None = None
        self._error: BatchError | None = None
        self._done = False
        self.batch_id: str | None = None  # known once its rows are being written

    # -- the creating thread's side -------------------------------------------------------

    def begin(self, batch_id: str) -> None:
        """From the creating thread: the batch's (hidden) row is about to be written."""
        self.batch_id = batch_id

    def report(self, done: int, total: int) -> None:
        """From the creating thread: `done` of `total` photos stored (done 0 while scanning:
        `total` photos found so far)."""
        self.progressed.emit(done, total)

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    # -- the controller's side (main thread) ------------------------------------------------

    def succeed(self, result: StartResult) -> None:
        self._result, self._done = result, True
        self.finished.emit()

    def fail(self, error: BatchError) -> None:
        self._error, self._done = error, True
        self.finished.emit()

    # -- callers ----------------------------------------------------------------------------

    def cancel(self) -> None:
        """Stop before the batch is stored (nothing is kept); too late once it is."""
        self._cancel.set()

    @property
    def done(self) -> bool:
        return self._done

    @property
    def error(self) -> BatchError | None:
        return self._error

    def result(self) -> StartResult:
        """The created batch; raises the error that refused it, or RuntimeError if unfinished."""
        if self._error is not None:
            raise self._error
        if self._result is None:
            raise RuntimeError("The batch is still being created")
        return self._result
