"""At launch: offer to resume the batches that the last run left paused.

After the controller's recovery, batches that were running when the app died are paused
with reason `interrupted`, and those running when it was quit with `app_quit`. This
dialog lists them and lets the photographer resume or cancel them, or keep them paused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from junmai_gui.domain.batch import BatchSummary
from junmai_gui.domain.errors import BatchError
from junmai_gui.domain.status import BatchStatus, PauseReason
from junmai_gui.views import formatting, icons
from junmai_gui.views.questions import confirm_cancel

if TYPE_CHECKING:
    from junmai_gui.controller.batch_controller import BatchController

RECOVERABLE_REASONS = (PauseReason.INTERRUPTED, PauseReason.APP_QUIT)
REASON_TEXT = {
    PauseReason.INTERRUPTED: "Interrupted (the app stopped unexpectedly)",
    PauseReason.APP_QUIT: "Paused when the app was quit",
}
COLUMNS = ("Batch", "Done", "Failed", "To do", "Why it stopped", "Paused at")


class RecoveryDialog(QDialog):
    """Resume all, Resume selected, Keep paused, Cancel selected."""

    def __init__(self, controller: BatchController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Resume unfinished batches?")
        self.setWindowIcon(icons.app_icon("paused"))
        self.resize(820, 360)
        self._controller = controller
        self.problems: list[str] = []

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #c8352f;")
        self.problem_label.hide()

        self.resume_all_button = QPushButton("Resume all")
        self.resume_all_button.setDefault(True)
        self.resume_selected_button = QPushButton("Resume selected")
        self.keep_paused_button = QPushButton("Keep paused")
        self.cancel_selected_button = QPushButton("Cancel selected")
        self.cancel_selected_button.setToolTip(
            "Stop these batches for good; photos already developed are kept"
        )
        self.resume_all_button.clicked.connect(self.resume_all)
        self.resume_selected_button.clicked.connect(self.resume_selected)
        self.keep_paused_button.clicked.connect(self.keep_paused)
        self.cancel_selected_button.clicked.connect(self.cancel_selected)
        self.table.itemSelectionChanged.connect(self._update_buttons)

        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_selected_button)
        buttons.addStretch(1)
        buttons.addWidget(self.keep_paused_button)
        buttons.addWidget(self.resume_selected_button)
        buttons.addWidget(self.resume_all_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problem_label)
        layout.addLayout(buttons)
        self._fill()

    @staticmethod
    def batches_to_offer(controller: BatchController) -> list[BatchSummary]:
        """The batches paused by an interruption or by quitting; [] when there are none."""
        return [
            batch
            for batch in controller.batches()
            if batch.status is BatchStatus.PAUSED and batch.pause_reason in RECOVERABLE_REASONS
        ]

    def offered_ids(self) -> list[str]:
        return [self._id_at(row) for row in range(self.table.rowCount())]

    def selected_ids(self) -> list[str]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self._id_at(row) for row in rows]

    def resume_all(self) -> None:
        self._apply(self.offered_ids(), self._controller.resume_batch, "resume")
        self._close_when_done(force=True)

    def resume_selected(self) -> None:
        self._apply(self.selected_ids(), self._controller.resume_batch, "resume")
        self._close_when_done()

    def cancel_selected(self) -> None:
        """Cancel for good, after asking (as everywhere a cancel is asked for)."""
        ids = self.selected_ids()
        if not ids or not confirm_cancel(self, [self._name_at(b) for b in ids]):
            return
        self._apply(ids, self._controller.cancel_batch, "cancel")
        self._close_when_done()

    def keep_paused(self) -> None:
        """Leave every remaining batch paused; they wait in the main window."""
        self.reject()

    # -- internals ----------------------------------------------------------------------

    def _apply(self, batch_ids: list[str], call: Callable[[str], object], verb: str) -> None:
        for batch_id in batch_ids:
            try:
                call(batch_id)
            except BatchError as exc:
                self.problems.append(f"Could not {verb} a batch: {exc.message}")
        self._fill()

    def _close_when_done(self, *, force: bool = False) -> None:
        if self.problems:
            self.problem_label.setText("\n".join(self.problems))
            self.problem_label.show()
            return
        if force or self.table.rowCount() == 0:
            self.accept()

    def _name_at(self, batch_id: str) -> str:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == batch_id:
                return item.text()
        return batch_id

    def _id_at(self, row: int) -> str:
        item = self.table.item(row, 0)
        assert item is not None
        return str(item.data(Qt.ItemDataRole.UserRole))

    def _fill(self) -> None:
        batches = self.batches_to_offer(self._controller)
        self.table.setRowCount(len(batches))
        for row, batch in enumerate(batches):
            name = QTableWidgetItem(icons.status_icon(batch.status), batch.name or batch.batch_id)
            name.setData(Qt.ItemDataRole.UserRole, batch.batch_id)
            name.setToolTip(batch.batch_id)
            cells = [
                name,
                QTableWidgetItem(f"{batch.processed_count:,}"),
                QTableWidgetItem(f"{batch.failed_count:,}"),
                QTableWidgetItem(f"{batch.pending_count + batch.running_count:,}"),
                QTableWidgetItem(REASON_TEXT.get(batch.pause_reason, "")),  # type: ignore[arg-type]
                QTableWidgetItem(formatting.local_time_text(batch.paused_at)),
            ]
            for column, cell in enumerate(cells):
                self.table.setItem(row, column, cell)
        count = len(batches)
        remaining = sum(b.pending_count + b.running_count for b in batches)
        self.intro.setText(
            f"{count} batch{'es' if count != 1 else ''} stopped before finishing, with "
            f"{remaining:,} photo{'s' if remaining != 1 else ''} still to develop. Photos "
            "already developed are safe and will not be developed again."
        )
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_rows = self.table.rowCount() > 0
        has_selection = bool(self.table.selectionModel().selectedRows())
        self.resume_all_button.setEnabled(has_rows)
        self.resume_selected_button.setEnabled(has_selection)
        self.cancel_selected_button.setEnabled(has_selection)
