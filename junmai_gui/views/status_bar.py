"""The main window's status bar: workers busy, overall throughput, the render farm (when
there is one), where the API listens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from junmai_gui.domain.status import BatchStatus
from junmai_gui.views import formatting

if TYPE_CHECKING:
    from junmai_gui.controller.batch_controller import BatchController

MESSAGE_MS = 10_000


class BatchStatusBar(QStatusBar):
    def __init__(self, controller: BatchController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self.workers_label = QLabel()
        self.throughput_label = QLabel()
        self.api_label = QLabel("API: off")
        self.farm_label = QLabel()
        self.throughput_label.setContentsMargins(16, 0, 0, 0)
        self.addWidget(self.workers_label)
        self.addWidget(self.throughput_label)
        self.addPermanentWidget(self.farm_label)
        self.addPermanentWidget(self.api_label)
        self.refresh()

    def set_api_status(self, text: str) -> None:
        self.api_label.setText(text)

    def show_problem(self, text: str) -> None:
        self.showMessage(text, MESSAGE_MS)

    def show_notice(self, text: str) -> None:
        """What an action did that the table does not show (a new priority)."""
        self.showMessage(text, MESSAGE_MS)

    def refresh(self) -> None:
        """Re-read the figures from the controller (on its coalesced activity signal)."""
        controller = self._controller
        farm = controller.farm_status()
        self.farm_label.setVisible(farm is not None)
        if farm is None:
            busy = f"Workers: {controller.workers_busy()} of {controller.workers} busy"
        else:
            busy = f"Developing {controller.workers_busy()} photos"
            self.farm_label.setText(formatting.farm_text(farm))
            self.farm_label.setToolTip(farm.url)
        self.workers_label.setText(busy)
        running = sum(1 for b in controller.batches() if b.status is BatchStatus.RUNNING)
        if running:
            speed = formatting.speed_text(controller.throughput()) or "starting"
            eta = formatting.duration_text(controller.eta_seconds())
            text = f"{running} running · {speed}" + (f" · about {eta} left" if eta else "")
        else:
            text = "Nothing running"
        self.throughput_label.setText(text)
