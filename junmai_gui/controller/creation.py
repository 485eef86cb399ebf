"""A batch being created on a thread of its own, as the GUI thread and the API see it.

`BatchController.start_batch` returns a `BatchCreation` at once: the scan, the planning of
output paths and the writing of photo rows run as an operation (`controller.operations`,
see `planning.BatchPlanner.create`), reporting `progressed(done, total)` as they go;
`cancel()` stops them between steps and stores nothing. When the batch is stored the
controller takes it in (`batch_added`), then `finished` is emitted and `result()` gives the
`StartResult` (or raises the `BatchError` that refused it).
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from junmai_gui.controller.operations import Operation
from junmai_gui.controller.planning import StartResult


class BatchCreation(Operation[StartResult]):
    """An operation whose progress counts photos stored of how many; while folders are
    scanned, done is 0 and total counts the photos found so far."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.batch_id: str | None = None  # known once its rows are being written

    def begin(self, batch_id: str) -> None:
        """From the creating thread: the batch's (hidden) row is about to be written."""
        self.batch_id = batch_id
