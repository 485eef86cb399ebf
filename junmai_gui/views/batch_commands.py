"""What each batch action does to the selected batches.

The window's actions only say *which* command; this object calls the controller for every
selected batch, asks before cancelling, and reports a refusal (a batch that finished
between the click and the call) as a sentence for the status bar instead of raising.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from junmai_gui.domain.batch import BatchSummary
from junmai_gui.domain.errors import BatchError

if TYPE_CHECKING:
    from junmai_gui.controller.batch_controller import BatchController

log = logging.getLogger(__name__)


class BatchCommands(QObject):
    done = Signal()  # a command ran: the window re-reads the selection
    refused = Signal(str)  # why (part of) a command could not be carried out
    merged = Signal(str)  # the batch a merge created
    noticed = Signal(str)  # what a command did, when the table does not show it

    def __init__(
        self,
        controller: BatchController,
        selection: Callable[[], list[BatchSummary]],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._selection = selection
        self._parent = parent

    def pause(self) -> None:
        self._each("pause", self._controller.pause_batch)

    def resume(self) -> None:
        self._each("resume", self._controller.resume_batch)

    def cancel(self) -> None:
        batches = self._selection()
        if not batches:
            return
        names = ", ".join(b.name or b.batch_id for b in batches[:3])
        more = f" and {len(batches) - 3} more" if len(batches) > 3 else ""
        answer = QMessageBox.question(
            self._parent,
            "Cancel batches",
            f"Cancel {names}{more}? Photos already developed stay in the output folder; "
            "the rest will not be developed.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._each("cancel", self._controller.cancel_batch)

    def retry_failed(self) -> None:
        self._each("retry the failed photos", self._controller.retry_failed)

    def priority_up(self) -> None:
        self._shift_priority(+1)

    def priority_down(self) -> None:
        self._shift_priority(-1)

    def merge(self) -> None:
        ids = [b.batch_id for b in self._selection()]
        try:
            new_id = self._controller.merge_batches(ids)
        except BatchError as exc:
            self.refused.emit(f"Could not merge: {exc.message}")
            return
        self.done.emit()
        self.merged.emit(new_id)

    def remove_finished(self) -> None:
        ids = [b.batch_id for b in self._selection()]
        try:
            self._controller.remove_batches(ids)
        except BatchError as exc:
            self.refused.emit(f"Could not remove: {exc.message}")
        self.done.emit()

    def open_output(self) -> None:
        folders = dict.fromkeys(str(b.config.get("output_dir")) for b in self._selection())
        for folder in folders:
            if not Path(folder).is_dir():
                self.refused.emit(f"The output folder {folder} does not exist yet.")
                continue
            QDesktopServices.openUrl(QUrl.fromLocalFile(folder))

    def _each(self, verb: str, call: Callable[[str], object]) -> None:
        problems = []
        for batch in self._selection():
            try:
                call(batch.batch_id)
            except BatchError as exc:
                problems.append(exc.message)
        if problems:
            log.warning("Could not %s: %s", verb, "; ".join(problems))
            self.refused.emit(f"Could not {verb}: {problems[0]}")
        self.done.emit()

    def _shift_priority(self, step: int) -> None:
        changed = []
        for batch in self._selection():
            try:
                self._controller.set_priority(batch.batch_id, batch.priority + step)
            except BatchError as exc:
                self.refused.emit(exc.message)
                continue
            changed.append(f"{batch.name or batch.batch_id}: {batch.priority + step}")
        if changed:
            # The table has no priority column: say what changed.
            self.noticed.emit(
                f"Priority {', '.join(changed)} (batches with a higher priority go first)"
            )
        self.done.emit()
