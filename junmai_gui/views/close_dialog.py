"""Closing the main window while batches develop: keep developing in the tray, quit (the
batches pause and can be resumed at the next launch), or stay; the choice can be
remembered (Settings shows it and can change it back to asking)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from junmai_gui.domain.app_settings import CLOSE_QUITS, CLOSE_TO_TRAY


class CloseDialog(QDialog):
    """`choice` is CLOSE_TO_TRAY, CLOSE_QUITS or None (Cancel) once it finishes."""

    def __init__(self, running: int, *, tray: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Close Junmai Batch")
        self.choice: str | None = None
        self.text_label = QLabel(self._question(running, tray))
        self.text_label.setWordWrap(True)
        self.remember_check = QCheckBox("Remember my choice")
        self.tray_button = QPushButton("Keep developing in the tray")
        self.quit_button = QPushButton("Quit (pauses batches)")
        self.cancel_button = QPushButton("Cancel")
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

    @staticmethod
    def _question(running: int, tray: bool) -> str:
        if tray and running == 1:
            return (
                "1 batch is developing. Junmai Batch can keep developing with the window "
                "closed (its icon stays in the tray), or quit: quitting pauses the batch, and "
                "the next time you start Junmai Batch you can resume it where it stopped."
            )
        if tray:
            return (
                f"{running} batches are developing. Junmai Batch can keep developing with the "
                "window closed (its icon stays in the tray), or quit: quitting pauses the "
                "batches, and the next time you start Junmai Batch you can resume them where "
                "they stopped."
            )
        if running == 1:
            return (
                "1 batch is developing. Quitting pauses it; the next time you start Junmai "
                "Batch you can resume it where it stopped."
            )
        return (
            f"{running} batches are developing. Quitting pauses them; the next time you start "
            "Junmai Batch you can resume them where they stopped."
        )

    @property
    def remember(self) -> bool:
        return self.remember_check.isChecked()

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()
