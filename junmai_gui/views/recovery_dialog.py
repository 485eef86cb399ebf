"""At launch: offer to resume the batches that the last run left paused.

After the controller's recovery, batches that were running when the app died are paused
with reason `interrupted`, and those running when it was quit with `app_quit`. This
dialog lists them and lets the photographer resume or cancel them, or keep them paused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
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
from junmai_gui.i18n import QT_TRANSLATE_NOOP
from junmai_gui.views import formatting, icons
from junmai_gui.views.questions import confirm_cancel

if TYPE_CHECKING:
    from junmai_gui.controller.batch_controller import BatchController

RECOVERABLE_REASONS = (PauseReason.INTERRUPTED, PauseReason.APP_QUIT)
REASON_TEXT = {
    PauseReason.INTERRUPTED: QT_TRANSLATE_NOOP(
        "RecoveryDialog", "Interrupted (the app stopped unexpectedly)"
    ),
    PauseReason.APP_QUIT: QT_TRANSLATE_NOOP("RecoveryDialog", "Paused when the app was quit"),
}
COLUMNS = (
    QT_TRANSLATE_NOOP("RecoveryDialog", "Batch"),
    QT_TRANSLATE_NOOP("RecoveryDialog", "Done"),
    QT_TRANSLATE_NOOP("RecoveryDialog", "Failed"),
    QT_TRANSLATE_NOOP("RecoveryDialog", "To do"),
    QT_TRANSLATE_NOOP("RecoveryDialog", "Why it stopped"),
    QT_TRANSLATE_NOOP("RecoveryDialog", "Paused at"),
)


class RecoveryDialog(QDialog):
    """Resume all, Resume selected, Keep paused, Cancel selected."""

    def __init__(self, controller: BatchController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Resume unfinished batches?"))
        self.setWindowIcon(icons.app_icon("paused"))
        self.resize(820, 360)
        self._controller = controller
        self.problems: list[str] = []

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(
            [QCoreApplication.translate("RecoveryDialog", column) for column in COLUMNS]
        )
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
        self.problem_label.setStyleSheet(icons.PROBLEM_STYLE)
        self.problem_label.hide()

        self.resume_all_button = QPushButton(self.tr("Resume all"))
        self.resume_all_button.setDefault(True)
        self.resume_selected_button = QPushButton(self.tr("Resume selected"))
        self.keep_paused_button = QPushButton(self.tr("Keep paused"))
        self.cancel_selected_button = QPushButton(self.tr("Cancel selected"))
        self.cancel_selected_button.setToolTip(
            self.tr("Stop these batches for good; photos already developed are kept")
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
        self._apply(self.offered_ids(), self._controller.resume_batch, self._resume_refused)
        self._close_when_done(force=True)

    def resume_selected(self) -> None:
        self._apply(self.selected_ids(), self._controller.resume_batch, self._resume_refused)
        self._close_when_done()

    def cancel_selected(self) -> None:
        """Cancel for good, after asking (as everywhere a cancel is asked for)."""
        ids = self.selected_ids()
        if not ids or not confirm_cancel(self, [self._name_at(b) for b in ids]):
            return
        self._apply(
            ids, self._controller.cancel_batch, self.tr("Could not cancel a batch: {reason}")
        )
        self._close_when_done()

    def keep_paused(self) -> None:
        """Leave every remaining batch paused; they wait in the main window."""
        self.reject()

    # -- internals ----------------------------------------------------------------------

    @property
    def _resume_refused(self) -> str:
        return self.tr("Could not resume a batch: {reason}")

    def _apply(self, batch_ids: list[str], call: Callable[[str], object], refusal: str) -> None:
        """`call` each batch; a refusal is kept as `refusal` with its `{reason}`."""
        for batch_id in batch_ids:
            try:
                call(batch_id)
            except BatchError as exc:
                self.problems.append(refusal.format(reason=formatting.error_text(exc)))
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
                QTableWidgetItem(self._reason_text(batch)),
                QTableWidgetItem(formatting.local_time_text(batch.paused_at)),
            ]
            for column, cell in enumerate(cells):
                self.table.setItem(row, column, cell)
        count = len(batches)
        remaining = sum(b.pending_count + b.running_count for b in batches)
        self.intro.setText(
            self.tr("%n batch(es) stopped before finishing.", "", count)
            + " "
            + self.tr(
                "%Ln photo(s) still to develop. Photos already developed are safe and will not "
                "be developed again.",
                "",
                remaining,
            )
        )
        self._update_buttons()

    @staticmethod
    def _reason_text(batch: BatchSummary) -> str:
        reason = batch.pause_reason
        if reason is None or reason not in REASON_TEXT:
            return ""
        return QCoreApplication.translate("RecoveryDialog", REASON_TEXT[reason])

    def _update_buttons(self) -> None:
        has_rows = self.table.rowCount() > 0
        has_selection = bool(self.table.selectionModel().selectedRows())
        self.resume_all_button.setEnabled(has_rows)
        self.resume_selected_button.setEnabled(has_selection)
        self.cancel_selected_button.setEnabled(has_selection)
