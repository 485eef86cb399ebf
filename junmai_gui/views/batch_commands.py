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

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from junmai_gui.domain.batch import BatchSummary
from junmai_gui.domain.errors import BatchError
from junmai_gui.domain.status import BatchStatus
from junmai_gui.views.desktop_open import open_path
from junmai_gui.views.formatting import error_text
from junmai_gui.views.questions import confirm_cancel

if TYPE_CHECKING:
    from junmai_gui.controller.batch_controller import BatchController

log = logging.getLogger(__name__)


class BatchCommands(QObject):
    done = Signal()  # a command ran: the window re-reads the selection
    refused = Signal(str)  # why (part of) a command could not be carried out
    merged = Signal(str)  # the batch a merge created
    noticed = Signal(str)  # what a command did, when the table does not show it
    # Batches taken out of the list, and the sentence saying so: the window offers Undo.
    removed_undoably = Signal(object, str)

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
        self._retrying: dict[str, int] = {}  # batch id -> photos retried, until it finishes
        controller.batch_finished.connect(self._on_batch_finished)

    def pause(self) -> None:
        self._each(self.tr("Could not pause: {reason}"), self._controller.pause_batch)

    def resume(self) -> None:
        self._each(self.tr("Could not resume: {reason}"), self._controller.resume_batch)

    def cancel(self) -> None:
        batches = self._selection()
        if batches and confirm_cancel(self._parent, [b.name or b.batch_id for b in batches]):
            self._each(self.tr("Could not cancel: {reason}"), self._controller.cancel_batch)

    def retry_failed(self) -> None:
        """Develop the failed photos again; say how many now, and how it went when done."""
        problems = []
        for batch in self._selection():
            try:
                count = self._controller.retry_failed(batch.batch_id)
            except BatchError as exc:
                problems.append(error_text(exc))
                continue
            self._retrying[batch.batch_id] = count
            name = batch.name or batch.batch_id
            self.noticed.emit(
                self.tr("%Ln photo(s) of {name} retried", "", count).format(name=name)
            )
        if problems:
            self.refused.emit(
                self.tr("Could not retry the failed photos: {reason}").format(reason=problems[0])
            )
        self.done.emit()

    def priority_up(self) -> None:
        self._shift_priority(+1)

    def priority_down(self) -> None:
        self._shift_priority(-1)

    def merge(self) -> None:
        ids = [b.batch_id for b in self._selection()]
        try:
            new_id = self._controller.merge_batches(ids)
        except BatchError as exc:
            self.refused.emit(self.tr("Could not merge: {reason}").format(reason=error_text(exc)))
            return
        self.done.emit()
        self.merged.emit(new_id)

    def remove_finished(self) -> None:
        """Out of the list at once, with Undo for a few seconds (nothing on disk changes)."""
        batches = self._selection()
        try:
            removed = self._controller.set_aside_batches([b.batch_id for b in batches])
        except BatchError as exc:
            self.refused.emit(self.tr("Could not remove: {reason}").format(reason=error_text(exc)))
            removed = []
        if len(removed) == 1:
            name = next((b.name for b in batches if b.batch_id == removed[0]), "") or removed[0]
            self.removed_undoably.emit(removed, self.tr("Removed {name}").format(name=name))
        elif removed:
            self.removed_undoably.emit(removed, self.tr("Removed %n batch(es)", "", len(removed)))
        self.done.emit()

    def open_output(self) -> None:
        folders = dict.fromkeys(str(b.config.get("output_dir")) for b in self._selection())
        for folder in folders:
            if not Path(folder).is_dir():
                self.refused.emit(
                    self.tr("The output folder {folder} does not exist yet.").format(folder=folder)
                )
                continue
            open_path(self._parent, folder, what=self.tr("the output folder"))

    def _on_batch_finished(self, batch_id: str, status: str) -> None:
        count = self._retrying.pop(batch_id, None)
        if count is None or status != BatchStatus.COMPLETED.value:
            return
        try:
            batch = self._controller.batch(batch_id)
        except BatchError:
            return
        still = batch.failed_count
        name = batch.name or batch.batch_id
        self.noticed.emit(
            self.tr("Retry of {name} done: {developed} developed, {failed} failed again").format(
                name=name, developed=f"{max(0, count - still):,}", failed=f"{still:,}"
            )
        )

    def _each(self, refusal: str, call: Callable[[str], object]) -> None:
        """`call` each selected batch; the first refusal is told with `refusal`, a sentence
        with a `{reason}` field."""
        problems = []
        for batch in self._selection():
            try:
                call(batch.batch_id)
            except BatchError as exc:
                problems.append(error_text(exc))
        if problems:
            log.warning("Refused %s: %s", call.__name__, "; ".join(problems))
            self.refused.emit(refusal.format(reason=problems[0]))
        self.done.emit()

    def _shift_priority(self, step: int) -> None:
        changed = []
        for batch in self._selection():
            try:
                self._controller.set_priority(batch.batch_id, batch.priority + step)
            except BatchError as exc:
                self.refused.emit(error_text(exc))
                continue
            changed.append(f"{batch.name or batch.batch_id}: {batch.priority + step}")
        if changed:
            # The table has no priority column: say what changed.
            self.noticed.emit(
                self.tr("Priority {changes} (batches with a higher priority go first)").format(
                    changes=", ".join(changed)
                )
            )
        self.done.emit()
