"""Before/after previews for New Batch, the latest request winning.

`PreviewRenderer.request()` may be called at every slider step. Requests are debounced; at
most one render runs at a time (the controller renders it off the GUI thread); when it
finishes only the newest request is rendered next, and results of older ones are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QImage

from junmai_gui.domain.errors import BatchError
from junmai_gui.views.formatting import error_text
from junmai_gui.views.operation_slot import OperationSlot

if TYPE_CHECKING:
    from junmai_gui.controller.workbench import PreviewImages, Workbench

DEBOUNCE_MS = 120


@dataclass(frozen=True)
class PreviewResult:
    before: QImage
    after: QImage
    blend: float
    thread_id: int  # the thread that rendered it: never the GUI thread


def to_qimage(rgb: np.ndarray) -> QImage:
    """An owned copy of an H×W×3 uint8 array."""
    data = np.ascontiguousarray(rgb, dtype=np.uint8)
    height, width = data.shape[:2]
    image = QImage(data.data, width, height, 3 * width, QImage.Format.Format_RGB888)
    return image.copy()


class PreviewRenderer(QObject):
    rendered = Signal(object)  # PreviewResult of the newest request
    failed = Signal(str)

    def __init__(self, workbench: Workbench, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._workbench = workbench
        self._wanted: tuple[Path, str, float] | None = None
        self._slot = OperationSlot(self._on_rendered, self._on_failed, self)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._start_wanted)

    @property
    def busy(self) -> bool:
        return self._slot.busy or self._debounce.isActive() or self._wanted is not None

    def request(self, source: Path, preset: str, blend: float) -> None:
        self._wanted = (Path(source), preset, float(blend))
        self._debounce.start()

    def clear(self) -> None:
        """Forget the wanted preview; a render under way finishes and is dropped."""
        self._wanted = None
        self._debounce.stop()

    def _start_wanted(self) -> None:
        if self._slot.busy or self._wanted is None:
            return  # the running one starts the wanted one when it is done
        source, preset, blend = self._wanted
        self._wanted = None
        self._slot.start(self._workbench.preview(source, preset, blend))

    def _next(self) -> bool:
        """Start the newest wanted request, if any; True when it replaces this result."""
        if self._wanted is None:
            return False
        if not self._debounce.isActive():
            self._start_wanted()
        return True

    def _on_rendered(self, images: PreviewImages) -> None:
        if self._next():
            return
        self.rendered.emit(
            PreviewResult(
                to_qimage(images.before), to_qimage(images.after), images.blend, images.thread_id
            )
        )

    def _on_failed(self, error: BatchError) -> None:
        if not self._next():
            self.failed.emit(error_text(error))
