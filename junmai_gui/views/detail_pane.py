"""The lower half of the main window: the selected batch's photos, their state and errors,
what can be done with one photo (open it, show it in its folder, copy its path, retry it
when it failed), and what the batch's after-batch actions did (kept with the batch by the
controller, followed as each action finishes)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from junmai_gui.domain.errors import BatchError, BatchNotFoundError
from junmai_gui.domain.photo import PhotoRecord
from junmai_gui.domain.status import PhotoState
from junmai_gui.views import formatting, icons
from junmai_gui.views.desktop_open import PathDialog, open_path
from junmai_gui.views.list_table import set_up_list_table
from junmai_gui.views.photo_table_model import PAGE_SIZE, PhotoColumn, PhotoTableModel

if TYPE_CHECKING:
    from junmai_gui.controller.batch_controller import BatchController

REPORT_PAGE = 1000
# The output's path gets the room (a computer's name is short: the last column takes the rest).
COLUMN_WIDTHS = {
    PhotoColumn.FILE: 220,
    PhotoColumn.STATE: 90,
    PhotoColumn.ERROR: 320,
    PhotoColumn.OUTPUT: 420,
}


class DetailPane(QWidget):
    """Lists one batch's photos (lazily), filters to failures, copies an error report."""

    report_copied = Signal(int)  # number of failed photos in the report
    noticed = Signal(str)  # what an action on a photo did, for the status bar
    refused = Signal(str)

    def __init__(self, controller: BatchController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self.model = PhotoTableModel(controller, self)
        self.path_dialog: PathDialog | None = None  # the last "could not open" dialog
        self._build()
        self.failed_only.toggled.connect(self._on_filter_toggled)
        self.copy_report.clicked.connect(self.copy_error_report)
        self.table.doubleClicked.connect(self._on_double_clicked)
        self.table.customContextMenuRequested.connect(self._show_context_menu)
        controller.batch_changed.connect(self._on_batch_changed)
        controller.batch_removed.connect(self._on_batch_removed)
        controller.after_batch.action_finished.connect(self._on_action_finished)
        self._update_title()

    def _build(self) -> None:
        self.title = QLabel(self.tr("Select a batch to see its photos."))
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.failed_only = QCheckBox(self.tr("Only failed photos"))
        self.copy_report = QPushButton(self.tr("Copy error report"))
        self.copy_report.setToolTip(
            self.tr("Copy every failed photo and its problem to the clipboard")
        )
        self.after_label = QLabel()  # what the after-batch actions did
        self.after_label.setTextFormat(Qt.TextFormat.PlainText)
        self.after_label.setWordWrap(True)
        self.after_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.after_label.setVisible(False)
        self.table = self._build_table()
        bar = QHBoxLayout()
        bar.addWidget(self.title, 1)
        bar.addWidget(self.failed_only)
        bar.addWidget(self.copy_report)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.after_label)
        layout.addWidget(self.table)

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("photo_table")
        table.setModel(self.model)
        set_up_list_table(
            table,
            row_height=22,
            widths=COLUMN_WIDTHS.items(),
            selection=QAbstractItemView.SelectionMode.SingleSelection,
        )
        table.setAlternatingRowColors(True)
        table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # a long path keeps its file name
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        return table

    @property
    def batch_id(self) -> str | None:
        return self.model.batch_id

    def show_batch(self, batch_id: str | None) -> None:
        if batch_id == self.model.batch_id:
            return
        self.model.show_batch(batch_id, self._state_filter())
        self._update_title()
        self._show_after_batch()

    def after_batch_results(self) -> list[dict[str, object]]:
        """What the shown batch's after-batch actions did, oldest first."""
        batch_id = self.model.batch_id
        return self._controller.after_batch.results(batch_id) if batch_id else []

    def _show_after_batch(self) -> None:
        results = self.after_batch_results()
        # each message is a sentence that names the action and says how it went
        lines = [("✓ " if r.get("ok") else "✗ ") + str(r.get("message", "")) for r in results]
        failed = any(not result.get("ok") for result in results)
        self.after_label.setText(
            self.tr("After the batch:") + "\n" + "\n".join(lines) if lines else ""
        )
        self.after_label.setStyleSheet(icons.PROBLEM_STYLE if failed else "")
        self.after_label.setVisible(bool(lines))

    def _on_action_finished(self, batch_id: str, *_: object) -> None:
        if batch_id == self.model.batch_id:
            self._show_after_batch()

    # -- one photo ------------------------------------------------------------------------

    def photo_menu(self, record: PhotoRecord) -> QMenu:
        """The context menu of one photo row; built fresh for each opening."""
        menu = QMenu(self)
        source = record.source_path
        developed = record.output_path if record.developed else None

        def add(text: str, slot: object, enabled: bool = True, tip: str = "") -> QAction:
            action = menu.addAction(text)
            action.triggered.connect(slot)
            action.setEnabled(enabled)
            action.setToolTip(tip)
            return action

        add(
            self.tr("Open developed photo"),
            lambda: self.open_photo(record, developed=True),
            bool(developed),
        )
        add(self.tr("Show in folder"), lambda: self.show_in_folder(record))
        add(self.tr("Open original"), lambda: self.open_photo(record, developed=False))
        menu.addSeparator()
        add(self.tr("Copy path"), lambda: self.copy_path(record), tip=developed or source)
        if PhotoState(record.state) is PhotoState.FAILED:
            menu.addSeparator()
            add(self.tr("Retry this photo"), lambda: self.retry_photo(record))
        menu.setToolTipsVisible(True)
        return menu

    def open_photo(self, record: PhotoRecord, *, developed: bool) -> None:
        if developed:
            name = Path(record.output_path).name
            self._open(record.output_path, self.tr("the developed photo {name}").format(name=name))
        else:
            name = Path(record.source_path).name
            self._open(record.source_path, self.tr("the original {name}").format(name=name))

    def show_in_folder(self, record: PhotoRecord) -> None:
        """The developed photo's folder once it exists, the original's before."""
        path = Path(record.output_path if record.developed else record.source_path)
        self._open(str(path.parent), self.tr("the folder {name}").format(name=path.parent.name))

    def copy_path(self, record: PhotoRecord) -> None:
        path = record.output_path if record.developed else record.source_path
        QApplication.clipboard().setText(path)
        self.noticed.emit(self.tr("Copied {path}").format(path=path))

    def retry_photo(self, record: PhotoRecord) -> None:
        batch_id = self.model.batch_id
        if batch_id is None:
            return
        name = Path(record.source_path).name
        try:
            self._controller.retry_photo(batch_id, record.photo_id)
        except BatchError as exc:
            self.refused.emit(
                self.tr("Could not retry {name}: {reason}").format(
                    name=name, reason=formatting.error_text(exc)
                )
            )
            return
        self.noticed.emit(self.tr("Developing {name} again").format(name=name))
        self._refresh()

    def _open(self, path: str, what: str) -> None:
        self.path_dialog = open_path(self, path, what=what)

    def _record_at(self, index: QModelIndex) -> PhotoRecord | None:
        return self.model.record_at(index.row()) if index.isValid() else None

    def _on_double_clicked(self, index: QModelIndex) -> None:
        record = self._record_at(index)
        if record is not None:
            self.open_photo(record, developed=record.developed)

    def _show_context_menu(self, position: QPoint) -> None:
        record = self._record_at(self.table.indexAt(position))
        if record is None:
            return
        menu = self.photo_menu(record)
        menu.aboutToHide.connect(menu.deleteLater)
        menu.popup(self.table.viewport().mapToGlobal(position))

    # -- the whole batch --------------------------------------------------------------------

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
            self.tr("Batch {name} ({batch_id}): {failed:,} of {total:,} photos failed").format(
                name=batch.name or batch.batch_id,
                batch_id=batch.batch_id,
                failed=batch.failed_count,
                total=batch.total_photos,
            ),
            "",
        ]
        offset = 0
        while True:
            page = self._controller.batch_photos(
                batch_id, state=PhotoState.FAILED, offset=offset, limit=REPORT_PAGE
            )
            for record in page:
                lines.append(record.source_path)
                lines.append("    " + (record.error or self.tr("No reason was recorded.")))
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
        """The controller's notifications are already coalesced: follow each."""
        if batch_id == self.model.batch_id:
            self._refresh()

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
            self.title.setText(self.tr("Select a batch to see its photos."))
            return
        try:
            batch = self._controller.batch(batch_id)
        except BatchNotFoundError:
            self.title.setText("")
            return
        progress = self._controller.progress(batch_id)
        self.copy_report.setEnabled(progress.failed > 0)
        self.title.setText(
            self.tr("{name} — {status}: {counts}").format(
                name=batch.name or batch.batch_id,
                status=formatting.status_text(batch, progress),
                counts=formatting.counts_text(progress),
            )
        )
