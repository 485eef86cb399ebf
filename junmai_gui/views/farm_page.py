"""Settings' Farm page: the render farm's broker URL, Test connection, and whether this
computer develops photos too (docs/farm.md).

The farm is reached only through the controller: `check_farm_connection` (an operation off
the GUI thread, since an unreachable broker takes seconds to say so) and `farm_status` for
what the farm looks like now. The choices are saved with the other settings and take effect at the
next launch, as `--farm` and `--workers` do.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from junmai_gui.domain.app_settings import AppSettings
from junmai_gui.domain.errors import BatchError
from junmai_gui.views import formatting
from junmai_gui.views.operation_slot import OperationSlot

if TYPE_CHECKING:
    from junmai_gui.controller.batch_controller import BatchController

URL_HINT = "redis://:PASSWORD@HOST:PORT/0"


class FarmPage(QGroupBox):
    """The Farm part of the settings; `apply(settings)` adds its choices to them."""

    connection_checked = Signal(str)  # the answer of Test connection, in a sentence

    def __init__(
        self, settings: AppSettings, controller: BatchController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Render farm"))
        self._controller = controller
        self.url_edit = QLineEdit(settings.farm_url)
        self.url_edit.setPlaceholderText(URL_HINT)
        self.url_edit.setToolTip(
            self.tr("The first line `junmai-farm hub` prints (empty: no farm)")
        )
        self.url_edit.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        self.test_button = QPushButton(self.tr("Test connection"))
        self.test_button.clicked.connect(self.test_connection)
        self.develops_here_check = QCheckBox(self.tr("This computer develops photos too"))
        self.develops_here_check.setChecked(settings.farm_develops_here)
        self.answer_label = QLabel(formatting.farm_text(controller.farm_status()))
        self.answer_label.setWordWrap(True)
        note = QLabel(self.tr("Changes to the farm take effect at the next launch."))
        note.setWordWrap(True)
        self.connection_checked.connect(self._on_connection_checked)
        self._check = OperationSlot(self._on_answer, self._on_check_failed, self)

        row = QHBoxLayout()
        row.addWidget(self.url_edit, 1)
        row.addWidget(self.test_button)
        form = QFormLayout(self)
        form.addRow(self.tr("Broker URL"), row)
        form.addRow(self.develops_here_check)
        form.addRow(self.answer_label)
        form.addRow(note)

    def apply(self, settings: AppSettings) -> AppSettings:
        return dataclasses.replace(
            settings,
            farm_url=self.url_edit.text().strip(),
            farm_develops_here=self.develops_here_check.isChecked(),
        )

    def test_connection(self) -> None:
        """Ask the broker (off the GUI thread); the answer comes as `connection_checked`."""
        url = self.url_edit.text().strip()
        if not url:
            self._on_connection_checked(
                self.tr("Give the farm's URL first: {example}").format(example=URL_HINT)
            )
            return
        self.test_button.setEnabled(False)
        self.answer_label.setText(self.tr("Testing…"))
        self._check.start(self._controller.check_farm_connection(url))

    def _on_answer(self, problem: Any) -> None:
        self.connection_checked.emit(
            problem or self.tr("Connected: the broker answered with this password.")
        )

    def _on_check_failed(self, error: BatchError) -> None:
        self.connection_checked.emit(formatting.error_text(error))

    def _on_connection_checked(self, text: str) -> None:
        self.test_button.setEnabled(True)
        self.answer_label.setText(text)
