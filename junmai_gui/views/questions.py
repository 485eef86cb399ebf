"""The questions asked before an irreversible click, worded once for every place that asks.

Irreversible: cancelling a batch (photos not developed yet never will be). Reversible clicks
(pause, priority) act at once; removing finished batches acts at once with an Undo.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def confirm_cancel(parent: QWidget, names: list[str]) -> bool:
    """Ask before cancelling batches for good (the main window, the tray and the recovery
    dialog all ask this one question)."""
    shown = ", ".join(names[:3])
    if len(names) > 3:
        text = (
            f"Cancel {shown} and {len(names) - 3} more? Photos already developed stay in the "
            "output folder; the rest will not be developed."
        )
    else:
        text = (
            f"Cancel {shown}? Photos already developed stay in the output folder; the rest "
            "will not be developed."
        )
    answer = QMessageBox.question(
        parent,
        "Cancel batches",
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
