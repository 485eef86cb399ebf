"""Before/after previews rendered off the GUI thread, the latest request winning.

`PreviewRenderer.request()` may be called at every slider step. Requests are debounced;
at most one render runs at a time; when it finishes, only the newest request is rendered
next and results of older requests are dropped. The GUI thread never decodes a photo.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtGui import QImage

from junmai_gui.develop.engine import render_preview
from junmai_gui.develop.errors import DevelopError
from junmai_gui.develop.preset import Preset

DEBOUNCE_MS = 120
PREVIEW_EDGE = 480


@dataclass(frozen=True)
class PreviewRequest:
    generation: int
    source: Path
    preset: Preset
    blend: float
    max_edge: int = PREVIEW_EDGE


@dataclass(frozen=True)
class PreviewResult:
    generation: int
    before: QImage
    after: QImage
    blend: float
    thread_id: int  # the thread that rendered it: never the GUI thread


def to_qimage(rgb: np.ndarray) -> QImage:
    """An owned copy of an HxWx3 uint8 array (safe to hand to another thread)."""
    data = np.ascontiguousarray(rgb, dtype=np.uint8)
    height, width = data.shape[:2]
    image = QImage(data.data, width, height, 3 * width, QImage.Format.Format_RGB888)
    return image.copy()


class PreviewSignals(QObject):
    rendered = Signal(object)  # PreviewResult
    failed = Signal(int, str)  # generation, message


class PreviewWorker(QRunnable):
    """Renders one request with `develop.engine.render_preview`."""

    def __init__(self, request: PreviewRequest) -> None:
        super().__init__()
        self.request = request
        self.signals = PreviewSignals()

    def run(self) -> None:
        req = self.request
        try:
            before, after = render_preview(req.source, req.preset, req.blend, req.max_edge)
            result = PreviewResult(
                req.generation,
                to_qimage(before),
                to_qimage(after),
                req.blend,
                threading.get_ident(),
            )
        except DevelopError as exc:
            self.signals.failed.emit(req.generation, exc.message)
            return
        except Exception as exc:  # a decoder bug must not take the dialog down
            self.signals.failed.emit(
                req.generation, f"The preview of {req.source.name} could not be drawn: {exc}"
            )
            return
        self.signals.rendered.emit(result)


class PreviewRenderer(QObject):
    """Debounces preview requests and runs them one at a time on a thread pool."""

    rendered = Signal(object)  # PreviewResult of the newest request
    failed = Signal(str)
    busy_changed = Signal(bool)

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._generation = 0
        self._wanted: PreviewRequest | None = None
        self._running: PreviewWorker | None = None
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._start_wanted)

    @property
    def busy(self) -> bool:
        return self._running is not None or self._debounce.isActive()

    def request(self, source: Path, preset: Preset, blend: float) -> None:
        self._generation += 1
        self._wanted = PreviewRequest(self._generation, Path(source), preset, float(blend))
        self._debounce.start()
        self.busy_changed.emit(True)

    def clear(self) -> None:
        """Forget the pending request; a running render finishes and is dropped."""
        self._generation += 1
        self._wanted = None
        self._debounce.stop()

    def _start_wanted(self) -> None:
        if self._running is not None or self._wanted is None:
            return  # the running one calls back here when it is done
        worker = PreviewWorker(self._wanted)
        self._wanted = None
        worker.signals.rendered.connect(self._on_rendered)
        worker.signals.failed.connect(self._on_failed)
        self._running = worker
        self._pool.start(worker)

    def _finish(self) -> None:
        self._running = None
        if self._wanted is not None and not self._debounce.isActive():
            self._start_wanted()
        if not self.busy:
            self.busy_changed.emit(False)

    def _on_rendered(self, result: PreviewResult) -> None:
        current = result.generation == self._generation
        self._finish()
        if current:
            self.rendered.emit(result)

    def _on_failed(self, generation: int, message: str) -> None:
        current = generation == self._generation
        self._finish()
        if current:
            self.failed.emit(message)
