"""The batch controller: the one owner of batch status, and the dispatcher of photos.

Main thread only. Photos are developed by `PhotoWorker`s on the controller's own
QThreadPool; every dispatch decision is taken here, on the main thread, when a batch starts
or resumes and each time a photo finishes. So after `pause_batch` returns no new photo of
that batch starts, while the photos already in flight finish and are recorded.

The reading side (`BatchQueries`) and the chores over several batches (`BatchHousekeeping`:
merge, remove, cleanup, recovery) are mixed in from their own modules; starting, status
changes and what each finished photo means for its batch are here.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from junmai_gui.controller.batch_book import BatchBook
from junmai_gui.controller.batch_housekeeping import BatchHousekeeping
from junmai_gui.controller.batch_queries import BatchQueries
from junmai_gui.controller.coalescer import ChangeCoalescer
from junmai_gui.controller.maintenance import Maintenance
from junmai_gui.controller.planning import BatchPlanner, ImportResult, StartResult
from junmai_gui.controller.runner import PhotoRunner
from junmai_gui.controller.settings import ControllerSettings
from junmai_gui.controller.worker import DevelopFunction, Outcome, PhotoResult
from junmai_gui.develop.engine import develop_photo, share_cores_between_photos
from junmai_gui.develop.library import PresetLibrary
from junmai_gui.domain.batch import BatchSummary
from junmai_gui.domain.errors import IllegalTransitionError, InvalidBatchError
from junmai_gui.domain.status import BatchStatus, PauseReason, check_transition
from junmai_gui.paths import log_fields
from junmai_gui.store.database import Store

__all__ = ["BatchController", "ControllerSettings", "ImportResult", "StartResult"]

log = logging.getLogger(__name__)


def _log(level: int, message: str, **fields: object) -> None:
    """A log line in the reference's format: `Paused batch processing | batch_id=…`."""
    log.log(level, log_fields(message, **fields))


def _log_started(summary: BatchSummary) -> None:
    _log(
        logging.INFO,
        "Started batch processing",
        batch_id=summary.batch_id,
        photo_count=summary.total_photos,
    )


_RESOURCE_REASONS = {
    Outcome.DISK_FULL: PauseReason.DISK_FULL,
    Outcome.OUTPUT_UNAVAILABLE: PauseReason.OUTPUT_UNAVAILABLE,
}


