"""The lower half of the main window: the selected batch's photos, their state and errors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from junmai_gui.domain.errors import BatchNotFoundError
from junmai_gui.domain.status import PhotoState
from junmai_gui.views import formatting
from junmai_gui.views.photo_table_model import PAGE_SIZE, PhotoColumn, PhotoTableModel

if TYPE_CHECKING:
    from junmai_gui.controller.batch_controller import BatchController

REFRESH_INTERVAL_MS = 1000
REPORT_PAGE = 1000


class DetailPane(QWidget):
    """Lists one batch's photos (lazily), filters to failures, copies an error report."""

    report_copied = Signal(int)  # number of failed photos in the report

    def __init__(self, controller: BatchController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self.model = PhotoTableModel(controller, self)

        self.title = QLabel("Select a batch to see its photos.")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.failed_only = QCheckBox("Only failed photos")
        self.copy_report = QPushButton("Copy error report")
        self.copy_report.setToolTip("Copy every failed photo and its problem to the clipboard")
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.resizeSection(PhotoColumn.FILE, 220)
        header.resizeSection(PhotoColumn.STATE, 90)
        header.resizeSection(PhotoColumn.ERROR, 320)

        bar = QHBoxLayout()
        bar.addWidget(self.title, 1)
        bar.addWidget(self.failed_only)
        bar.addWidget(self.copy_report)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_INTERVAL_MS)
        self._refresh_timer.timeout.connect(self._refresh)
        self.failed_only.toggled.connect(self._on_filter_toggled)
        self.copy_report.clicked.connect(self.copy_error_report)
        controller.batch_changed.connect(self._on_batch_changed)
        controller.batch_removed.connect(self._on_batch_removed)
        self._update_title()

    @property
    def batch_id(self) -> str | None:
        return self.model.batch_id

    def show_batch(self, batch_id: str | None) -> None:
        if batch_id == self.model.batch_id:
            return
        self._refresh_timer.stop()
        self.model.show_batch(batch_id, self._state_filter())
        self._update_title()

    def error_report(self) -> str:
        """Every failed photo of the batch with its problem, as plain text."""
        batch_id = self.model.batch_id
        if batch_id is None:
            return ""
        try:
            batch = self._controller.batch(batch_id)
        except BatchNotFoundError:
            return ""
        lines = [
            f"Batch {batch.name or batch.batch_id} ({batch.batch_id}): "
            f"{batch.failed_count:,} of {batch.total_photos:,} photos failed",
            "",
        ]
        offset = 0
        while True:
            page = self._controller.batch_photos(
                batch_id, state=PhotoState.FAILED, offset=offset, limit=REPORT_PAGE
            )
            for record in page:
                lines.append(record.source_path)
                lines.append(f"    {record.error or 'No reason was recorded.'}")
            if len(page) < REPORT_PAGE:
                break
            offset += REPORT_PAGE
        return "\n".join(lines) + "\n"

    def copy_error_report(self) -> None:
        report = self.error_report()
        if not report:
            return
        QApplication.clipboard().setText(report)
        self.report_copied.emit(max(0, report.count("\n    ")))

    def _state_filter(self) -> PhotoState | None:
        return PhotoState.FAILED if self.failed_only.isChecked() else None

    def _on_filter_toggled(self) -> None:
        self.model.show_batch(self.model.batch_id, self._state_filter())

    def _on_batch_changed(self, batch_id: str) -> None:
        if batch_id == self.model.batch_id and not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def _on_batch_removed(self, batch_id: str) -> None:
        if batch_id == self.model.batch_id:
            self.show_batch(None)

    def _refresh(self) -> None:
        self.model.refresh(self._visible_rows())
        self._update_title()

    def _visible_rows(self) -> range:
        """The rows on screen; the first page when the list is not shown."""
        top = self.table.rowAt(0)
        if top < 0:
            return range(0, PAGE_SIZE)
        bottom = self.table.rowAt(self.table.viewport().height() - 1)
        return range(top, (bottom if bottom >= 0 else self.model.rowCount() - 1) + 1)

    def _update_title(self) -> None:
        batch_id = self.model.batch_id
        self.copy_report.setEnabled(False)
        if batch_id is None:
            self.title.setText("Select a batch to see its photos.")
            return
        try:
            batch = self._controller.batch(batch_id)
        except BatchNotFoundError:
            self.title.setText("")
            return
        self.copy_report.setEnabled(batch.failed_count > 0)
        self.title.setText(
            f"{batch.name or batch.batch_id} — {formatting.status_text(batch)}: "
            f"{batch.processed_count:,} done, {batch.failed_count:,} failed, "
            f"{batch.pending_count + batch.running_count:,} to go"
        )
