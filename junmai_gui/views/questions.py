"""The questions asked before an irreversible click, worded once for every place that asks.

Irreversible: cancelling a batch (photos not developed yet never will be). Reversible clicks
(pause, priority) act at once; removing finished batches acts at once with an Undo.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget


def confirm_cancel(parent: QWidget, names: list[str]) -> bool:
    """Ask before cancelling batches for good (the main window, the tray and the recovery
    dialog all ask this one question)."""
    shown = ", ".join(names[:3])
    if len(names) > 3:
        text = QCoreApplication.translate(
            "Questions",
            "Cancel {names} and {more} more? Photos already developed stay in the output "
            "folder; the rest will not be developed.",
        )
    else:
        text = QCoreApplication.translate(
            "Questions",
            "Cancel {names}? Photos already developed stay in the output folder; the rest will "
            "not be developed.",
        )
    answer = QMessageBox.question(
        parent,
        QCoreApplication.translate("Questions", "Cancel batches"),
        text.format(names=shown, more=len(names) - 3),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
