"""The Help menu's windows: the user guide, the keyboard shortcuts, and About with the
versions of the parts a bug report needs."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from junmai_gui.controller.about import versions
from junmai_gui.i18n import QT_TRANSLATE_NOOP
from junmai_gui.views.actions import SPECS
from junmai_gui.views.desktop_open import open_path

# Shortcuts that are not batch actions, as the menus give them.
OTHER_SHORTCUTS = (
    ("Ctrl+Q", QT_TRANSLATE_NOOP("ShortcutsDialog", "Quit Junmai Batch (running batches pause)")),
    ("F1", QT_TRANSLATE_NOOP("ShortcutsDialog", "Open the user guide")),
)


def _closable(dialog: QDialog, body: QWidget) -> None:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(body, 1)
    layout.addWidget(buttons)
    dialog.finished.connect(dialog.deleteLater)


class UserGuideDialog(QDialog):
    """The user guide shipped with the app (docs/user-guide.md), pictures included."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Junmai Batch user guide"))
        self.resize(860, 720)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        guide = resources.files("junmai_gui.docs") / "user-guide.md"
        self.browser.setSearchPaths([str(resources.files("junmai_gui.docs"))])
        self.browser.setMarkdown(guide.read_text(encoding="utf-8"))
        _closable(self, self.browser)


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        rows = [(spec.shortcut, spec.shown_tip) for spec in SPECS] + [
            (keys, QCoreApplication.translate("ShortcutsDialog", what))
            for keys, what in OTHER_SHORTCUTS
        ]
        self.table = QTableWidget(len(rows), 2)
        self.table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("What they do")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (keys, what) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(keys))
            self.table.setItem(row, 1, QTableWidgetItem(what))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.resize(560, 420)
        _closable(self, self.table)


class AboutDialog(QDialog):
    def __init__(self, versions: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About Junmai Batch"))
        lines = "".join(f"<tr><td>{name}</td><td>{version}</td></tr>" for name, version in versions)
        about = self.tr(
            "Develops hundreds to tens of thousands of photos with a preset, and keeps you in "
            "control."
        )
        self.label = QLabel(
            f"<h3>Junmai Batch</h3><p>{about}</p><table cellspacing='6'>{lines}</table>"
        )
        self.label.setWordWrap(True)
        _closable(self, self.label)


class HelpMenu(QObject):
    """The Help menu: user guide (F1), keyboard shortcuts, the data folder, About."""

    def __init__(self, menu: QMenu, data_dir: Path, window: QWidget) -> None:
        super().__init__(window)
        self.menu = menu
        self._window = window
        self._data_dir = data_dir
        self.guide_action = menu.addAction(self.tr("&User guide"))
        self.guide_action.setShortcut("F1")
        self.guide_action.triggered.connect(self.open_user_guide)
        self.shortcuts_action = menu.addAction(self.tr("&Keyboard shortcuts"))
        self.shortcuts_action.triggered.connect(self.open_shortcuts)
        self.data_folder_action = menu.addAction(self.tr("Open &data folder"))
        self.data_folder_action.setToolTip(str(data_dir))
        self.data_folder_action.triggered.connect(self.open_data_folder)
        menu.addSeparator()
        self.about_action = menu.addAction(self.tr("&About Junmai Batch"))
        self.about_action.triggered.connect(self.open_about)

    def open_user_guide(self) -> UserGuideDialog:
        dialog = UserGuideDialog(self._window)
        dialog.open()
        return dialog

    def open_shortcuts(self) -> ShortcutsDialog:
        dialog = ShortcutsDialog(self._window)
        dialog.open()
        return dialog

    def open_about(self) -> AboutDialog:
        dialog = AboutDialog(versions(), self._window)
        dialog.open()
        return dialog

    def open_data_folder(self) -> None:
        open_path(self._window, self._data_dir, what=self.tr("the data folder"))
