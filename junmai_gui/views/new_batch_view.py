"""The New Batch dialog's widgets and layout, without behaviour (see `NewBatchDialog`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QStringListModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from junmai_gui.domain.config import CONFLICT_POLICIES
from junmai_gui.i18n import QT_TRANSLATE_NOOP
from junmai_gui.views import icons
from junmai_gui.views.after_batch_editor import AfterBatchEditor
from junmai_gui.views.outputs_editor import OutputsEditor

if TYPE_CHECKING:
    from junmai_gui.controller.workbench import PhotoScan


CONFLICT_LABELS = {
    "unique": QT_TRANSLATE_NOOP("NewBatchView", "Keep both (add a number)"),
    "overwrite": QT_TRANSLATE_NOOP("NewBatchView", "Replace the existing file"),
    "skip": QT_TRANSLATE_NOOP("NewBatchView", "Skip the photo"),
}
PREVIEW_SIZE = 300
SHOWN_FILES = 2000  # the list shows the first photos; the count says how many there are


def _preview_label(caption: str) -> tuple[QWidget, QLabel]:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    image = QLabel()
    image.setAlignment(Qt.AlignmentFlag.AlignCenter)
    image.setMinimumSize(PREVIEW_SIZE, int(PREVIEW_SIZE * 0.7))
    image.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    image.setFrameShape(QFrame.Shape.StyledPanel)
    image.setStyleSheet("background: #202326; color: #c9ced6;")
    title = QLabel(caption)
    title.setAlignment(Qt.AlignmentFlag.AlignCenter)
    layout.addWidget(image, 1)
    layout.addWidget(title)
    return box, image


def _read_only_list(model: QStringListModel, max_height: int | None = None) -> QListView:
    view = QListView()
    view.setModel(model)
    view.setUniformItemSizes(True)
    view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
    if max_height is not None:
        view.setMaximumHeight(max_height)
    return view


class NewBatchView(QWidget):
    """Photos on the left with output options under them; preset and preview on the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        left = QVBoxLayout()
        left.addWidget(self._build_photos(), 1)
        left.addWidget(self._build_output_tabs())
        columns = QHBoxLayout()
        columns.addLayout(left, 5)
        columns.addWidget(self._build_preset(), 6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.template_row = QHBoxLayout()  # the dialog puts its TemplateBar here
        layout.addLayout(self.template_row)
        layout.addLayout(columns, 1)
        layout.addLayout(self._build_buttons())

    def _build_photos(self) -> QGroupBox:
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("Named after the first folder"))
        self.files_model = QStringListModel(self)
        self.files_list = _read_only_list(self.files_model)
        self.files_label = QLabel(self.tr("Drop photos or folders here."))
        self.add_files_button = QPushButton(self.tr("Add files…"))
        self.add_folder_button = QPushButton(self.tr("Add folder…"))
        self.clear_button = QPushButton(self.tr("Clear"))
        self.rejected_label = QLabel()
        self.rejected_label.setWordWrap(True)
        self.rejected_model = QStringListModel(self)
        self.rejected_list = _read_only_list(self.rejected_model, 80)
        self.skipped_label = QLabel()
        self.skipped_button = QPushButton(self.tr("Show"))
        self.skipped_button.setCheckable(True)
        self.skipped_button.setToolTip(self.tr("List the files that are not photos"))
        self.skipped_model = QStringListModel(self)
        self.skipped_list = _read_only_list(self.skipped_model, 80)
        for widget in (self.rejected_label, self.rejected_list, self.skipped_label,
                       self.skipped_button, self.skipped_list):  # fmt: skip
            widget.setVisible(False)

        photos = QGroupBox(self.tr("Photos"))
        buttons = QHBoxLayout()
        for button in (self.add_files_button, self.add_folder_button, self.clear_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        name_row = QFormLayout()
        name_row.addRow(self.tr("Batch name"), self.name_edit)
        skipped_row = QHBoxLayout()
        skipped_row.addWidget(self.skipped_label, 1)
        skipped_row.addWidget(self.skipped_button)
        layout = QVBoxLayout(photos)
        layout.addLayout(name_row)
        layout.addLayout(buttons)
        layout.addWidget(self.files_list, 1)
        layout.addWidget(self.files_label)
        layout.addWidget(self.rejected_label)
        layout.addWidget(self.rejected_list)
        layout.addLayout(skipped_row)
        layout.addWidget(self.skipped_list)
        return photos

    def _build_output_tabs(self) -> QTabWidget:
        """Where and how the photos are written, and what happens when the batch ends."""
        self.output_dir_edit = QLineEdit()
        self.output_browse_button = QPushButton(self.tr("Choose…"))
        self.outputs_editor = OutputsEditor()
        # the form of the selected output, by the names the dialog always used
        self.format_combo = self.outputs_editor.format_combo
        self.quality_spin = self.outputs_editor.quality_spin
        self.naming_edit = self.outputs_editor.naming_edit
        self.conflict_combo = QComboBox()
        for policy in CONFLICT_POLICIES:
            self.conflict_combo.addItem(self.tr(CONFLICT_LABELS.get(policy, policy)), policy)
        self.priority_spin = QSpinBox()
        self.priority_spin.setRange(-99, 99)
        self.priority_spin.setToolTip(self.tr("Batches with a higher priority are developed first"))
        output = QWidget()
        form = QFormLayout(output)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.output_dir_edit, 1)
        folder_row.addWidget(self.output_browse_button)
        form.addRow(self.tr("Folder"), folder_row)
        form.addRow(self.outputs_editor)
        conflict_row = QHBoxLayout()
        conflict_row.addWidget(self.conflict_combo, 1)
        conflict_row.addWidget(QLabel(self.tr("Priority")))
        conflict_row.addWidget(self.priority_spin)
        form.addRow(self.tr("If a file exists"), conflict_row)
        self.after_editor = AfterBatchEditor()
        self.output_tabs = QTabWidget()
        self.output_tabs.addTab(output, self.tr("Output"))
        self.output_tabs.addTab(self.after_editor, self.tr("After the batch"))
        return self.output_tabs

    def _build_preset(self) -> QGroupBox:
        self.preset_combo = QComboBox()
        self.preset_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.import_preset_button = QPushButton(self.tr("Import…"))
        self.import_preset_button.setToolTip(
            self.tr("Import a Lightroom .xmp preset, a .cube LUT or a Hald image")
        )
        self.preset_description = QLabel()
        self.preset_description.setWordWrap(True)
        self.preset_notes = QLabel()  # what the preset asks that is not rendered: a warning
        self.preset_notes.setWordWrap(True)
        self.preset_notes.setStyleSheet("color: #8a6d1c;")
        self.blend_slider = QSlider(Qt.Orientation.Horizontal)
        self.blend_slider.setRange(0, 100)
        self.blend_spin = QSpinBox()
        self.blend_spin.setRange(0, 100)
        self.blend_spin.setSuffix(" %")
        before_box, self.before_label = _preview_label(self.tr("Before"))
        after_box, self.after_label = _preview_label(self.tr("After"))
        self.preview_status = QLabel()
        self.preview_status.setWordWrap(True)
        preset = QGroupBox(self.tr("Preset"))
        grid = QGridLayout(preset)
        grid.addWidget(self.preset_combo, 0, 0, 1, 2)
        grid.addWidget(self.import_preset_button, 0, 2)
        grid.addWidget(QLabel(self.tr("Blend")), 1, 0)
        grid.addWidget(self.blend_slider, 1, 1)
        grid.addWidget(self.blend_spin, 1, 2)
        notes = QVBoxLayout()
        notes.addWidget(self.preset_description)
        notes.addWidget(self.preset_notes)
        grid.addLayout(notes, 2, 0, 1, 3)
        previews = QHBoxLayout()
        previews.addWidget(before_box)
        previews.addWidget(after_box)
        grid.addLayout(previews, 3, 0, 1, 3)
        grid.addWidget(self.preview_status, 4, 0, 1, 3)
        grid.setRowStretch(3, 1)
        grid.setColumnStretch(1, 1)
        return preset

    def _build_buttons(self) -> QHBoxLayout:
        self.problems_label = QLabel()
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet(icons.PROBLEM_STYLE)
        self.start_button = QPushButton(self.tr("Start now"))
        self.start_button.setDefault(True)
        self.add_paused_button = QPushButton(self.tr("Add paused"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.creation_bar = QProgressBar()
        self.creation_bar.setTextVisible(True)
        self.creation_bar.setVisible(False)
        bottom = QHBoxLayout()
        bottom.addWidget(self.creation_bar, 1)
        bottom.addWidget(self.problems_label, 1)
        bottom.addWidget(self.cancel_button)
        bottom.addWidget(self.add_paused_button)
        bottom.addWidget(self.start_button)
        return bottom


def show_scan(view: NewBatchView, scan: PhotoScan, shown: Callable[[Path], str]) -> None:
    """The photos a scan found, the files refused with the reason, and "3 files skipped:
    not photos" with their list behind Show (`shown` writes a path as listed)."""
    files = scan.files
    view.files_model.setStringList([shown(p) for p in files[:SHOWN_FILES]])
    count = len(files)
    if count == 1:
        view.files_label.setText(QCoreApplication.translate("NewBatchView", "1 photo"))
    elif count > SHOWN_FILES:
        view.files_label.setText(
            QCoreApplication.translate(
                "NewBatchView", "{count:,} photos (showing the first {shown:,})"
            ).format(count=count, shown=SHOWN_FILES)
        )
    elif count:
        view.files_label.setText(
            QCoreApplication.translate("NewBatchView", "{count:,} photos").format(count=count)
        )
    else:
        view.files_label.setText(
            QCoreApplication.translate("NewBatchView", "Drop photos or folders here.")
        )
    view.rejected_model.setStringList([f"{Path(p).name}: {why}" for p, why in scan.rejected])
    rejected = len(scan.rejected)
    if rejected == 1:
        view.rejected_label.setText(
            QCoreApplication.translate("NewBatchView", "1 file will not be developed:")
        )
    else:
        view.rejected_label.setText(
            QCoreApplication.translate(
                "NewBatchView", "{count:,} files will not be developed:"
            ).format(count=rejected)
        )
    view.rejected_label.setVisible(bool(rejected))
    view.rejected_list.setVisible(bool(rejected))
    skipped = scan.skipped
    if len(skipped) == 1:
        view.skipped_label.setText(
            QCoreApplication.translate("NewBatchView", "1 file skipped: not a photo")
        )
    else:
        view.skipped_label.setText(
            QCoreApplication.translate(
                "NewBatchView", "{count:,} files skipped: not photos"
            ).format(count=len(skipped))
        )
    view.skipped_model.setStringList([shown(Path(p)) for p in skipped])
    view.skipped_label.setVisible(bool(skipped))
    view.skipped_button.setVisible(bool(skipped))
    view.skipped_list.setVisible(bool(skipped) and view.skipped_button.isChecked())
