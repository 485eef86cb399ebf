"""The main window's status bar: workers busy, progress over all running batches, the
render farm (when there is one), where the API listens, a passing message, and "Removed 2
batches — Undo" for a few seconds.

It listens to the controller's `activity_changed` and `farm_changed` only and reads the
controller's snapshot (`controller.activity()`) and the farm's last known state, never the
store. Labels sit in `labels` by name, in order, so another part of the window can add one
(`add_label`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStatusBar, QWidget

from junmai_gui.views import formatting

if TYPE_CHECKING:
    from junmai_gui.controller.batch_controller import BatchController

MESSAGE_MS = 10_000
UNDO_MS = 10_000  # how long "Removed … — Undo" is offered


class UndoOffer(QWidget):
    """A sentence and an Undo button; `expire` runs when the time is up or another offer
    replaces this one, `undo` when the button is pressed (then `expire` does not)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.button = QPushButton(self.tr("Undo"))
        self.button.setObjectName("undo_button")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.button)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.finish)
        self.button.clicked.connect(self._on_undo)
        self._undo: Callable[[], None] | None = None
        self._expire: Callable[[], None] | None = None
        self.hide()

    @property
    def active(self) -> bool:
        return self._expire is not None

    def offer(
        self, text: str, undo: Callable[[], None], expire: Callable[[], None], ms: int = UNDO_MS
    ) -> None:
        self.finish()
        self.label.setText(text)
        self._undo, self._expire = undo, expire
        self.show()
        self._timer.start(ms)

    def finish(self) -> None:
        """The time is up: what was done stays done."""
        expire = self._expire
        self._clear()
        if expire is not None:
            expire()

    def _on_undo(self) -> None:
        undo = self._undo
        self._clear()
        if undo is not None:
            undo()

    def _clear(self) -> None:
        self._timer.stop()
        self._undo = self._expire = None
        self.hide()


class BatchStatusBar(QStatusBar):
    def __init__(self, controller: BatchController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self.workers_label = QLabel()
        self.throughput_label = QLabel()
        self.throughput_label.setContentsMargins(16, 0, 0, 0)
        self.api_label = QLabel(self.tr("API: off"))
        self.farm_label = QLabel()
        self.undo_offer = UndoOffer()
        self.labels: dict[str, QLabel] = {}
        self.add_label("workers", self.workers_label)
        self.add_label("progress", self.throughput_label)
        # Permanent widgets stay visible while a message is shown.
        self.addPermanentWidget(self.undo_offer)
        self.addPermanentWidget(self.farm_label)
        self.addPermanentWidget(self.api_label)
        controller.activity_changed.connect(self.refresh)
        controller.farm_changed.connect(self.refresh)
        self.refresh()

    def add_label(self, name: str, label: QLabel) -> None:
        """Show `label` after the others on the left."""
        self.labels[name] = label
        self.addWidget(label)

    def set_api_status(self, text: str) -> None:
        self.api_label.setText(text)

    def show_problem(self, text: str) -> None:
        self.showMessage(text, MESSAGE_MS)

    def show_notice(self, text: str) -> None:
        """What an action did that the table does not show (a new priority, a retry)."""
        self.showMessage(text, MESSAGE_MS)

    def refresh(self) -> None:
        activity = self._controller.activity()
        farm = self._controller.farm_status()
        self.farm_label.setVisible(farm is not None)
        if farm is None:
            busy = self.tr("Workers: {busy} of {workers} busy").format(
                busy=activity.workers_busy, workers=activity.workers
            )
        else:
            busy = self.tr("Developing %n photo(s)", "", activity.workers_busy)
            self.farm_label.setText(formatting.farm_text(farm))
            self.farm_label.setToolTip(farm.url)
        self.workers_label.setText(busy)
        self.throughput_label.setText(formatting.activity_text(activity))
