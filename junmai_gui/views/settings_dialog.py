"""Settings: workers, default output, tray behaviour, and the local API with its token.

Saved with `store.settings` as settings.json in the data dir, so they survive restarts.
The API token lives in its own 0600 file (`store.api_token`); it is shown masked, can be
copied, and regenerated (old scripts then stop working, which the dialog says).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from junmai_gui.store.api_token import read_or_create_token, regenerate_token
from junmai_gui.store.settings import AppSettings, save_settings
from junmai_gui.views.farm_page import FarmPage
from junmai_gui.views.new_batch_view import format_and_quality_row

TOKEN_CHARS = 43  # 32 random bytes, URL-safe base64 without padding


class SettingsDialog(QDialog):
    settings_saved = Signal(object)  # AppSettings
    token_regenerated = Signal(str)  # the new token

    def __init__(
        self,
        settings: AppSettings,
        data_dir: Path,
        parent: QWidget | None = None,
        *,
        api_now: str = "",
        farm_page: FarmPage | None = None,
    ) -> None:
        """`api_now`: where the API listens in this run (`--api-port` may differ from the
        setting), as the status bar says it. `farm_page`: the Farm page (views.farm_page)."""
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self._settings = settings
        self._data_dir = Path(data_dir)
        self._token: str | None = None

        self.workers_spin = QSpinBox()
        self.workers_spin.setRange(1, 64)
        self.workers_spin.setValue(settings.workers)
        self.workers_spin.setToolTip("Photos developed at the same time, over all batches")
        self.output_dir_edit = QLineEdit(settings.default_output_dir or "")
        self.output_dir_edit.setPlaceholderText("Pictures/Junmai Batch")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._choose_output_dir)
        self.format_combo, self.quality_spin, format_row = format_and_quality_row()
        self.format_combo.setCurrentIndex(
            max(0, self.format_combo.findData(settings.default_format))
        )
        self.quality_spin.setValue(settings.default_quality)
        self.close_to_tray_check = QCheckBox("Closing the window keeps developing in the tray")
        self.close_to_tray_check.setChecked(settings.close_to_tray)
        self.recovery_prompt_check = QCheckBox("After a crash, ask whether to resume at launch")
        self.recovery_prompt_check.setChecked(settings.recovery_prompt)

        self.api_enabled_check = QCheckBox("Let scripts on this computer control batches")
        self.api_enabled_check.setChecked(settings.api_enabled)
        self.api_port_spin = QSpinBox()
        self.api_port_spin.setRange(1024, 65535)
        self.api_port_spin.setValue(settings.api_port)
        self.token_edit = QLineEdit()
        self.token_edit.setReadOnly(True)
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        # Wide enough to read the whole token (43 characters) once it is shown.
        self.token_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.token_edit.setMinimumWidth(
            self.token_edit.fontMetrics().horizontalAdvance("M" * TOKEN_CHARS) + 16
        )
        self.show_token_button = QPushButton("Show")
        self.show_token_button.setCheckable(True)
        self.show_token_button.toggled.connect(self._on_show_token)
        self.copy_token_button = QPushButton("Copy")
        self.copy_token_button.clicked.connect(self.copy_token)
        self.regenerate_button = QPushButton("New token")
        self.regenerate_button.setToolTip("Scripts using the old token stop working")
        self.regenerate_button.clicked.connect(self.regenerate)
        self.restart_note = QLabel(
            "A new port, or switching the API on or off, takes effect when you press Save."
        )
        self.restart_note.setWordWrap(True)

        general = QGroupBox("Developing")
        form = QFormLayout(general)
        form.addRow("Workers", self.workers_spin)
        folder = QHBoxLayout()
        folder.addWidget(self.output_dir_edit, 1)
        folder.addWidget(browse)
        form.addRow("Default output folder", folder)
        form.addRow("Default format", format_row)
        form.addRow(self.close_to_tray_check)
        form.addRow(self.recovery_prompt_check)

        api = QGroupBox("Local API")
        api_form = QFormLayout(api)
        api_form.addRow(self.api_enabled_check)
        api_form.addRow("Port", self.api_port_spin)
        self.api_now_label = QLabel(api_now)
        self.api_now_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if api_now:
            api_form.addRow("Now", self.api_now_label)
        token_row = QHBoxLayout()
        token_row.addWidget(self.token_edit, 1)
        for button in (self.show_token_button, self.copy_token_button, self.regenerate_button):
            token_row.addWidget(button)
        api_form.addRow("Token", token_row)
        api_form.addRow(self.restart_note)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addWidget(general)
        layout.addWidget(api)
        self.farm_page = farm_page
        if farm_page is not None:
            layout.addWidget(farm_page)
        layout.addWidget(buttons)
        self._load_token()

    def settings(self) -> AppSettings:
        """The settings as they stand in the form."""
        settings = self.farm_page.apply(self._settings) if self.farm_page else self._settings
        return dataclasses.replace(
            settings,
            workers=self.workers_spin.value(),
            default_output_dir=self.output_dir_edit.text().strip() or None,
            default_format=self.format_combo.currentData(),
            default_quality=self.quality_spin.value(),
            close_to_tray=self.close_to_tray_check.isChecked(),
            recovery_prompt=self.recovery_prompt_check.isChecked(),
            api_enabled=self.api_enabled_check.isChecked(),
            api_port=self.api_port_spin.value(),
        )

    def save(self) -> None:
        settings = self.settings()
        try:
            save_settings(self._data_dir, settings)
        except OSError as exc:
            self.restart_note.setText(f"The settings could not be saved: {exc.strerror}")
            return
        self._settings = settings
        self.settings_saved.emit(settings)
        self.accept()

    def copy_token(self) -> None:
        if self._token:
            QApplication.clipboard().setText(self._token)

    def regenerate(self) -> None:
        try:
            self._token = regenerate_token(self._data_dir)
        except OSError as exc:
            self.restart_note.setText(f"A new token could not be written: {exc.strerror}")
            return
        self.token_edit.setText(self._token)
        self.restart_note.setText("New token saved: scripts must read it again.")
        self.token_regenerated.emit(self._token)

    def _load_token(self) -> None:
        try:
            self._token = read_or_create_token(self._data_dir)
        except OSError as exc:
            self.token_edit.setPlaceholderText(f"Could not read the token: {exc.strerror}")
            return
        self.token_edit.setText(self._token)

    def _on_show_token(self, shown: bool) -> None:
        self.token_edit.setEchoMode(
            QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        )
        self.show_token_button.setText("Hide" if shown else "Show")

    def _choose_output_dir(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Default output folder", self.output_dir_edit.text()
        )
        if folder:
            self.output_dir_edit.setText(folder)
