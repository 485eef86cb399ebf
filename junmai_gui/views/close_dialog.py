"""Closing the main window while batches develop: keep developing in the tray, quit (the
batches pause and can be resumed at the next launch), or stay; the choice can be
remembered (Settings shows it and can change it back to asking)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from junmai_gui.domain.app_settings import CLOSE_ASK, CLOSE_QUITS, CLOSE_TO_TRAY

if TYPE_CHECKING:
    from junmai_gui.controller.settings_service import SettingsService


class CloseDialog(QDialog):
    """`choice` is CLOSE_TO_TRAY, CLOSE_QUITS or None (Cancel) once it finishes."""

    def __init__(self, running: int, *, tray: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Close Junmai Batch"))
        self.choice: str | None = None
        self.text_label = QLabel(self._question(running, tray))
        self.text_label.setWordWrap(True)
        self.remember_check = QCheckBox(self.tr("Remember my choice"))
        self.tray_button = QPushButton(self.tr("Keep developing in the tray"))
        self.quit_button = QPushButton(self.tr("Quit (pauses batches)"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        buttons = QDialogButtonBox()
        buttons.addButton(self.tray_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.tray_button.setVisible(tray)  # after addButton, which shows it
        (self.tray_button if tray else self.cancel_button).setDefault(True)
        self.tray_button.clicked.connect(lambda: self._choose(CLOSE_TO_TRAY))
        self.quit_button.clicked.connect(lambda: self._choose(CLOSE_QUITS))
        self.cancel_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text_label)
        layout.addWidget(self.remember_check)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def _question(self, running: int, tray: bool) -> str:
        if tray:
            return self.tr(
                "%n batch(es) developing. Junmai Batch can keep developing with the window "
                "closed (its icon stays in the tray), or quit: quitting pauses the batches, and "
                "the next time you start Junmai Batch you can resume them where they stopped.",
                "",
                running,
            )
        return self.tr(
            "%n batch(es) developing. Quitting pauses them; the next time you start Junmai "
            "Batch you can resume them where they stopped.",
            "",
            running,
        )

    @property
    def remember(self) -> bool:
        return self.remember_check.isChecked()

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()


class WindowCloser(QObject):
    """What closing the main window does: with nothing developing, quit; else as remembered
    (tray, quit), or ask with `CloseDialog` (`dialog` while it is open)."""

    quit_chosen = Signal()
    tray_chosen = Signal()

    def __init__(self, settings: SettingsService, window: QWidget) -> None:
        super().__init__(window)
        self._settings = settings
        self._window = window
        self.dialog: CloseDialog | None = None

    def window_closing(self, running: int, *, tray: bool) -> None:
        choice = self._settings.current.close_action
        if choice == CLOSE_TO_TRAY and not tray:
            choice = CLOSE_ASK
        if not running or choice == CLOSE_QUITS:
            self.quit_chosen.emit()
        elif choice == CLOSE_TO_TRAY:
            self.tray_chosen.emit()
        elif self.dialog is None:
            self.dialog = CloseDialog(running, tray=tray, parent=self._window)
            self.dialog.finished.connect(self._on_answered)
            self.dialog.open()

    def _on_answered(self) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is None:
            return
        dialog.deleteLater()
        if dialog.choice is None:
            return
        if dialog.remember:
            self._settings.remember(close_action=dialog.choice)
        if dialog.choice == CLOSE_TO_TRAY:
            self.tray_chosen.emit()
        else:
            self.quit_chosen.emit()
