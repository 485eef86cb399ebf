"""New Batch's templates: start from a saved template (it fills the form), save the form as
one ("Save as template…", asking before replacing one of the same name), delete one.

Templates live in the controller (`controller.templates`); the bar follows
`templates_changed`, so a template saved elsewhere (the settings file, another dialog)
shows at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QWidget,
)

from junmai_gui.domain.errors import BatchError
from junmai_gui.views import icons
from junmai_gui.views.formatting import error_text

if TYPE_CHECKING:
    from junmai_gui.controller.templates import BatchTemplates


class TemplateBar(QWidget):
    """`template_chosen(config)` when a template is picked; `refused(message)` when saving,
    reading or deleting one did not work (also shown beside the buttons until the next
    success)."""

    template_chosen = Signal(object)  # the template's config dict
    refused = Signal(str)

    def __init__(
        self,
        templates: BatchTemplates,
        config_of_form: Callable[[], dict[str, Any]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._templates = templates
        self._config_of_form = config_of_form
        self.combo = QComboBox()
        self.combo.setMinimumContentsLength(18)
        self.save_button = QPushButton(self.tr("Save as template…"))
        self.save_button.setToolTip(
            self.tr("Save the preset, blend, outputs and after-batch actions under a name")
        )
        self.delete_button = QPushButton(self.tr("Delete template…"))
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(icons.PROBLEM_STYLE)
        self.refused.connect(self.problem_label.setText)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("Start from")))
        layout.addWidget(self.combo)
        layout.addWidget(self.save_button)
        layout.addWidget(self.delete_button)
        layout.addWidget(self.problem_label, 1)
        self._fill()
        self.combo.activated.connect(self._on_activated)
        self.save_button.clicked.connect(self._ask_name_and_save)
        self.delete_button.clicked.connect(self._ask_and_delete)
        templates.templates_changed.connect(self._fill)

    @property
    def chosen(self) -> str | None:
        """The template picked, None for "(none)"."""
        data = self.combo.currentData()
        return str(data) if data else None

    def choose(self, name: str) -> None:
        """Pick a template by name: the form takes its settings."""
        index = self.combo.findData(name)
        if index >= 0:
            self.combo.setCurrentIndex(index)
            self._on_activated(index)

    def save(self, name: str) -> bool:
        """Save the form as template `name`; replacing one asks first. Whether it was saved."""
        name = name.strip()
        if not name:
            return False
        if name in self._templates.names():
            answer = QMessageBox.question(
                self,
                self.tr("Replace template"),
                self.tr("A template named “{name}” exists. Replace it with these settings?").format(
                    name=name
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        config = {k: v for k, v in self._config_of_form().items() if v is not None}
        try:
            self._templates.save(name, config)
        except BatchError as exc:
            self.refused.emit(
                self.tr("The template was not saved: {reason}").format(reason=error_text(exc))
            )
            return False
        self.combo.setCurrentIndex(max(0, self.combo.findData(name)))
        self.problem_label.clear()
        return True

    def delete(self, name: str) -> bool:
        """Delete template `name` after asking. Whether it was deleted."""
        answer = QMessageBox.question(
            self,
            self.tr("Delete template"),
            self.tr(
                "Delete the template “{name}”? Batches made from it keep their settings; "
                "watched folders that use it take no new photos until it is saved again."
            ).format(name=name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            self._templates.delete(name)
        except BatchError as exc:
            self.refused.emit(error_text(exc))
            return False
        self.problem_label.clear()
        return True

    def _fill(self) -> None:
        current = self.chosen
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem(self.tr("(no template)"), "")
        for name in self._templates.names():
            self.combo.addItem(name, name)
        self.combo.setCurrentIndex(max(0, self.combo.findData(current or "")))
        self.combo.blockSignals(False)
        self.delete_button.setEnabled(self.combo.count() > 1)

    def _on_activated(self, index: int) -> None:
        name = self.combo.itemData(index)
        if not name:
            return
        try:
            record = self._templates.get(str(name))
        except BatchError as exc:
            self.refused.emit(error_text(exc))
            return
        self.problem_label.clear()
        self.template_chosen.emit(dict(record.config))

    def _ask_name_and_save(self) -> None:
        name, ok = QInputDialog.getText(
            self, self.tr("Save as template"), self.tr("Template name"), text=self.chosen or ""
        )
        if ok:
            self.save(name)

    def _ask_and_delete(self) -> None:
        name = self.chosen
        if name is None:
            items = self._templates.names()
            if not items:
                return
            name, ok = QInputDialog.getItem(
                self, self.tr("Delete template"), self.tr("Template"), items, 0, False
            )
            if not ok:
                return
        self.delete(name)
