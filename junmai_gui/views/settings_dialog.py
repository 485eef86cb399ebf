"""Settings: workers, default output, what closing the window does, the local API with its
token, the render farm, and the watched folders — one page (tab) each.

The dialog shows what runs (`SettingsService.current`: a launch option such as `--api-port`
included) and Save applies at once what it shows: the service saves settings.json and tells
the window and the app, which give the controller its workers and output folder and move,
start or stop the API. The API token lives in its own 0600 file; it is shown masked, can be
copied, and regenerated (old scripts then stop working, which the dialog says). The Watch
folders page is not part of Save: its changes apply at once (`views.watch_folders_page`).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
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
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from junmai_gui.controller.settings_service import SettingsError
from junmai_gui.domain.app_settings import (
    API_PORTS,
    CLOSE_ACTIONS,
    CLOSE_ASK,
    CLOSE_QUITS,
    CLOSE_TO_TRAY,
    LANGUAGE_NAMES,
    LANGUAGE_SYSTEM,
    LANGUAGES,
    MAX_WORKERS,
    AppSettings,
)
from junmai_gui.i18n import QT_TRANSLATE_NOOP
from junmai_gui.views.outputs_editor import format_and_quality_row

if TYPE_CHECKING:
    from junmai_gui.controller.settings_service import SettingsService
    from junmai_gui.views.farm_page import FarmPage
    from junmai_gui.views.watch_folders_page import WatchFoldersPage

TOKEN_CHARS = 43  # 32 random bytes, URL-safe base64 without padding
CLOSE_LABELS = {
    CLOSE_ASK: QT_TRANSLATE_NOOP("SettingsDialog", "Ask me"),
    CLOSE_TO_TRAY: QT_TRANSLATE_NOOP("SettingsDialog", "Keep developing in the tray"),
    CLOSE_QUITS: QT_TRANSLATE_NOOP("SettingsDialog", "Quit (pauses batches)"),
}


class SettingsDialog(QDialog):
    def __init__(
        self,
        settings: SettingsService,
        parent: QWidget | None = None,
        *,
        api_now: str = "",
        farm_page: FarmPage | None = None,
        watch_page: WatchFoldersPage | None = None,
    ) -> None:
        """`api_now`: where the API listens in this run, as the status bar says it;
        `farm_page`: the render farm's page (views.farm_page); `watch_page`: the watched
        folders' (views.watch_folders_page)."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self._service = settings
        self._shown = settings.current
        self._token: str | None = None
        self.farm_page = farm_page
        self.watch_page = watch_page
        self.pages = QTabWidget()
        self.pages.addTab(self._page(self._build_developing(self._shown)), self.tr("General"))
        self.pages.addTab(self._page(self._build_api(self._shown, api_now)), self.tr("Local API"))
        if farm_page is not None:
            self.pages.addTab(self._page(farm_page), self.tr("Farm"))
        if watch_page is not None:
            self.pages.addTab(watch_page, self.tr("Watch folders"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        layout.addWidget(self.note)  # under the pages: Save's problems show from any page
        layout.addWidget(self._build_buttons())
        self._load_token()

    @staticmethod
    def _page(content: QWidget) -> QWidget:
        """A page with `content` at its top."""
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(content)
        layout.addStretch(1)
        return page

    def show_watch_folders(self) -> None:
        """Turn to the Watch folders page."""
        if self.watch_page is not None:
            self.pages.setCurrentWidget(self.watch_page)

    def _build_developing(self, shown: AppSettings) -> QGroupBox:
        self.workers_spin = QSpinBox()
        self.workers_spin.setRange(1, MAX_WORKERS)
        self.workers_spin.setValue(shown.workers)
        self.workers_spin.setToolTip(self.tr("Photos developed at the same time, over all batches"))
        self.output_dir_edit = QLineEdit(shown.default_output_dir or "")
        self.output_dir_edit.setPlaceholderText(self.tr("Pictures/Junmai Batch"))
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._choose_output_dir)
        self.format_combo, self.quality_spin, format_row = format_and_quality_row()
        self.format_combo.setCurrentIndex(max(0, self.format_combo.findData(shown.default_format)))
        self.quality_spin.setValue(shown.default_quality)
        self.close_action_combo = QComboBox()
        for action in CLOSE_ACTIONS:
            self.close_action_combo.addItem(self.tr(CLOSE_LABELS[action]), action)
        self.close_action_combo.setCurrentIndex(
            max(0, self.close_action_combo.findData(shown.close_action))
        )
        self.recovery_prompt_check = QCheckBox(
            self.tr("After a crash, ask whether to resume at launch")
        )
        self.recovery_prompt_check.setChecked(shown.recovery_prompt)
        general = QGroupBox(self.tr("Developing"))
        form = QFormLayout(general)
        form.addRow(self.tr("Workers"), self.workers_spin)
        folder = QHBoxLayout()
        folder.addWidget(self.output_dir_edit, 1)
        folder.addWidget(browse)
        form.addRow(self.tr("Default output folder"), folder)
        form.addRow(self.tr("Default format"), format_row)
        form.addRow(self.tr("Closing the window while batches develop"), self.close_action_combo)
        form.addRow(self.recovery_prompt_check)
        form.addRow(self.tr("Language"), self._build_language(shown))
        return general

    def _build_language(self, shown: AppSettings) -> QWidget:
        """System, English, 日本語 (each language in its own name), and when it applies."""
        self.language_combo = QComboBox()
        for language in LANGUAGES:
            name = self.tr("System") if language == LANGUAGE_SYSTEM else LANGUAGE_NAMES[language]
            self.language_combo.addItem(name, language)
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(shown.language)))
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.language_combo)
        layout.addWidget(QLabel(self.tr("Applies at the next launch")), 1)
        return row

    def _build_api(self, shown: AppSettings, api_now: str) -> QGroupBox:
        self.api_enabled_check = QCheckBox(self.tr("Let scripts on this computer control batches"))
        self.api_enabled_check.setChecked(shown.api_enabled)
        self.api_port_spin = QSpinBox()
        self.api_port_spin.setRange(*API_PORTS)
        self.api_port_spin.setValue(shown.api_port)
        self.api_port_spin.setEnabled(shown.api_enabled)
        self.api_enabled_check.toggled.connect(self.api_port_spin.setEnabled)
        self.token_edit = QLineEdit()
        self.token_edit.setReadOnly(True)
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        # Wide enough to read the whole token (43 characters) once it is shown.
        self.token_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.token_edit.setMinimumWidth(
            self.token_edit.fontMetrics().horizontalAdvance("M" * TOKEN_CHARS) + 16
        )
        self.show_token_button = QPushButton(self.tr("Show"))
        self.show_token_button.setCheckable(True)
        self.show_token_button.toggled.connect(self._on_show_token)
        self.copy_token_button = QPushButton(self.tr("Copy"))
        self.copy_token_button.clicked.connect(self.copy_token)
        self.regenerate_button = QPushButton(self.tr("New token"))
        self.regenerate_button.setToolTip(self.tr("Scripts using the old token stop working"))
        self.regenerate_button.clicked.connect(self.regenerate)
        self.note = QLabel(
            self.tr(
                "Save applies every change at once, the API's too; the farm's at the next launch."
            )
        )
        self.note.setWordWrap(True)
        self.api_now_label = QLabel(api_now)
        self.api_now_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        api = QGroupBox(self.tr("Local API"))
        form = QFormLayout(api)
        form.addRow(self.api_enabled_check)
        form.addRow(self.tr("Port"), self.api_port_spin)
        if api_now:
            form.addRow(self.tr("Now"), self.api_now_label)
        token_row = QHBoxLayout()
        token_row.addWidget(self.token_edit, 1)
        for button in (self.show_token_button, self.copy_token_button, self.regenerate_button):
            token_row.addWidget(button)
        form.addRow(self.tr("Token"), token_row)
        return api

    def _build_buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        return buttons

    def settings(self) -> AppSettings:
        """The settings as they stand in the form."""
        shown = dataclasses.replace(
            self._shown,
            workers=self.workers_spin.value(),
            default_output_dir=self.output_dir_edit.text().strip() or None,
            default_format=self.format_combo.currentData(),
            default_quality=self.quality_spin.value(),
            close_action=self.close_action_combo.currentData(),
            recovery_prompt=self.recovery_prompt_check.isChecked(),
            api_enabled=self.api_enabled_check.isChecked(),
            api_port=self.api_port_spin.value(),
            language=self.language_combo.currentData(),
        )
        return shown if self.farm_page is None else self.farm_page.apply(shown)

    def save(self) -> None:
        try:
            self._service.save(self.settings())  # the service says `changed` to who applies it
        except SettingsError as exc:
            self.note.setText(exc.message)
            return
        self.accept()

    def copy_token(self) -> None:
        if self._token:
            QApplication.clipboard().setText(self._token)

    def regenerate(self) -> None:
        try:
            self._token = self._service.regenerate_token()
        except SettingsError as exc:
            self.note.setText(exc.message)
            return
        self.token_edit.setText(self._token)
        self.note.setText(self.tr("New token saved: scripts must read it again."))

    def _load_token(self) -> None:
        try:
            self._token = self._service.token()
        except SettingsError as exc:
            self.token_edit.setPlaceholderText(exc.message)
            return
        self.token_edit.setText(self._token)

    def _on_show_token(self, shown: bool) -> None:
        self.token_edit.setEchoMode(
            QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        )
        self.show_token_button.setText(self.tr("Hide") if shown else self.tr("Show"))

    def _choose_output_dir(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Default output folder"), self.output_dir_edit.text()
        )
        if folder:
            self.output_dir_edit.setText(folder)
