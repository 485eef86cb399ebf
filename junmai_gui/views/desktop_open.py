"""Opening a photo or a folder with the desktop's own programs, and saying so when that is
not possible (no file manager, no image viewer): the path is shown with a Copy button,
never nothing visible."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices, QFontDatabase
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class PathDialog(QDialog):
    """Why a path could not be opened, the path itself, and Copy."""

    def __init__(self, reason: str, path: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Could not open"))
        self.reason_label = QLabel(reason)
        self.reason_label.setWordWrap(True)
        self.path_edit = QLineEdit(path)
        self.path_edit.setReadOnly(True)
        self.path_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.path_edit.setMinimumWidth(480)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(self.tr("Copy path"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.copy_button.clicked.connect(self.copy_path)
        layout = QVBoxLayout(self)
        layout.addWidget(self.reason_label)
        layout.addWidget(self.path_edit)
        layout.addWidget(buttons)
        self.finished.connect(self.deleteLater)

    def copy_path(self) -> None:
        QApplication.clipboard().setText(self.path_edit.text())


def open_path(parent: QWidget, path: str | Path, *, what: str) -> PathDialog | None:
    """Open `path` (a file or a folder) with the desktop; `what` names it in a sentence
    ("the developed photo", "the output folder"). Returns the dialog shown when it could
    not be opened, else None."""
    text = str(path)
    if not Path(text).exists():
        reason = QCoreApplication.translate(
            "PathDialog", "Junmai Batch could not open {what}: it is no longer there."
        )
    elif QDesktopServices.openUrl(QUrl.fromLocalFile(text)):
        return None
    else:
        reason = QCoreApplication.translate(
            "PathDialog",
            "Junmai Batch could not open {what}: no program on this computer offered to show "
            "it. You can copy its path and open it yourself.",
        )
    dialog = PathDialog(reason.format(what=what), text, parent)
    dialog.open()
    return dialog
