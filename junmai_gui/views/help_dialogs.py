"""The Help menu's windows: the user guide, the keyboard shortcuts, and About with the
versions of the parts a bug report needs."""

from __future__ import annotations

from importlib import resources

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from junmai_gui.views.actions import SPECS

# Shortcuts that are not batch actions, as the menus give them.
OTHER_SHORTCUTS = (
    ("Ctrl+Q", "Quit Junmai Batch (running batches pause)"),
    ("F1", "Open the user guide"),
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
        self.setWindowTitle("Junmai Batch user guide")
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
        self.setWindowTitle("Keyboard shortcuts")
        rows = [(spec.shortcut, spec.tip) for spec in SPECS] + list(OTHER_SHORTCUTS)
        self.table = QTableWidget(len(rows), 2)
        self.table.setHorizontalHeaderLabels(["Keys", "What they do"])
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
        self.setWindowTitle("About Junmai Batch")
        lines = "".join(f"<tr><td>{name}</td><td>{version}</td></tr>" for name, version in versions)
        self.label = QLabel(
            "<h3>Junmai Batch</h3><p>Develops hundreds to tens of thousands of photos with a "
            f"preset, and keeps you in control.</p><table cellspacing='6'>{lines}</table>"
        )
        self.label.setWordWrap(True)
        _closable(self, self.label)