class BatchController(BatchQueries, BatchHousekeeping, QObject):
    """Starts, pauses, resumes, cancels, retries, merges and recovers batches.

    It keeps one `BatchSummary` per batch in memory (counters, never photo lists); photo
    results are committed by the workers, so summaries touched by a result are re-read from
    the store lazily, when someone asks.
    """

    batch_added = Signal(str)
    batch_changed = Signal(str)
    batch_removed = Signal(str)
    batch_finished = Signal(str, str)  # batch_id, status
    photo_finished = Signal(str, int, str)  # batch_id, photo_id, "done" | "failed"
    activity_changed = Signal()

    def __init__(
        self,
        store: Store,
        presets: PresetLibrary,
        settings: ControllerSettings,
        parent: QObject | None = None,
        *,
        develop: DevelopFunction | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._presets = presets
        self._settings = settings
        self._runner = PhotoRunner(store, presets, develop or develop_photo, settings.workers, self)
        share_cores_between_photos(settings.workers)
        self._runner.photo_done.connect(self._on_photo_done)
        self._planner = BatchPlanner(store, presets, settings.output_root)
        self._maintenance = Maintenance(store)
        self._book = BatchBook(store)
        self._active: set[str] = set()  # batches this controller runs (stored running by it)
        self._closed = False
        self._changes = ChangeCoalescer(self)
        self._changes.flushed.connect(self._on_changes_flushed)
        self._activity = ChangeCoalescer(self)
        self._activity.flushed.connect(self._on_activity_flushed)

    # -- properties ---------------------------------------------------------------------------

    @property
    def presets(self) -> PresetLibrary:
        return self._presets

    @property
    def workers(self) -> int:
        return self._settings.workers

    @workers.setter
    def workers(self, count: int) -> None:
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise InvalidBatchError("The number of workers must be a whole number, at least 1")
        self._settings.workers = count
        self._runner.workers = count
        share_cores_between_photos(count)
        self._activity.touch("")
        self._dispatch()

    def workers_busy(self) -> int:
        return self._runner.busy()

    # -- creating ------------------------------------------------------------------------------

    def import_photos(self, paths: Sequence[str | os.PathLike[str]]) -> ImportResult:
        """Store these files (folders: recursively) as photos; report what was not taken."""
        return self._planner.import_photos(paths)

    def start_batch(
        self,
        photo_ids: Sequence[int] | None = None,
        session_id: int | None = None,
        config: dict[str, Any] | None = None,
        *,
        photo_paths: Sequence[str | os.PathLike[str]] | None = None,
        name: str | None = None,
        priority: int = 0,
        start: bool = True,
    ) -> StartResult:
        """Create a batch (its output paths fixed now) and start it, or leave it pending."""
        new, rejected = self._planner.plan(
            photo_ids=photo_ids,
            photo_paths=photo_paths,
            config=config,
            session_id=session_id,
            name=name,
            priority=priority,
            start=start,
        )
        summary = self._store.create_batch(new)
        batch_id = summary.batch_id
        self._book.put(summary)
        if start:
            self._active.add(batch_id)
            self._book.start_meter(batch_id)
            _log_started(summary)
        else:
            _log(logging.INFO, "Created batch", batch_id=batch_id, photo_count=summary.total_photos)
        for path, reason in rejected:
            _log(logging.INFO, "Path not added", batch_id=batch_id, path=path, reason=reason)
        self.batch_added.emit(batch_id)
        if start:
            self._run_now(batch_id)
        return StartResult(batch_id, summary.total_photos, rejected)

    # -- status changes ---------------------------------------------------------------------------

    def pause_batch(self, batch_id: str, reason: PauseReason = PauseReason.USER) -> None:
        """No new photo of this batch starts after this returns; photos in flight finish."""
        reason = PauseReason(reason)
        current = self.batch(batch_id)
        check_transition(batch_id, current.status, BatchStatus.PAUSED)
        self._set_status(batch_id, BatchStatus.PAUSED, pause_reason=reason)
        fields: dict[str, object] = {"batch_id": batch_id}
        if reason is not PauseReason.USER:
            fields["reason"] = reason.value
        _log(logging.INFO, "Paused batch processing", **fields)

    def resume_batch(self, batch_id: str) -> None:
        """Run a paused batch again (its pending photos only), or start a pending one."""
        current = self.batch(batch_id)
        if current.status not in (BatchStatus.PAUSED, BatchStatus.PENDING):
            raise IllegalTransitionError(
                batch_id,
                current.status.value,
                BatchStatus.RUNNING.value,
                detail="only a paused or pending batch can be resumed",
            )
        self._planner.plan_missing_outputs(current)
        summary = self._set_status(batch_id, BatchStatus.RUNNING)
        self._book.start_meter(batch_id)
        if current.status is BatchStatus.PENDING:
            _log_started(summary)
        else:
            _log(
                logging.INFO,
                "Resumed batch processing",
                batch_id=batch_id,
                remaining_photos=summary.pending_count,
            )
        self._run_now(batch_id)

    def cancel_batch(self, batch_id: str) -> None:
        """No new photo starts; photos in flight are asked to stop; finished outputs are kept."""
        current = self.batch(batch_id)
        check_transition(batch_id, current.status, BatchStatus.CANCELLED)
        self._set_status(batch_id, BatchStatus.CANCELLED)
        self._runner.cancel(batch_id)
        _log(logging.INFO, "Cancelled batch processing", batch_id=batch_id)
        self.batch_finished.emit(batch_id, BatchStatus.CANCELLED.value)

    def retry_failed(self, batch_id: str) -> int:
        """Put the failed photos of a finished batch back to pending and run it again."""
        current = self._book.refresh(batch_id)
        if current.status not in (BatchStatus.COMPLETED, BatchStatus.FAILED) or (
            current.failed_count + current.pending_count == 0
        ):
            raise IllegalTransitionError(
                batch_id,
                current.status.value,
                BatchStatus.RUNNING.value,
                detail="only a finished batch with failed photos can retry them",
            )
        count = self._store.reset_failed_photos(batch_id)
        self._planner.plan_missing_outputs(current)
        self._set_status(batch_id, BatchStatus.RUNNING)
        self._book.start_meter(batch_id)
        _log(logging.INFO, "Retrying failed photos", batch_id=batch_id, photo_count=count)
        self._run_now(batch_id)
        return count

    def set_priority(self, batch_id: str, priority: int) -> None:
        """Higher runs first; applies at the next dispatch."""
        if isinstance(priority, bool) or not isinstance(priority, int):
            raise InvalidBatchError("Priority must be a whole number", batch_id)
        self.batch(batch_id)
        self._book.put(self._store.set_priority(batch_id, priority))
        _log(logging.INFO, "Changed batch priority", batch_id=batch_id, priority=priority)
        self._changes.flush_now(batch_id)

    def shutdown(self, timeout_s: float = 30.0) -> None:
        """Pause running batches (reason app_quit) and wait up to `timeout_s` for the photos in
        flight; those still running then are cancelled, returning to pending."""
        if self._closed:
            return
        for batch_id in list(self._active):
            try:
                self.pause_batch(batch_id, PauseReason.APP_QUIT)
            except Exception:
                log.exception("Could not pause batch %s at quit", batch_id)
        self._closed = True
        in_flight = self._runner.busy()
        if not self._runner.wait(int(timeout_s * 1000)):
            self._runner.cancel()
            self._runner.wait(10_000)
        self._changes.stop()
        self._activity.stop()
        _log(logging.INFO, "Batch controller stopped", photos_in_flight=in_flight)

    def close(self) -> None:
        """Shut down (if not done yet) and let go of the pool's threads."""
        self.shutdown()
        self._runner.close()

    # -- internals -------------------------------------------------------------------------

    def _set_status(
        self,
        batch_id: str,
        status: BatchStatus,
        *,
        pause_reason: PauseReason | None = None,
        error: str | None = None,
    ) -> BatchSummary:
        summary = self._book.put(
            self._store.set_status(batch_id, status, pause_reason=pause_reason, error=error)
        )
        self._runner.forget(batch_id)
        if status is BatchStatus.RUNNING:
            self._active.add(batch_id)
        else:
            self._active.discard(batch_id)
        self._changes.flush_now(batch_id)
        self._activity.touch("")
        return summary

    def _run_now(self, batch_id: str) -> None:
        """A batch was just set running: start its photos, or complete it if none is left."""
        self._dispatch()
        self._maybe_complete(batch_id, fresh=True)

    def _dispatch(self) -> None:
        """Start photos until `workers` are in flight, then complete the idle, drained batches."""
        self._start_photos()
        self._complete_drained_batches()

    def _start_photos(self) -> None:
        """Start photos until `workers` are in flight or no running batch has a pending photo."""
        while not self._closed:
            started, unusable = self._runner.fill([self._book.cached(b) for b in self._active])
            self._book.mark_stale(started)
            if not unusable:
                return
            for batch_id, message in unusable.items():
                self._fail_batch(batch_id, message)
            # and again: the slots they would have taken go to the other batches

    def _complete_drained_batches(self) -> None:
        for batch_id in list(self._active):
            if not self._runner.busy(batch_id) and self._runner.exhausted(batch_id):
                self._maybe_complete(batch_id)

    def _on_photo_done(self, result: PhotoResult) -> None:
        """A photo was recorded: first decide what it means for its batch and refill the
        workers (so they never wait for the views), then tell the listeners."""
        batch_id = result.batch_id
        if batch_id not in self._book:
            return
        recorded = result.store_error is None or self._runner.record_again(result)
        self._book.mark_stale([batch_id])
        outcome = result.outcome
        finished = recorded and outcome in (Outcome.DONE, Outcome.FAILED)
        if finished:
            self._book.record_photo(batch_id)
        if self._closed:
            return
        if not recorded:
            name = Path(result.source_path).name or f"photo {result.photo_id}"
            message = (
                f"The result of {name} could not be saved in the batch database "
                f"({result.store_error}). The batch was paused; {name} is developed again "
                "when you resume it."
            )
            self._pause_by_app(batch_id, PauseReason.INTERRUPTED, message)
        elif outcome in _RESOURCE_REASONS:
            self._pause_by_app(batch_id, _RESOURCE_REASONS[outcome], result.message)
        elif outcome is Outcome.PRESET_ERROR and batch_id in self._active:
            self._fail_batch(batch_id, result.message or "The preset could not be used")
        self._start_photos()
        if finished:
            self.photo_finished.emit(batch_id, result.photo_id, outcome.value)
        self._changes.touch(batch_id)
        self._activity.touch("")
        self._complete_drained_batches()

    def _maybe_complete(self, batch_id: str, *, fresh: bool = False) -> None:
        """Complete a running batch with no pending and no running photo left."""
        if batch_id not in self._active or self._runner.busy(batch_id):
            return
        if not fresh and not self._runner.exhausted(batch_id):
            return
        summary = self._book.refresh(batch_id)
        if summary.pending_count or summary.running_count:
            self._runner.forget(batch_id)
            return
        summary = self._set_status(batch_id, BatchStatus.COMPLETED)
        self._book.stop_meter(batch_id)
        _log(
            logging.INFO,
            "Batch processing completed",
            batch_id=batch_id,
            processed=summary.processed_count,
            failed=summary.failed_count,
        )
        self.batch_finished.emit(batch_id, BatchStatus.COMPLETED.value)

    def _pause_by_app(self, batch_id: str, reason: PauseReason, message: str | None) -> None:
        if batch_id not in self._active:
            return
        self._set_status(batch_id, BatchStatus.PAUSED, pause_reason=reason, error=message)
        _log(
            logging.WARNING,
            "Paused batch processing",
            batch_id=batch_id,
            reason=reason.value,
            error=message,
        )

    def _fail_batch(self, batch_id: str, message: str) -> None:
        self._set_status(batch_id, BatchStatus.FAILED, error=message)
        self._runner.cancel(batch_id)
        _log(logging.ERROR, "Batch processing failed", batch_id=batch_id, error=message)
        self.batch_finished.emit(batch_id, BatchStatus.FAILED.value)

    def _on_changes_flushed(self, batch_id: str) -> None:
        if batch_id in self._book:
            self.batch_changed.emit(batch_id)

    def _on_activity_flushed(self, _key: str) -> None:
        self.activity_changed.emit()
