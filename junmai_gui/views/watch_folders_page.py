"""Settings → Watch folders: the folders whose new photos are developed as they arrive.

Each watch is listed with its name, folder, what it develops with (a template, or a preset),
whether it is paused, today's batch and the last problem it had. Add, Pause, Resume and
Remove act at once on the controller's watches (`controller.watch_folders`): they are not
part of the settings dialog's Save, and the page says so.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from junmai_gui.domain.config import DEFAULT_PRESET
from junmai_gui.domain.errors import BatchError
from junmai_gui.domain.workflows import local_day
from junmai_gui.views import icons
from junmai_gui.views.formatting import error_text, path_text
from junmai_gui.views.list_table import set_up_list_table

if TYPE_CHECKING:
    from junmai_gui.controller.batch_controller import BatchController
    from junmai_gui.controller.settings_service import SettingsService
    from junmai_gui.domain.workflows import WatchRecord

COLUMN_WIDTHS = (120, 180, 160, 80, 160)
TODAY_COLUMN = 4  # "Today's batch"
MINIMUM_WIDTH = 860  # the columns above and a problem's first words


class AddWatchDialog(QDialog):
    """A folder to watch, its name, and a template or the preset of the last batch."""

    def __init__(self, templates: list[str], preset_text: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Watch a folder"))
        self.folder_edit = QLineEdit()
        self.folder_edit.setMinimumWidth(360)
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._choose_folder)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("Named after the folder"))
        self.develop_combo = QComboBox()
        self.develop_combo.addItem(preset_text, "")
        for name in templates:
            self.develop_combo.addItem(self.tr("Template “{name}”").format(name=name), name)
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(icons.PROBLEM_STYLE)
        self.problem_label.setVisible(False)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(browse)
        form = QFormLayout()
        form.addRow(self.tr("Folder"), folder_row)
        form.addRow(self.tr("Name"), self.name_edit)
        form.addRow(self.tr("Develop with"), self.develop_combo)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Watch"))
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)

    @property
    def template(self) -> str | None:
        return str(self.develop_combo.currentData()) or None

    def show_problem(self, message: str) -> None:
        self.problem_label.setText(message)
        self.problem_label.setVisible(True)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Folder to watch"), self.folder_edit.text()
        )
        if folder:
            self.folder_edit.setText(folder)


class WatchFoldersPage(QWidget):
    """The list of watches and what can be done with them (applies at once)."""

    refused = Signal(str)

    def __init__(
        self,
        controller: BatchController,
        settings: SettingsService,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._watches = controller.watch_folders
        self._settings = settings
        self._shown: list[WatchRecord] = []
        self.add_dialog: AddWatchDialog | None = None
        self._build()
        self._watches.watches_changed.connect(self.refresh)
        controller.batch_changed.connect(self._on_batch_changed)
        controller.batch_added.connect(self.refresh)  # it may be a watch's batch of the day
        self.refresh()

    def _build(self) -> None:
        self.note_label = note = QLabel(
            self.tr(
                "Photos copied into a watched folder (from a card, a tethering program) are "
                "developed as they arrive, into that folder's batch of the day. Changes here "
                "apply at once; they are not part of Save."
            )
        )
        note.setWordWrap(True)
        headers = (self.tr("Name"), self.tr("Folder"), self.tr("Develops with"),
                   self.tr("State"), self.tr("Today's batch"), self.tr("Problem"))  # fmt: skip
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        set_up_list_table(
            self.table,
            row_height=24,
            widths=enumerate(COLUMN_WIDTHS),
            selection=QAbstractItemView.SelectionMode.SingleSelection,
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setMinimumWidth(MINIMUM_WIDTH)
        self.empty_label = QLabel(self.tr("No folder is watched. Add one to develop what arrives."))
        self.add_button = QPushButton(self.tr("Add…"))
        self.pause_button = QPushButton(self.tr("Pause"))
        self.resume_button = QPushButton(self.tr("Resume"))
        self.remove_button = QPushButton(self.tr("Remove…"))
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(icons.PROBLEM_STYLE)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.pause_button, self.resume_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addLayout(buttons)
        layout.addWidget(self.problem_label)
        self.add_button.clicked.connect(self.open_add_dialog)
        self.pause_button.clicked.connect(self.pause_selected)
        self.resume_button.clicked.connect(self.resume_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.refused.connect(self.problem_label.setText)

    # -- public -------------------------------------------------------------------------

    def watches(self) -> list[WatchRecord]:
        """The watches as listed, in order."""
        return list(self._shown)

    def selected(self) -> WatchRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self._shown[rows[0].row()] if rows else None

    def select(self, watch_id: int) -> None:
        for row, watch in enumerate(self._shown):
            if watch.watch_id == watch_id:
                self.table.selectRow(row)

    def add_watch(
        self, folder: str, name: str = "", template: str | None = None
    ) -> WatchRecord | None:
        """Watch `folder` with `template`, or with the preset of the last batch; None (and
        `refused` with the reason) when it cannot be watched."""
        try:
            return self._add(folder, name, template)
        except BatchError as exc:
            self.refused.emit(error_text(exc))
            return None

    def pause_selected(self) -> None:
        watch = self.selected()
        if watch is not None:
            self._call(self._watches.pause, watch.watch_id)

    def resume_selected(self) -> None:
        watch = self.selected()
        if watch is not None:
            self._call(self._watches.resume, watch.watch_id)

    def remove_selected(self) -> bool:
        """Stop watching the selected folder after asking (its batches stay)."""
        watch = self.selected()
        if watch is None:
            return False
        answer = QMessageBox.question(
            self,
            self.tr("Stop watching"),
            self.tr(
                "Stop watching {folder}? Photos already taken keep developing in their "
                "batches; new photos there are left alone."
            ).format(folder=path_text(watch.folder)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        return self._call(self._watches.remove, watch.watch_id)

    def open_add_dialog(self) -> AddWatchDialog:
        dialog = AddWatchDialog(self._controller.templates.names(), self._preset_text(), self)
        dialog.buttons.accepted.connect(self._on_add_accepted)
        dialog.finished.connect(dialog.deleteLater)
        dialog.finished.connect(self._on_add_closed)
        self.add_dialog = dialog
        dialog.open()
        return dialog

    def refresh(self) -> None:
        selected = self.selected()
        self._shown = self._watches.watches()
        self.table.setRowCount(len(self._shown))
        for row, watch in enumerate(self._shown):
            for column, text in enumerate(self._row_texts(watch)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.table.setVisible(bool(self._shown))
        self.empty_label.setVisible(not self._shown)
        if selected is not None:
            self.select(selected.watch_id)
        self._update_buttons()

    # -- internals ----------------------------------------------------------------------

    def _add(self, folder: str, name: str, template: str | None) -> WatchRecord:
        folder = folder.strip()
        watch = self._watches.add(
            str(Path(folder).expanduser()) if folder else folder,
            None if template else self._preset_config(),
            name=name.strip() or None,
            template=template,
        )
        self.problem_label.clear()
        self.select(watch.watch_id)
        return watch

    def _row_texts(self, watch: WatchRecord) -> list[str]:
        if watch.template:
            develops = self.tr("Template “{name}”").format(name=watch.template)
        else:
            config = watch.config or {}
            develops = self.tr("{preset} at {blend:g} %").format(
                preset=config.get("preset") or DEFAULT_PRESET, blend=config.get("blend", 100.0)
            )
        state = self.tr("Paused") if watch.paused else self.tr("Watching")
        return [watch.name, path_text(watch.folder), develops, state, self._today_text(watch),
                watch.error or ""]  # fmt: skip

    def _today_text(self, watch: WatchRecord) -> str:
        batch_id = watch.batch_of(local_day())
        if batch_id is None:
            return self.tr("None yet today")
        try:
            batch = self._controller.batch(batch_id)
        except BatchError:
            return self.tr("None yet today")
        return self.tr("{name}: {done} of {total} developed").format(
            name=batch.name or batch.batch_id, done=batch.processed_count, total=batch.total_photos
        )

    def _preset_config(self) -> dict[str, Any]:
        """The preset and blend of the last batch (as New Batch starts with them), in the
        default format."""
        current = self._settings.current
        preset = current.last_preset or DEFAULT_PRESET
        choice = self._controller.workbench.preset(preset)
        blend = current.last_blend
        if blend is None or preset != current.last_preset:
            blend = choice.default_blend if choice is not None else 100.0
        return {
            "preset": preset,
            "blend": float(blend),
            "format": current.default_format,
            "quality": int(current.default_quality),
        }

    def _preset_text(self) -> str:
        config = self._preset_config()
        return self.tr("The preset of the last batch: {preset} at {blend:g} %").format(
            preset=config["preset"], blend=config["blend"]
        )

    def _call(self, method: Any, watch_id: int) -> bool:
        try:
            method(watch_id)
        except BatchError as exc:
            self.refused.emit(error_text(exc))
            return False
        return True

    def _update_buttons(self) -> None:
        watch = self.selected()
        self.pause_button.setEnabled(watch is not None and not watch.paused)
        self.resume_button.setEnabled(watch is not None and watch.paused)
        self.remove_button.setEnabled(watch is not None)

    def _on_batch_changed(self, batch_id: str) -> None:
        """A watch's batch developed a photo: its "Today's batch" cell only."""
        for row, watch in enumerate(self._shown):
            item = self.table.item(row, TODAY_COLUMN)
            if watch.batch_id == batch_id and item is not None:
                item.setText(self._today_text(watch))
                item.setToolTip(item.text())

    def _on_add_accepted(self) -> None:
        dialog = self.add_dialog
        if dialog is None:
            return
        if not dialog.folder_edit.text().strip():
            dialog.show_problem(self.tr("Choose the folder to watch"))
            return
        try:
            self._add(dialog.folder_edit.text(), dialog.name_edit.text(), dialog.template)
        except BatchError as exc:
            dialog.show_problem(error_text(exc))  # the dialog stays open to mend it
            return
        dialog.accept()

    def _on_add_closed(self) -> None:
        self.add_dialog = None
