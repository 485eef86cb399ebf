"""Runs photos on the controller's own thread pool, never more than `workers` at once.

The `PhotoRunner` marks each photo running (attempts + 1, committed) on the main thread,
then hands it to a `PhotoWorker`; it keeps the photos in flight and tells the controller,
through `photo_done`, when one has been recorded. Which batch runs and what a result means
for its batch stay with the controller.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QThreadPool, Signal

from junmai_gui.controller.dispatcher import Dispatcher
from junmai_gui.controller.worker import (
    DevelopFunction,
    PhotoResult,
    PhotoWorker,
    record_outcome,
)
from junmai_gui.develop.engine import CancelToken, OutputOptions
from junmai_gui.develop.errors import PresetError
from junmai_gui.develop.library import PresetLibrary
from junmai_gui.develop.preset import Preset
from junmai_gui.domain.batch import BatchSummary
from junmai_gui.domain.config import BatchConfig
from junmai_gui.domain.errors import InvalidBatchError
from junmai_gui.store.database import Store
from junmai_gui.store.records import PhotoTask

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recipe:
    """What every photo of a running batch is developed with."""

    preset: Preset
    blend: float
    options: OutputOptions


def recipe_for(config: dict[str, object], presets: PresetLibrary) -> Recipe:
    """PresetError when the preset is gone, InvalidBatchError when the config is unusable."""
    parsed = BatchConfig.from_dict(dict(config))
    return Recipe(
        preset=presets.get(parsed.preset),
        blend=float(parsed.blend),
        options=OutputOptions(
            format=parsed.format,
            quality=parsed.quality,
            bit_depth=parsed.bit_depth,
            long_edge=parsed.long_edge,
            keep_profile=parsed.keep_profile,
            xmp_sidecar=parsed.xmp_sidecar,
        ),
    )


class PhotoRunner(QObject):
    """The pool, the dispatcher and the photos in flight. Main thread only."""

    photo_done = Signal(object)  # PhotoResult, after the photo left the in-flight set

    def __init__(
        self,
        store: Store,
        presets: PresetLibrary,
        develop: DevelopFunction,
        workers: int,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._presets = presets
        self._develop = develop
        self._workers = workers
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(workers)
        self._pool.setExpiryTimeout(-1)  # keep threads, and with them their store connections
        self._dispatcher = Dispatcher(store)
        self._in_flight: dict[tuple[str, int], PhotoWorker] = {}
        self._per_batch: Counter[str] = Counter()
        self._recipes: dict[str, Recipe] = {}
        # The photo-progress writes of this process take turns on this lock: SQLite would
        # make them wait for each other anyway, but its busy handler sleeps 1, 2, 5… ms
        # before retrying, and that would leave workers idle between photos.
        self._write_lock = threading.Lock()

    @property
    def workers(self) -> int:
        return self._workers

    @workers.setter
    def workers(self, count: int) -> None:
        self._workers = count
        self._pool.setMaxThreadCount(count)

    def busy(self, batch_id: str | None = None) -> int:
        """Photos in flight (of one batch)."""
        return len(self._in_flight) if batch_id is None else self._per_batch[batch_id]

    def exhausted(self, batch_id: str) -> bool:
        """True when the batch has no pending photo left to hand out."""
        return self._dispatcher.exhausted(batch_id)

    def forget(self, batch_id: str) -> None:
        """Its status or photos changed: read its pending photos and recipe again."""
        self._dispatcher.forget(batch_id)
        self._recipes.pop(batch_id, None)

    def cancel(self, batch_id: str | None = None) -> None:
        """Ask the photos in flight (of one batch) to stop."""
        for (owner, _photo), worker in list(self._in_flight.items()):
            if batch_id is None or owner == batch_id:
                worker.cancel.cancel()

    def fill(self, running: Iterable[BatchSummary]) -> tuple[set[str], dict[str, str]]:
        """Start photos of `running` (in dispatch order) until every worker is busy.

        Returns the batches that started a photo, and those whose recipe cannot be used (its
        preset deleted) with the message: none of their photos started; the caller fails them.
        """
        batches = {summary.batch_id: summary for summary in running}
        started: set[str] = set()
        unusable: dict[str, str] = {}
        stale_rounds = 0  # rounds whose photos were all no longer pending (re-read, then stop)
        while stale_rounds < 2:
            free = self._workers - len(self._in_flight)
            candidates = [s for b, s in batches.items() if b not in unusable]
            tasks = self._dispatcher.take(candidates, free) if free > 0 and candidates else []
            if not tasks:
                return started, unusable
            progress = len(self._in_flight), len(unusable)
            for task in tasks:
                if task.batch_id in unusable:
                    continue
                try:
                    recipe = self._recipe(batches[task.batch_id])
                except (PresetError, InvalidBatchError) as exc:
                    unusable[task.batch_id] = exc.message
                    self.forget(task.batch_id)
                    continue
                if self._start(task, recipe):
                    started.add(task.batch_id)
            stale_rounds = (
                stale_rounds + 1 if progress == (len(self._in_flight), len(unusable)) else 0
            )
        return started, unusable

    def record_again(self, result: PhotoResult) -> bool:
        """The store refused `result` on the worker's thread: record it again here. When it
        is refused again, try at least to return the photo to pending. True: recorded."""
        try:
            with self._write_lock:
                record_outcome(
                    self._store, result.batch_id, result.photo_id, result.outcome, result.message
                )
            return True
        except Exception:
            log.exception("Could not record photo %s again", result.photo_id)
        try:
            with self._write_lock:
                self._store.return_photo_to_pending(result.batch_id, result.photo_id)
        except Exception:
            log.exception("Could not return photo %s to pending", result.photo_id)
        return False

    def wait(self, timeout_ms: int) -> bool:
        """Block until no photo is in flight or the timeout passes (True: all done)."""
        return bool(self._pool.waitForDone(max(0, timeout_ms)))

    def close(self) -> None:
        self._pool.clear()
        self._pool.waitForDone()

    def _recipe(self, summary: BatchSummary) -> Recipe:
        recipe = self._recipes.get(summary.batch_id)
        if recipe is None:
            recipe = self._recipes[summary.batch_id] = recipe_for(summary.config, self._presets)
        return recipe

    def _start(self, task: PhotoTask, recipe: Recipe) -> bool:
        try:
            with self._write_lock:
                self._store.mark_photo_running(task.batch_id, task.photo_id)
        except InvalidBatchError:
            log.warning("Photo %s of batch %s was no longer pending", task.photo_id, task.batch_id)
            self._dispatcher.forget(task.batch_id)
            return False
        worker = PhotoWorker(
            task,
            self._store,
            self._develop,
            recipe.preset,
            recipe.blend,
            recipe.options,
            CancelToken(),
            self._write_lock,
        )
        worker.signals.finished.connect(self._on_worker_finished)
        self._in_flight[(task.batch_id, task.photo_id)] = worker
        self._per_batch[task.batch_id] += 1
        self._pool.start(worker.run)
        return True

    def _on_worker_finished(self, result: PhotoResult) -> None:
        if self._in_flight.pop((result.batch_id, result.photo_id), None) is not None:
            self._per_batch[result.batch_id] -= 1
            if self._per_batch[result.batch_id] <= 0:
                del self._per_batch[result.batch_id]
        self.photo_done.emit(result)
