"""The New Batch dialog's widgets and layout, without behaviour (see `NewBatchDialog`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStringListModel, Qt
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
    QVBoxLayout,
    QWidget,
)

from junmai_gui.domain.app_settings import QUALITIES
from junmai_gui.domain.config import CONFLICT_POLICIES, OUTPUT_FORMATS

if TYPE_CHECKING:
    from junmai_gui.controller.workbench import PhotoScan

FORMAT_LABELS = {"jpeg": "JPEG", "tiff": "TIFF", "png": "PNG", "webp": "WebP", "avif": "AVIF"}


def format_and_quality_row() -> tuple[QComboBox, QSpinBox, QHBoxLayout]:
    """The output format picker with its quality beside it, laid out alike in the new-batch
    form and the settings."""
    combo = QComboBox()
    for fmt in OUTPUT_FORMATS:
        combo.addItem(FORMAT_LABELS.get(fmt, fmt), fmt)
    quality = QSpinBox()
    quality.setRange(*QUALITIES)
    row = QHBoxLayout()
    row.addWidget(combo)
    row.addWidget(QLabel("Quality"))
    row.addWidget(quality)
    row.addStretch(1)
    return combo, quality, row


CONFLICT_LABELS = {
    "unique": "Keep both (add a number)",
    "overwrite": "Replace the existing file",
    "skip": "Skip the photo",
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
        left.addWidget(self._build_output())
        columns = QHBoxLayout()
        columns.addLayout(left, 2)
        columns.addWidget(self._build_preset(), 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(columns, 1)
        layout.addLayout(self._build_buttons())

    def _build_photos(self) -> QGroupBox:
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("Named after the first folder")
        self.files_model = QStringListModel(self)
        self.files_list = _read_only_list(self.files_model)
        self.files_label = QLabel("Drop photos or folders here.")
        self.add_files_button = QPushButton("Add files…")
        self.add_folder_button = QPushButton("Add folder…")
        self.clear_button = QPushButton("Clear")
        self.rejected_label = QLabel()
        self.rejected_label.setWordWrap(True)
        self.rejected_model = QStringListModel(self)
        self.rejected_list = _read_only_list(self.rejected_model, 80)
        self.skipped_label = QLabel()
        self.skipped_button = QPushButton("Show")
        self.skipped_button.setCheckable(True)
        self.skipped_button.setToolTip("List the files that are not photos")
        self.skipped_model = QStringListModel(self)
        self.skipped_list = _read_only_list(self.skipped_model, 80)
        for widget in (self.rejected_label, self.rejected_list, self.skipped_label,
                       self.skipped_button, self.skipped_list):  # fmt: skip
            widget.setVisible(False)

        photos = QGroupBox("Photos")
        buttons = QHBoxLayout()
        for button in (self.add_files_button, self.add_folder_button, self.clear_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        name_row = QFormLayout()
        name_row.addRow("Batch name", self.name_edit)
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

    def _build_output(self) -> QGroupBox:
        self.output_dir_edit = QLineEdit()
        self.output_browse_button = QPushButton("Choose…")
        self.format_combo, self.quality_spin, format_row = format_and_quality_row()
        self.naming_edit = QLineEdit()
        self.naming_edit.setToolTip(
            "{stem} the photo's name, {preset} the preset, {batch} the batch, {seq} its number"
        )
        self.conflict_combo = QComboBox()
        for policy in CONFLICT_POLICIES:
            self.conflict_combo.addItem(CONFLICT_LABELS.get(policy, policy), policy)
        self.priority_spin = QSpinBox()
        self.priority_spin.setRange(-99, 99)
        self.priority_spin.setToolTip("Batches with a higher priority are developed first")
        output = QGroupBox("Output")
        form = QFormLayout(output)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.output_dir_edit, 1)
        folder_row.addWidget(self.output_browse_button)
        form.addRow("Folder", folder_row)
        form.addRow("Format", format_row)
        form.addRow("File names", self.naming_edit)
        form.addRow("If a file exists", self.conflict_combo)
        form.addRow("Priority", self.priority_spin)
        return output

    def _build_preset(self) -> QGroupBox:
        self.preset_combo = QComboBox()
        self.preset_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.import_preset_button = QPushButton("Import…")
        self.import_preset_button.setToolTip(
            "Import a Lightroom .xmp preset, a .cube LUT or a Hald image"
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
        before_box, self.before_label = _preview_label("Before")
        after_box, self.after_label = _preview_label("After")
        self.preview_status = QLabel()
        self.preview_status.setWordWrap(True)
        preset = QGroupBox("Preset")
        grid = QGridLayout(preset)
        grid.addWidget(self.preset_combo, 0, 0, 1, 2)
        grid.addWidget(self.import_preset_button, 0, 2)
        grid.addWidget(QLabel("Blend"), 1, 0)
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
        self.problems_label.setStyleSheet("color: #c8352f;")
        self.start_button = QPushButton("Start now")
        self.start_button.setDefault(True)
        self.add_paused_button = QPushButton("Add paused")
        self.cancel_button = QPushButton("Cancel")
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
        view.files_label.setText("1 photo")
    elif count > SHOWN_FILES:
        view.files_label.setText(f"{count:,} photos (showing the first {SHOWN_FILES:,})")
    elif count:
        view.files_label.setText(f"{count:,} photos")
    else:
        view.files_label.setText("Drop photos or folders here.")
    view.rejected_model.setStringList([f"{Path(p).name}: {why}" for p, why in scan.rejected])
    rejected = len(scan.rejected)
    if rejected == 1:
        view.rejected_label.setText("1 file will not be developed:")
    else:
        view.rejected_label.setText(f"{rejected:,} files will not be developed:")
    view.rejected_label.setVisible(bool(rejected))
    view.rejected_list.setVisible(bool(rejected))
    skipped = scan.skipped
    if len(skipped) == 1:
        view.skipped_label.setText("1 file skipped: not a photo")
    else:
        view.skipped_label.setText(f"{len(skipped):,} files skipped: not photos")
    view.skipped_model.setStringList([shown(Path(p)) for p in skipped])
    view.skipped_label.setVisible(bool(skipped))
    view.skipped_button.setVisible(bool(skipped))
    view.skipped_list.setVisible(bool(skipped) and view.skipped_button.isChecked())
