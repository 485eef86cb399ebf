"""Hands photos to the executor, never more than it can take, and records how each ended.

The `PhotoRunner` takes the next pending photos from the dispatcher (main thread), marks
each running (attempts + 1, committed), and submits it to the executor as a `PhotoJob`
carrying its batch's recipe. Results arrive on the executor's threads: each is committed
there, on that thread's own store connection (so the store is right even if the main
thread never sees the result, as in a quit that drains the work), then handed to the main
thread, where `photo_done` tells the controller. Which batch runs and what a result means
for its batch stay with the controller.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from junmai_gui.controller.dispatcher import Dispatcher
from junmai_gui.controller.executors import Executor
from junmai_gui.develop.errors import PresetError
from junmai_gui.develop.jobs import Outcome, PhotoJob, PhotoResult, Recipe
from junmai_gui.develop.library import PresetLibrary
from junmai_gui.domain.batch import BatchSummary
from junmai_gui.domain.config import BatchConfig
from junmai_gui.domain.errors import BatchError, InvalidBatchError
from junmai_gui.store.database import Store
from junmai_gui.store.records import PhotoTask

log = logging.getLogger(__name__)

ConfigOf = Callable[[str], BatchConfig]


@dataclass(frozen=True)
class RecordedResult:
    """A result as the controller sees it: `store_error` is set when the store refused to
    record it on the executor's thread; the photo is then still stored running, and the
    controller records the outcome again on the main thread."""

    result: PhotoResult
    source_path: str
    store_error: str | None = None

    @property
    def batch_id(self) -> str:
        return self.result.batch_id

    @property
    def photo_id(self) -> int:
        return self.result.photo_id

    @property
    def outcome(self) -> Outcome:
        return self.result.outcome

    @property
    def message(self) -> str | None:
        return self.result.message


def record_outcome(store: Store, result: PhotoResult) -> None:
    """Commit how a running photo ended: done or failed, else back to pending."""
    if result.outcome.is_final:
        ok = result.outcome is Outcome.DONE
        store.record_photo_result(
            result.batch_id,
            result.photo_id,
            ok=ok,
            error=None if ok else result.message,
            developed_by=result.developed_by,
        )
    else:
        store.return_photo_to_pending(result.batch_id, result.photo_id)


class _ToMainThread(QObject):
    """Lives on the main thread; `recorded` reaches the runner there as a queued call."""

    recorded = Signal(object)  # RecordedResult


class PhotoRunner(QObject):
    """The dispatcher, the photos in flight and the executor. Main thread only."""

    photo_done = Signal(object)  # RecordedResult, after the photo left the in-flight set
    # RecordedResult of a photo not in flight here: a farm's result from before a restart
    late_result = Signal(object)

    def __init__(
        self,
        store: Store,
        presets: PresetLibrary,
        config_of: ConfigOf,
        executor: Executor,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._presets = presets
        self._config_of = config_of
        self.executor = executor
        self._dispatcher = Dispatcher(store)
        self._in_flight: dict[tuple[str, int], PhotoTask] = {}
        self._per_batch: Counter[str] = Counter()
        self._recipes: dict[str, Recipe] = {}
        self._published: set[str] = set()
        # The photo-progress writes of this process take turns on this lock: SQLite would
        # make them wait for each other anyway, but its busy handler sleeps 1, 2, 5… ms
        # before retrying, and that would leave workers idle between photos.
        self._write_lock = threading.Lock()
        self._bridge = _ToMainThread(self)
        self._bridge.recorded.connect(self._on_recorded)
        executor.start(self._record)

    def busy(self, batch_id: str | None = None) -> int:
        """Photos in flight (of one batch)."""
        return len(self._in_flight) if batch_id is None else self._per_batch[batch_id]

    def developing(self) -> int:
        """Photos being developed now: those in flight, less those waiting their turn in a
        worker (when the executor tells them apart)."""
        developing = self.executor.developing()
        return self.busy() if developing is None else developing

    def exhausted(self, batch_id: str) -> bool:
        """True when the batch has no pending photo left to hand out."""
        return self._dispatcher.exhausted(batch_id)

    def forget(self, batch_id: str) -> None:
        """Its status or photos changed: read its pending photos and recipe again."""
        self._dispatcher.forget(batch_id)
        self._recipes.pop(batch_id, None)

    def cancel(self, batch_id: str | None = None) -> None:
        """Ask the photos in flight (of one batch) to stop."""
        self.executor.cancel(batch_id)

    def fill(self, running: Iterable[BatchSummary]) -> tuple[set[str], dict[str, str]]:
        """Start photos of `running` (in dispatch order) until the executor is full.

        Returns the batches that started a photo, and those whose recipe cannot be used (its
        preset deleted) with the message: none of their photos started; the caller fails them.
        """
        batches = {summary.batch_id: summary for summary in running}
        started: set[str] = set()
        unusable: dict[str, str] = {}
        stale_rounds = 0  # rounds whose photos were all no longer pending (re-read, then stop)
        while stale_rounds < 2:
            free = self.executor.capacity - len(self._in_flight)
            candidates = [s for b, s in batches.items() if b not in unusable]
            tasks = self._dispatcher.take(candidates, free) if free > 0 and candidates else []
            if not tasks:
                return started, unusable
            progress = len(self._in_flight), len(unusable)
            for task in tasks:
                if task.batch_id in unusable:
                    continue
                try:
                    recipe = self._recipe(task.batch_id)
                except BatchError as exc:
                    unusable[task.batch_id] = exc.message
                    self.forget(task.batch_id)
                    continue
                if self._start(task, recipe):
                    started.add(task.batch_id)
            stale_rounds = (
                stale_rounds + 1 if progress == (len(self._in_flight), len(unusable)) else 0
            )
        return started, unusable

    def record_again(self, recorded: RecordedResult) -> bool:
        """The store refused `recorded` on the executor's thread: record it again here. When
        it is refused again, try at least to return the photo to pending. True: recorded."""
        try:
            with self._write_lock:
                record_outcome(self._store, recorded.result)
            return True
        except Exception:
            log.exception("Could not record photo %s again", recorded.photo_id)
        try:
            with self._write_lock:
                self._store.return_photo_to_pending(recorded.batch_id, recorded.photo_id)
        except Exception:
            log.exception("Could not return photo %s to pending", recorded.photo_id)
        return False

    def batch_running(self, batch_id: str) -> None:
        """Tell the executor the batch may run (a farm gives it a new run token)."""
        self.executor.batch_running(batch_id)

    def batch_stopped(self, batch_id: str) -> None:
        """Tell the executor no photo of the batch may start from now on."""
        self.executor.batch_stopped(batch_id)

    def wait_idle(self, timeout_s: float) -> bool:
        """Block until the executor has answered every photo in flight (recorded in the store;
        the main thread hears of them later), or the time is up."""
        return self.executor.wait_idle(timeout_s)

    def stop(self, timeout_s: float) -> None:
        """Stop the executor within about `timeout_s` (photos in flight return to pending)."""
        self.executor.stop(timeout_s)

    # -- internals ------------------------------------------------------------------------

    def _recipe(self, batch_id: str) -> Recipe:
        """BatchError (a PresetError is turned into one) when it cannot be developed."""
        recipe = self._recipes.get(batch_id)
        if recipe is None:
            config = self._config_of(batch_id)
            try:
                preset = self._presets.get(config.preset)
            except PresetError as exc:
                raise InvalidBatchError(exc.message, batch_id) from exc
            if preset.content_hash not in self._published:
                self.executor.publish(preset)
                self._published.add(preset.content_hash)
            recipe = self._recipes[batch_id] = Recipe.for_batch(config, preset)
        return recipe

    def _start(self, task: PhotoTask, recipe: Recipe) -> bool:
        if (task.batch_id, task.photo_id) in self._in_flight:
            # Its result is committed (back to pending) but not yet here: it is read again
            # once it is (`_on_recorded`).
            return False
        try:
            with self._write_lock:
                self._store.mark_photo_running(task.batch_id, task.photo_id)
        except InvalidBatchError:
            log.warning("Photo %s of batch %s was no longer pending", task.photo_id, task.batch_id)
            self._dispatcher.forget(task.batch_id)
            return False
        job = PhotoJob(
            task.batch_id,
            task.photo_id,
            task.source_path,
            task.output_path,
            recipe,
            task.extra_outputs,
        )
        self._in_flight[job.key] = task
        self._per_batch[task.batch_id] += 1
        self.executor.submit(job)
        return True

    def _record(self, result: PhotoResult) -> None:
        """On an executor thread: commit the result, then hand it to the main thread."""
        store_error = None
        try:
            with self._write_lock:
                record_outcome(self._store, result)
        except Exception as exc:
            log.exception("Could not record how photo %s ended (%s)", result.photo_id, result)
            store_error = str(exc) or type(exc).__name__
        self._bridge.recorded.emit((result, store_error))

    def _on_recorded(self, payload: tuple[PhotoResult, str | None]) -> None:
        result, store_error = payload
        task = self._in_flight.pop(result.key, None)
        if task is None:  # committed (once) already: the controller only re-reads its batch
            self.late_result.emit(RecordedResult(result, "", store_error))
            return
        self._per_batch[result.batch_id] -= 1
        if self._per_batch[result.batch_id] <= 0:
            del self._per_batch[result.batch_id]
        if not result.outcome.is_final:  # back to pending, maybe after its batch was read
            self._dispatcher.forget(result.batch_id)
        self.photo_done.emit(RecordedResult(result, task.source_path, store_error))
