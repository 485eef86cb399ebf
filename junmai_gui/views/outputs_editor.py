"""New Batch's outputs: the files each photo is written as (format, quality, bit depth, size,
file names and subfolder, XMP sidecar), as a small list with add and remove, and the form of
the output selected in it.

One output is the default and looks as New Batch always did (the list shows from two
outputs on). The editor holds the outputs as `OutputSpec` dicts; `BatchConfig` checks them
when the dialog asks, so the rules live in one place. Under the form, the example names of
the first photo (`show_examples`), or why there are none.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from junmai_gui.domain.app_settings import QUALITIES
from junmai_gui.domain.config import (
    BIT_DEPTHS,
    MAX_OUTPUTS,
    OUTPUT_FORMATS,
    SIXTEEN_BIT_FORMATS,
    OutputSpec,
)
from junmai_gui.views import icons

FORMAT_LABELS = {"jpeg": "JPEG", "tiff": "TIFF", "png": "PNG", "webp": "WebP", "avif": "AVIF"}
MAX_LONG_EDGE_SHOWN = 100_000


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
    row.addWidget(QLabel(QCoreApplication.translate("OutputsEditor", "Quality")))
    row.addWidget(quality)
    row.addStretch(1)
    return combo, quality, row


def default_output(**overrides: Any) -> dict[str, Any]:
    """One output's settings with `OutputSpec`'s defaults under `overrides`."""
    return {**OutputSpec().to_dict(), **overrides}


class OutputsEditor(QWidget):
    """Edit the outputs of a batch; `changed` after every edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._outputs: list[dict[str, Any]] = [default_output()]
        self._current = 0
        self._build()
        self._connect()
        self._show_list()
        self._load_form()

    def _build(self) -> None:
        self.list = QListWidget()
        self.list.setMaximumHeight(84)
        self.add_button = QPushButton(self.tr("Add output"))
        self.add_button.setToolTip(
            self.tr("Write each photo once more, e.g. a small JPEG for the web")
        )
        self.remove_button = QPushButton(self.tr("Remove output"))
        self.format_combo, self.quality_spin, format_row = format_and_quality_row()
        self.bit_depth_combo = QComboBox()
        for depth in BIT_DEPTHS:
            self.bit_depth_combo.addItem(self.tr("{bits}-bit").format(bits=depth), depth)
        self.bit_depth_combo.setToolTip(self.tr("16 bits per channel: TIFF and PNG only"))
        format_row.insertWidget(format_row.count() - 1, self.bit_depth_combo)
        self.long_edge_spin = QSpinBox()
        self.long_edge_spin.setRange(0, MAX_LONG_EDGE_SHOWN)
        self.long_edge_spin.setSingleStep(256)
        self.long_edge_spin.setSpecialValueText(self.tr("Full size"))
        self.long_edge_spin.setSuffix(self.tr(" px"))
        self.long_edge_spin.setToolTip(self.tr("Scale down so the longer side has this length"))
        self.naming_edit = QLineEdit()
        self.naming_edit.setToolTip(
            self.tr(
                "{stem} the photo's name, {preset} the preset, {batch} the batch, {seq:04} its "
                "number, {date:%Y-%m-%d} when it was taken, {camera}, {lens}, {iso}, {rating}; "
                "a / makes subfolders"
            )
        )
        self.subfolder_edit = QLineEdit()
        self.subfolder_edit.setPlaceholderText(self.tr("None: in the output folder itself"))
        self.xmp_check = QCheckBox(self.tr("Write an XMP sidecar with the develop settings"))
        self.examples_label = QLabel()
        self.examples_label.setWordWrap(True)
        self.examples_label.setTextFormat(Qt.TextFormat.PlainText)
        self.examples_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        self.list_row = QWidget()
        list_layout = QHBoxLayout(self.list_row)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(self.list, 1)
        list_layout.addLayout(buttons)
        self.form = QFormLayout()
        self.form.addRow(self.tr("Format"), format_row)
        size_row = QHBoxLayout()
        size_row.addWidget(self.long_edge_spin)
        size_row.addStretch(1)
        self.form.addRow(self.tr("Size"), size_row)
        self.form.addRow(self.tr("File names"), self.naming_edit)
        self.form.addRow(self.tr("Subfolder"), self.subfolder_edit)
        self.form.addRow(self.xmp_check)
        self.form.addRow(self.tr("Example"), self.examples_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list_row)
        layout.addLayout(self.form)

    def _connect(self) -> None:
        self.list.currentRowChanged.connect(self._on_row_changed)
        self.add_button.clicked.connect(self.add_output)
        self.remove_button.clicked.connect(self.remove_output)
        self.format_combo.currentIndexChanged.connect(self._on_form_edited)
        self.bit_depth_combo.currentIndexChanged.connect(self._on_form_edited)
        self.quality_spin.valueChanged.connect(self._on_form_edited)
        self.long_edge_spin.valueChanged.connect(self._on_form_edited)
        self.naming_edit.textChanged.connect(self._on_form_edited)
        self.subfolder_edit.textChanged.connect(self._on_form_edited)
        self.xmp_check.toggled.connect(self._on_form_edited)

    # -- public -------------------------------------------------------------------------

    def outputs(self) -> list[dict[str, Any]]:
        """Every output as `OutputSpec`'s dict, in order."""
        return [dict(output) for output in self._outputs]

    def set_outputs(self, outputs: list[dict[str, Any]]) -> None:
        """Show these outputs (at least one: an empty list shows the default one)."""
        self._outputs = [default_output(**o) for o in outputs[:MAX_OUTPUTS]] or [default_output()]
        self._current = 0
        self._show_list()
        self._load_form()
        self.changed.emit()

    @property
    def current(self) -> int:
        """The index of the output the form edits."""
        return self._current

    def select(self, index: int) -> None:
        self.list.setCurrentRow(index)

    def add_output(self) -> None:
        """A copy of the selected output, in a subfolder of its own."""
        if len(self._outputs) >= MAX_OUTPUTS:
            return
        number = len(self._outputs) + 1
        copy = dict(self._outputs[self._current])
        copy["subfolder"] = self.tr("output {number}").format(number=number)
        self._outputs.append(copy)
        self._show_list()
        self.select(len(self._outputs) - 1)
        self.changed.emit()

    def remove_output(self) -> None:
        if len(self._outputs) <= 1:
            return
        del self._outputs[self._current]
        self._current = min(self._current, len(self._outputs) - 1)
        self._show_list()
        self._load_form()
        self.changed.emit()

    def show_examples(self, names: list[str] | None, problem: str = "") -> None:
        """The example names of the first photo, one per output; or why there are none."""
        if names is None:
            self.examples_label.setText(problem)
            self.examples_label.setStyleSheet(icons.PROBLEM_STYLE if problem else "")
            return
        self.examples_label.setStyleSheet("")
        if len(names) == 1:
            self.examples_label.setText(names[0])
        else:
            self.examples_label.setText(
                "\n".join(
                    self.tr("{number}: {name}").format(number=n, name=name)
                    for n, name in enumerate(names, start=1)
                )
            )

    # -- internals ----------------------------------------------------------------------

    def _summary(self, number: int, output: dict[str, Any]) -> str:
        fmt = FORMAT_LABELS.get(output["format"], output["format"])
        size = (
            self.tr("{px} px").format(px=output["long_edge"])
            if output["long_edge"]
            else self.tr("full size")
        )
        folder = output["subfolder"] or self.tr("output folder")
        return self.tr("{number}. {format}, {size}, in {folder}").format(
            number=number, format=fmt, size=size, folder=folder
        )

    def _show_list(self) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for number, output in enumerate(self._outputs, start=1):
            self.list.addItem(self._summary(number, output))
        self.list.setCurrentRow(self._current)
        self.list.blockSignals(False)
        several = len(self._outputs) > 1
        self.list.setVisible(several)
        self.remove_button.setVisible(several)
        self.add_button.setEnabled(len(self._outputs) < MAX_OUTPUTS)

    def _load_form(self) -> None:
        output = self._outputs[self._current]
        widgets = (
            self.format_combo, self.bit_depth_combo, self.quality_spin, self.long_edge_spin,
            self.naming_edit, self.subfolder_edit, self.xmp_check,
        )  # fmt: skip
        for widget in widgets:
            widget.blockSignals(True)
        self.format_combo.setCurrentIndex(max(0, self.format_combo.findData(output["format"])))
        self.bit_depth_combo.setCurrentIndex(
            max(0, self.bit_depth_combo.findData(output["bit_depth"]))
        )
        self.quality_spin.setValue(int(output["quality"]))
        self.long_edge_spin.setValue(int(output["long_edge"] or 0))
        self.naming_edit.setText(str(output["naming"]))
        self.subfolder_edit.setText(str(output["subfolder"]))
        self.xmp_check.setChecked(bool(output["xmp_sidecar"]))
        for widget in widgets:
            widget.blockSignals(False)
        self._enable_bit_depth()

    def _enable_bit_depth(self) -> None:
        sixteen = self.format_combo.currentData() in SIXTEEN_BIT_FORMATS
        self.bit_depth_combo.setEnabled(sixteen)
        if not sixteen and self.bit_depth_combo.currentData() != 8:
            self.bit_depth_combo.setCurrentIndex(self.bit_depth_combo.findData(8))

    def _on_row_changed(self, row: int) -> None:
        if 0 <= row < len(self._outputs):
            self._current = row
            self._load_form()

    def _on_form_edited(self) -> None:
        self._enable_bit_depth()
        long_edge = self.long_edge_spin.value()
        self._outputs[self._current] = {
            "format": self.format_combo.currentData(),
            "quality": self.quality_spin.value(),
            "bit_depth": self.bit_depth_combo.currentData(),
            "long_edge": long_edge or None,
            "naming": self.naming_edit.text(),
            "subfolder": self.subfolder_edit.text().strip(),
            "xmp_sidecar": self.xmp_check.isChecked(),
        }
        item = self.list.item(self._current)
        if item is not None:
            item.setText(self._summary(self._current + 1, self._outputs[self._current]))
        self.changed.emit()
