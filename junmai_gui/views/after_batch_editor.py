"""New Batch's "After the batch": open the output folder, copy the outputs to a folder, run a
command — each when the batch ends completed or failed (`domain.after_batch` is the
vocabulary; `BatchConfig` checks what this editor gives).

A command is typed as one command line and split as the system's shell would, without ever
running a shell; it gets the batch's result as JSON on its standard input. Actions the three
rows cannot show (a template's second copy folder) are kept as they are.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from junmai_gui.domain.after_batch import (
    COMMAND,
    COPY,
    OPEN_FOLDER,
    join_command_line,
    split_command_line,
)


class AfterBatchEditor(QWidget):
    """Three optional actions; `actions()` is the config's `after` list."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.open_folder_check = QCheckBox(self.tr("Open the output folder"))
        self.copy_check = QCheckBox(self.tr("Copy the outputs to"))
        self.copy_folder_edit = QLineEdit()
        self.copy_folder_edit.setPlaceholderText(self.tr("A backup folder"))
        self.copy_browse_button = QPushButton(self.tr("Choose…"))
        self.command_check = QCheckBox(self.tr("Run a command"))
        self.command_edit = QLineEdit()
        self.command_edit.setPlaceholderText(self.tr("e.g. upload-photos --album Wedding"))
        self.command_note = QLabel(
            self.tr(
                "The command runs in the output folder, without a shell, and gets the batch's "
                "result (every photo with its outputs or its error) as JSON on its standard "
                "input. A failing action is reported on the batch; it never fails it."
            )
        )
        self.command_note.setWordWrap(True)
        self.command_note.setStyleSheet("color: palette(placeholder-text);")
        self.kept_label = QLabel()
        self.kept_label.setWordWrap(True)
        self.kept_label.setVisible(False)
        self._kept: list[dict[str, Any]] = []
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.open_folder_check, 0, 0, 1, 3)
        grid.addWidget(self.copy_check, 1, 0)
        grid.addWidget(self.copy_folder_edit, 1, 1)
        grid.addWidget(self.copy_browse_button, 1, 2)
        grid.addWidget(self.command_check, 2, 0)
        grid.addWidget(self.command_edit, 2, 1, 1, 2)
        grid.addWidget(self.command_note, 3, 0, 1, 3)
        grid.addWidget(self.kept_label, 4, 0, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(5, 1)
        for check in (self.open_folder_check, self.copy_check, self.command_check):
            check.toggled.connect(self._on_edited)
        for edit in (self.copy_folder_edit, self.command_edit):
            edit.textChanged.connect(self._on_edited)
        self.copy_browse_button.clicked.connect(self._choose_copy_folder)
        self._enable()

    def chosen_actions(self) -> list[dict[str, Any]]:
        """The config's `after` list as the form stands (checked by `BatchConfig`)."""
        out: list[dict[str, Any]] = []
        if self.open_folder_check.isChecked():
            out.append({"action": OPEN_FOLDER})
        if self.copy_check.isChecked():
            folder = self.copy_folder_edit.text().strip()
            out.append({"action": COPY, "folder": str(Path(folder).expanduser()) if folder else ""})
        argv = self._argv()
        if self.command_check.isChecked() and argv:  # else `problems` says what is missing
            out.append({"action": COMMAND, "command": argv})
        return out + self._kept

    def problems(self) -> list[str]:
        """What the config's own check cannot say in the form's words."""
        if not self.command_check.isChecked():
            return []
        try:
            argv = split_command_line(self.command_edit.text())
        except ValueError as exc:
            return [self.tr("The command cannot be read: {reason}").format(reason=exc)]
        if not argv:
            return [self.tr("Type the command to run after the batch, or untick it")]
        return []

    def set_actions(self, actions: list[dict[str, Any]]) -> None:
        """Show a config's `after` list: the first action of each kind in its row, the
        others kept as they are (and said to be)."""
        shown: dict[str, dict[str, Any]] = {}
        self._kept = []
        for action in actions:
            if isinstance(action, dict) and action.get("action") not in shown:
                shown[str(action.get("action"))] = action
            else:
                self._kept.append(action)
        self.blockSignals(True)
        self.open_folder_check.setChecked(OPEN_FOLDER in shown)
        copy = shown.get(COPY)
        self.copy_check.setChecked(copy is not None)
        self.copy_folder_edit.setText(str(copy.get("folder") or "") if copy else "")
        command = shown.get(COMMAND)
        self.command_check.setChecked(command is not None)
        argv = command.get("command") if command else None
        if isinstance(argv, list):
            self.command_edit.setText(join_command_line([str(arg) for arg in argv]))
        else:
            self.command_edit.setText(str(argv or ""))
        self.kept_label.setText(
            self.tr("%n more action(s) of the template are kept as they are.", "", len(self._kept))
        )
        self.kept_label.setVisible(bool(self._kept))
        self.blockSignals(False)
        self._enable()
        self.changed.emit()

    def _argv(self) -> list[str]:
        try:
            return split_command_line(self.command_edit.text())
        except ValueError:
            return []

    def _enable(self) -> None:
        copy = self.copy_check.isChecked()
        self.copy_folder_edit.setEnabled(copy)
        self.copy_browse_button.setEnabled(copy)
        self.command_edit.setEnabled(self.command_check.isChecked())

    def _on_edited(self) -> None:
        self._enable()
        self.changed.emit()

    def _choose_copy_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Copy the outputs to"), self.copy_folder_edit.text()
        )
        if folder:
            self.copy_folder_edit.setText(folder)
