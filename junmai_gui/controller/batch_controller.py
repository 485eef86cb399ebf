"""The batch controller: the one owner of batch status, and the dispatcher of photos.

Main thread only. Photos are developed by an executor (`controller.executors`: develop
processes on this computer by default); every dispatch decision is taken here, on the main
thread, when a batch starts or resumes and each time a photo finishes. So after
`pause_batch` returns no new photo of that batch starts, while the photos already in flight
finish and are recorded.

The controller owns its collaborators: the `BatchBook` (summaries, parsed configs, speed),
the `PhotoRunner` (dispatcher, photos in flight, the executor), the `BatchPlanner`
(creating batches on a thread of their own), `BatchQueries` (the reading side),
`BatchHousekeeping` (merge, remove, cleanup, recovery), and the workflows around batches:
`BatchTemplates` (`templates`), `WatchFolders` (`watch_folders`) and `AfterBatchActions`
(`after_batch`). Status changes are checked once, by the store's transaction; the
controller only acts on the outcome and tells the listeners.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from junmai_gui.controller.after_batch import AfterBatchActions
from junmai_gui.controller.batch_book import BatchBook
from junmai_gui.controller.batch_housekeeping import BatchHousekeeping, Changed
from junmai_gui.controller.batch_queries import BatchQueries
from junmai_gui.controller.coalescer import ChangeCoalescer
from junmai_gui.controller.creation import BatchCreation
from junmai_gui.controller.dispatcher import dispatch_order
from junmai_gui.controller.executors import Executor
from junmai_gui.controller.farm_status import FarmStatus
from junmai_gui.controller.operations import Operation, OperationRunner
from junmai_gui.controller.planning import (
    BatchPlanner,
    BatchRequest,
    ImportResult,
    PlannedBatch,
    StartResult,
    WatchedPhotos,
)
from junmai_gui.controller.progress import Activity, BatchProgress, Snapshot, take_snapshot
from junmai_gui.controller.runner import PhotoRunner, RecordedResult
from junmai_gui.controller.settings import ControllerSettings, default_output_root
from junmai_gui.controller.templates import BatchTemplates
from junmai_gui.controller.watch_folders import WatchFolders
from junmai_gui.controller.workbench import Workbench
from junmai_gui.develop.jobs import Outcome
from junmai_gui.develop.library import PresetLibrary
from junmai_gui.domain.batch import BatchSummary
from junmai_gui.domain.errors import BatchError, InvalidBatchError
from junmai_gui.domain.photo import PhotoRecord
from junmai_gui.domain.status import RESUMABLE, BatchStatus, PauseReason
from junmai_gui.paths import log_fields
from junmai_gui.store.database import Store

__all__ = ["BatchController", "ControllerSettings", "ImportResult", "StartResult"]

log = logging.getLogger(__name__)

QUIT_DRAIN_S = 4.0  # at quit, photos in flight get this long to finish before they are stopped
QUIT_STOP_S = 5.0  # then stopping them (cooperatively, then by force) takes at most this long
CATCH_UP_S = 10.0  # at launch, results a farm kept while the app was away are read first


def _log(level: int, message: str, **fields: object) -> None:
    """A log line in the AutoDev format: `Paused batch processing | batch_id=…`."""
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
    Outcome.OUT_OF_RESOURCES: PauseReason.OUT_OF_RESOURCES,
}


class BatchController(QObject):
    """Starts, pauses, resumes, cancels, retries, merges and recovers batches.

    It keeps one `BatchSummary` per batch in memory (counters, never photo lists); photo
    results are committed as they arrive, so summaries touched by a result are re-read from
    the store lazily, when someone asks.
    """

    batch_added = Signal(str)
    batch_changed = Signal(str)
    batch_removed = Signal(str)
    batch_finished = Signal(str, str)  # batch_id, status
    photo_finished = Signal(str, int, str)  # batch_id, photo_id, "done" | "failed"
    activity_changed = Signal()
    farm_changed = Signal()  # the farm's connection, workers or queue changed
    _executor_changed = Signal()  # from the executor's threads, queued to the main thread

    def __init__(
        self,
        store: Store,
        presets: PresetLibrary,
        settings: ControllerSettings,
        executor: Executor,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._presets = presets
        self._settings = settings
        self._book = BatchBook(store)
        self._runner = PhotoRunner(store, presets, self._book.config, executor, self)
        self._runner.photo_done.connect(self._on_photo_done)
        self._runner.late_result.connect(self._on_late_result)
        self._executor_changed.connect(self._on_executor_changed)
        executor.watch(self._executor_changed.emit)
        self._planner = BatchPlanner(store, presets, settings.output_root)
        self._snapshot = Snapshot()
        self._queries = BatchQueries(store, self._book, self._runner, lambda: self._snapshot)
        self._housekeeping = BatchHousekeeping(store, self._book, self._runner)
        self._operations = OperationRunner(self)
        self.workbench = Workbench(presets, self._operations)
        self._closed = False
        # The one debounce of change notifications: views listen and never re-debounce.
        self._changes = ChangeCoalescer(self)
        self._changes.flushed.connect(self._on_changes_flushed)
        self._templates = BatchTemplates(store, self._planner, self)
        self._after = AfterBatchActions(store, self._book.config, self.batch, self)
        self.batch_finished.connect(self._after.on_batch_finished)
        self._watches = WatchFolders(store, self._planner, parent=self)
        self._watches.photos_taken.connect(self._on_photos_taken)
        self._snapshot = self._take_snapshot()

    # -- properties ---------------------------------------------------------------------------

    @property
    def presets(self) -> PresetLibrary:
        return self._presets

    @property
    def operations(self) -> OperationRunner:
        """The background work under way (batch creations, New Batch's scans and previews)."""
        return self._operations

    @property
    def executor(self) -> Executor:
        return self._runner.executor

    @property
    def templates(self) -> BatchTemplates:
        """Named New Batch settings: `save`, `get`, `all`, `names`, `delete`,
        `templates_changed`."""
        return self._templates

    @property
    def watch_folders(self) -> WatchFolders:
        """Watched folders: `add`, `watches`, `pause`, `resume`, `remove`,
        `watches_changed`."""
        return self._watches

    @property
    def after_batch(self) -> AfterBatchActions:
        """After-batch actions: `open_folder_requested(batch_id, folder)` for the window,
        `action_finished(batch_id, action, ok, message)`, `results(batch_id)`."""
        return self._after

    @property
    def default_output_dir(self) -> Path:
        """Where a batch without an output folder gets a folder of its own."""
        return self._planner.output_root

    @default_output_dir.setter
    def default_output_dir(self, folder: Path | None) -> None:
        """None: the user's pictures folder / "Junmai Batch"."""
        root = Path(folder).expanduser() if folder else default_output_root()
        self._settings.default_output_dir = root
        self._planner.output_root = root

    @property
    def workers(self) -> int:
        return self._runner.executor.workers

    @workers.setter
    def workers(self, count: int) -> None:
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise InvalidBatchError("The number of workers must be a whole number, at least 1")
        self._settings.workers = count
        self._runner.executor.workers = count
        self._changes.touch("")
        self._dispatch()

    def workers_busy(self) -> int:
        """Photos being developed now (not those waiting their turn in a worker)."""
        return self._runner.developing()

    def farm_status(self) -> FarmStatus | None:
        """The render farm (connection, workers, queue), or None when photos are developed
        on this computer only."""
        return self._runner.executor.farm_status()

    def check_farm_connection(self, url: str) -> Operation[str | None]:
        """Ask a farm's broker at `url` off the GUI thread (it may take seconds to say no):
        the operation's result is None when it answers with the URL's password, else why
        not, in a sentence."""

        def check(_op: Operation[Any]) -> str | None:
            from junmai_gui.farm.protocol import check_connection  # redis, only when asked

            return check_connection(url)

        return self._operations.run(check, name="farm-check")

    # -- reading (see BatchQueries) -------------------------------------------------------------

    def batch(self, batch_id: str) -> BatchSummary:
        return self._queries.batch(batch_id)

    def batches(self) -> list[BatchSummary]:
        return self._queries.batches()

    def get_batch_status(self, batch_id: str) -> dict[str, Any]:
        """The AutoDev status body, plus speed, ETA and what its after-batch actions did."""
        body = self._queries.get_batch_status(batch_id)
        body["after_batch"] = self._after.results(batch_id)
        return body

    def get_all_batches(self) -> list[dict[str, Any]]:
        return self._queries.get_all_batches()

    def batch_photos(
        self, batch_id: str, state: Any = None, offset: int = 0, limit: int = 100
    ) -> list[PhotoRecord]:
        return self._queries.batch_photos(batch_id, state, offset, limit)

    def progress(self, batch_id: str) -> BatchProgress:
        """Done, failed, total, speed, time left and place in line, as every view shows them
        (see `controller.progress`); computed at the last change notification."""
        return self._queries.progress(batch_id)

    def activity(self) -> Activity:
        """Workers, and progress, speed and time left over all running batches (no store
        read: computed at the last change notification)."""
        return self._queries.activity()

    def throughput(self, batch_id: str | None = None) -> float:
        return self._queries.throughput(batch_id)

    def eta_seconds(self, batch_id: str | None = None) -> float | None:
        return self._queries.eta_seconds(batch_id)

    def metrics(self) -> dict[str, Any]:
        return self._queries.metrics()

    # -- creating ------------------------------------------------------------------------------

    def import_photos(self, paths: Sequence[str | os.PathLike[str]]) -> ImportResult:
        """Store these files (folders: recursively) as photos; report what was not taken.
        Touches only the store: safe to call from a worker thread (the API does)."""
        return self._planner.import_photos(paths)

    def start_batch(
        self,
        photo_ids: Sequence[int] | None = None,
        session_id: int | None = None,
        config: dict[str, Any] | None = None,
        *,
        photo_paths: Sequence[str | os.PathLike[str]] | None = None,
        files: Sequence[str | os.PathLike[str]] | None = None,
        name: str | None = None,
        priority: int = 0,
        start: bool = True,
        template: str | None = None,
    ) -> BatchCreation:
        """Create a batch (its output paths fixed now) and start it, or leave it pending.

        Returns at once: the folders of `photo_paths` are scanned, the outputs planned and
        the rows written on a thread of their own (`files`: photos a scan already found,
        not scanned again). `template` names saved settings that `config` goes over.
        `batch_added` comes once the batch is stored, then the returned creation's
        `finished`."""
        request = BatchRequest(
            photo_ids=list(photo_ids or []),
            photo_paths=[os.fspath(p) for p in photo_paths or []],
            files=[os.fspath(f) for f in files or []],
            config=config,
            session_id=session_id,
            name=name,
            priority=priority,
            start=start,
            template=template,
        )
        creation = BatchCreation(self)
        self._operations.run(
            lambda op: self._create(op, request),
            name="batch-creation",
            operation=creation,
            then=lambda planned: self._on_batch_stored(request, planned),
        )
        return creation

    def _create(self, creation: Operation[Any], request: BatchRequest) -> PlannedBatch:
        """On the creating thread: plan and store (the main thread takes it in after)."""
        assert isinstance(creation, BatchCreation)
        try:
            return self._planner.create(request, creation)
        except BatchError:
            raise
        except Exception as exc:  # a bug, or a disk error the planner did not foresee
            log.exception("Could not create a batch")
            raise InvalidBatchError(f"The batch could not be created: {exc}") from exc

    def _on_batch_stored(self, request: BatchRequest, planned: PlannedBatch) -> StartResult:
        summary = self._book.put(planned.summary, planned.config)
        batch_id = summary.batch_id
        if request.start:
            self._book.active.add(batch_id)
            self._book.start_meter(batch_id)
            self._runner.batch_running(batch_id)
            _log_started(summary)
        else:
            _log(logging.INFO, "Created batch", batch_id=batch_id, photo_count=summary.total_photos)
        for path, reason in planned.rejected:
            _log(logging.INFO, "Path not added", batch_id=batch_id, path=path, reason=reason)
        self.batch_added.emit(batch_id)
        if request.start and not self._closed:
            self._run_now(batch_id)
        self._changes.flush_now(batch_id)
        return StartResult(batch_id, summary.total_photos, planned.rejected)

    def example_output_names(
        self,
        config: dict[str, Any] | None,
        photo: str | os.PathLike[str],
        *,
        template: str | None = None,
    ) -> list[str]:
        """The path of each output of `photo` inside the output folder if it were a new
        batch's first photo ("2025/Canon EOS 40D/IMG_0001.jpg"), for New Batch's live
        example. InvalidBatchError (or TemplateNotFoundError) when the settings cannot be
        used. It reads a few kilobytes of the photo when a template uses its date, camera…"""
        return self._planner.example_names(config, os.fspath(photo), template=template)

    def find_example_output_names(
        self, config: dict[str, Any] | None, photo: str | os.PathLike[str]
    ) -> Operation[list[str]]:
        """`example_output_names` off the GUI thread: a photo on a hung network share keeps
        the operation waiting, never the window."""
        return self._operations.run(
            lambda _op: self.example_output_names(config, photo), name="example-names"
        )

    # -- watched folders ---------------------------------------------------------------------

    def start_watching(self, *, resume_batches: bool = True) -> None:
        """Start the watched folders (after launch-time recovery): what arrived while the app
        was closed is taken, and (`resume_batches`) a watch's batch paused by the last quit
        or crash resumes."""
        for watch in self._watches.watches() if resume_batches else ():
            if watch.paused or not watch.batch_id or watch.batch_id not in self._book:
                continue
            summary = self.batch(watch.batch_id)
            if summary.status is BatchStatus.PAUSED and summary.pause_reason in (
                PauseReason.APP_QUIT,
                PauseReason.INTERRUPTED,
            ):
                try:
                    self.resume_batch(watch.batch_id)
                except BatchError as exc:
                    log.warning("Could not resume the batch of watch %s: %s", watch.name, exc)
        self._watches.start()

    def _on_photos_taken(self, taken: WatchedPhotos) -> None:
        """A watch added photos to its batch of the day: take it in and run it (a finished
        batch runs again; one the user paused stays paused)."""
        batch_id = taken.summary.batch_id
        known = batch_id in self._book
        # as it is now: a photo may have finished since the watch's thread read it
        summary = self._book.put(self._store.get_batch(batch_id) or taken.summary, taken.config)
        self._runner.forget(batch_id)
        if not known:
            self.batch_added.emit(batch_id)
        if self._closed:
            return
        if summary.status is BatchStatus.PENDING:
            self.resume_batch(batch_id)
        elif summary.status is BatchStatus.COMPLETED:
            self._set_status(batch_id, BatchStatus.RUNNING)
            self._book.start_meter(batch_id)
            _log(logging.INFO, "Developing new photos of a watched folder", batch_id=batch_id)
            self._run_now(batch_id)
        elif summary.status is BatchStatus.RUNNING:
            self._dispatch()
            self._changes.touch(batch_id)
        else:
            self._changes.flush_now(batch_id)

    # -- status changes ---------------------------------------------------------------------------

    def pause_batch(self, batch_id: str, reason: PauseReason = PauseReason.USER) -> None:
        """No new photo of this batch starts after this returns; photos in flight finish."""
        reason = PauseReason(reason)
        self.batch(batch_id)
        self._set_status(batch_id, BatchStatus.PAUSED, pause_reason=reason)
        fields: dict[str, object] = {"batch_id": batch_id}
        if reason is not PauseReason.USER:
            fields["reason"] = reason.value
        _log(logging.INFO, "Paused batch processing", **fields)

    def resume_batch(self, batch_id: str) -> None:
        """Run a paused batch again (its pending photos only), or start a pending one."""
        current = self.batch(batch_id)
        summary = self._set_status(batch_id, BatchStatus.RUNNING, only_from=RESUMABLE)
        self._plan_missing_outputs(summary)
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
        """No new photo starts; photos in flight are stopped; finished outputs are kept."""
        self.batch(batch_id)
        self._set_status(batch_id, BatchStatus.CANCELLED)
        self._runner.cancel(batch_id)
        _log(logging.INFO, "Cancelled batch processing", batch_id=batch_id)
        self.batch_finished.emit(batch_id, BatchStatus.CANCELLED.value)

    def retry_failed(self, batch_id: str) -> int:
        """Put the failed photos of a finished batch back to pending and run it again."""
        self.batch(batch_id)
        count, summary = self._store.retry_failed(batch_id)
        self._after_status_change(summary)
        self._plan_missing_outputs(summary)
        self._book.start_meter(batch_id)
        _log(logging.INFO, "Retrying failed photos", batch_id=batch_id, photo_count=count)
        self._run_now(batch_id)
        return count

    def retry_photo(self, batch_id: str, photo_id: int) -> None:
        """Develop one failed photo again: a finished batch runs again for it; a running or
        paused batch takes it in its turn."""
        before = self.batch(batch_id)
        summary = self._store.retry_photo(batch_id, photo_id)
        self._after_status_change(summary)
        _log(logging.INFO, "Retrying a failed photo", batch_id=batch_id, photo_id=photo_id)
        if summary.status is BatchStatus.RUNNING:
            if before.status is not BatchStatus.RUNNING:
                self._plan_missing_outputs(summary)
                self._book.start_meter(batch_id)
            self._run_now(batch_id)

    def set_priority(self, batch_id: str, priority: int) -> None:
        """Higher runs first; applies at the next dispatch."""
        if isinstance(priority, bool) or not isinstance(priority, int):
            raise InvalidBatchError("Priority must be a whole number", batch_id)
        self.batch(batch_id)
        self._book.put(self._store.set_priority(batch_id, priority))
        _log(logging.INFO, "Changed batch priority", batch_id=batch_id, priority=priority)
        self._changes.flush_now(batch_id)

    # -- several batches at once (see BatchHousekeeping) --------------------------------------

    def merge_batches(self, batch_ids: Sequence[str]) -> str:
        """Combine pending or paused batches of the same settings into a new pending batch
        (the originals are cancelled); see `BatchHousekeeping.merge_batches`."""
        new_id, changed = self._housekeeping.merge_batches(batch_ids)
        self._announce(changed)
        return new_id

    def remove_batches(self, batch_ids: Sequence[str]) -> int:
        """Delete finished batches from the store (never a file); all or nothing."""
        changed = self._housekeeping.remove_batches(batch_ids)
        self._announce(changed)
        return len(changed.removed)

    def set_aside_batches(self, batch_ids: Sequence[str]) -> list[str]:
        """Remove finished batches from the list now, undoably: `restore_batches` brings them
        back, `forget_set_aside` (or quitting) deletes them from the store. A crash in
        between only brings them back at the next launch."""
        changed = self._housekeeping.hide_batches(batch_ids)
        self._announce(changed)
        return changed.removed

    def restore_batches(self, batch_ids: Sequence[str]) -> list[str]:
        """Undo `set_aside_batches` (those not deleted meanwhile)."""
        changed = self._housekeeping.unhide_batches(batch_ids)
        self._announce(changed)
        return changed.added

    def forget_set_aside(self, batch_ids: Sequence[str] | None = None) -> None:
        """Delete batches set aside (all when None) from the store for good."""
        self._housekeeping.delete_hidden(batch_ids)

    def cleanup_completed_batches(self, days_old: float = 7) -> dict[str, Any]:
        """Remove finished batches older than `days_old` days from the store (never a file)."""
        answer, changed = self._housekeeping.cleanup_completed_batches(days_old)
        self._announce(changed)
        return answer

    def recover_interrupted_batches(self) -> dict[str, Any]:
        """Launch-time recovery; see `BatchHousekeeping.recover_interrupted_batches`."""
        if not self._runner.executor.catch_up(CATCH_UP_S):
            log.warning("Results the render farm kept could not all be read before recovery")
        creating = [
            op.batch_id
            for op in self._operations.running()
            if isinstance(op, BatchCreation) and op.batch_id
        ]
        answer, changed = self._housekeeping.recover_interrupted_batches(creating)
        self._announce(changed)
        return answer

    # -- quitting ---------------------------------------------------------------------------

    def shutdown(self, timeout_s: float = QUIT_DRAIN_S + QUIT_STOP_S) -> None:
        """Pause running batches (reason app_quit); give the photos in flight a moment to
        finish, then stop them (they return to pending). Bounded: whatever a photo's read is
        doing, this returns within about `timeout_s`."""
        if self._closed:
            return
        self._watches.stop()
        for batch_id in list(self._book.active):
            try:
                self.pause_batch(batch_id, PauseReason.APP_QUIT)
            except Exception:
                log.exception("Could not pause batch %s at quit", batch_id)
        self._closed = True
        self._operations.cancel_all()
        in_flight = self._runner.busy()
        drain = min(QUIT_DRAIN_S, max(0.0, timeout_s - QUIT_STOP_S))
        self._runner.wait_idle(drain)
        self._runner.stop(max(1.0, timeout_s - drain))
        self._operations.wait_idle(1.0)
        self._after.wait_idle(1.0)  # copies and commands still running go on by themselves
        self._changes.stop()
        try:
            self.forget_set_aside()
        except Exception:
            log.exception("Could not delete the batches removed before quitting")
        _log(logging.INFO, "Batch controller stopped", photos_in_flight=in_flight)

    def close(self) -> None:
        """Shut down (if not done yet); the executor's processes and threads are gone after."""
        self.shutdown()

    # -- internals -------------------------------------------------------------------------

    def _set_status(
        self,
        batch_id: str,
        status: BatchStatus,
        *,
        pause_reason: PauseReason | None = None,
        error: str | None = None,
        only_from: frozenset[BatchStatus] | None = None,
    ) -> BatchSummary:
        summary = self._store.set_status(
            batch_id, status, pause_reason=pause_reason, error=error, only_from=only_from
        )
        return self._after_status_change(summary)

    def _after_status_change(self, summary: BatchSummary) -> BatchSummary:
        batch_id = summary.batch_id
        self._book.put(summary)
        self._runner.forget(batch_id)
        if summary.status is BatchStatus.RUNNING:
            self._book.active.add(batch_id)
            self._runner.batch_running(batch_id)
        else:
            self._book.active.discard(batch_id)
            self._runner.batch_stopped(batch_id)
        self._changes.flush_now(batch_id)
        return summary

    def _plan_missing_outputs(self, summary: BatchSummary) -> None:
        """Output paths for photos imported without one; when that fails, the batch pauses
        (the output folder is unusable) and the caller hears why."""
        try:
            self._planner.plan_missing_outputs(summary, self._book.config(summary.batch_id))
        except BatchError as exc:
            self._pause_by_app(summary.batch_id, PauseReason.OUTPUT_UNAVAILABLE, exc.message)
            raise

    def _run_now(self, batch_id: str) -> None:
        """A batch was just set running: start its photos, or complete it if none is left."""
        self._dispatch()
        self._maybe_complete(batch_id, fresh=True)

    def _dispatch(self) -> None:
        """Start photos until the executor is full, then complete the idle, drained batches."""
        self._start_photos()
        self._complete_drained_batches()

    def _start_photos(self) -> None:
        """Start photos until the executor is full or no running batch has a pending photo."""
        while not self._closed:
            started, unusable = self._runner.fill([self._book.cached(b) for b in self._book.active])
            self._book.mark_stale(started)
            self._book.note_started(started)
            if not unusable:
                return
            for batch_id, message in unusable.items():
                self._fail_batch(batch_id, message)
            # and again: the slots they would have taken go to the other batches

    def _complete_drained_batches(self) -> None:
        for batch_id in list(self._book.active):
            if not self._runner.busy(batch_id) and self._runner.exhausted(batch_id):
                self._maybe_complete(batch_id)

    def _on_photo_done(self, recorded: RecordedResult) -> None:
        """A photo was recorded: first decide what it means for its batch and refill the
        executor (so it never waits for the views), then tell the listeners."""
        batch_id = recorded.batch_id
        if batch_id not in self._book:
            return
        saved = recorded.store_error is None or self._runner.record_again(recorded)
        self._book.mark_stale([batch_id])
        outcome = recorded.outcome
        finished = saved and outcome.is_final
        if finished:
            self._book.record_photo(batch_id)
        if self._closed:
            return
        if not saved:
            name = os.path.basename(recorded.source_path) or f"photo {recorded.photo_id}"
            message = (
                f"The result of {name} could not be saved in the batch database "
                f"({recorded.store_error}). The batch was paused; {name} is developed again "
                "when you resume it."
            )
            self._pause_by_app(batch_id, PauseReason.INTERRUPTED, message)
        elif outcome in _RESOURCE_REASONS:
            self._pause_by_app(batch_id, _RESOURCE_REASONS[outcome], recorded.message)
        elif outcome is Outcome.UNAVAILABLE:
            reason = self._runner.executor.unavailable_reason
            self._pause_by_app(batch_id, reason, recorded.message)
        elif outcome is Outcome.PRESET_ERROR and batch_id in self._book.active:
            self._fail_batch(batch_id, recorded.message or "The preset could not be used")
        self._start_photos()
        if finished:
            self.photo_finished.emit(batch_id, recorded.photo_id, outcome.value)
        self._changes.touch(batch_id)
        self._complete_drained_batches()

    def _on_late_result(self, recorded: RecordedResult) -> None:
        """A farm's result for a photo not in flight here (sent before a restart): it is
        committed; the batch's counters are read again and the listeners told."""
        batch_id = recorded.batch_id
        if batch_id not in self._book or self._closed:
            return
        self._book.mark_stale([batch_id])
        if recorded.store_error is None and recorded.outcome.is_final:
            self.photo_finished.emit(batch_id, recorded.photo_id, recorded.outcome.value)
        self._changes.touch(batch_id)
        self._complete_drained_batches()

    def _on_executor_changed(self) -> None:
        """The executor's capacity or farm changed (a worker came or went, the broker)."""
        if self._closed:
            return
        self._start_photos()
        self._changes.touch("")
        self.farm_changed.emit()

    def _maybe_complete(self, batch_id: str, *, fresh: bool = False) -> None:
        """Complete a running batch with no pending and no running photo left."""
        if batch_id not in self._book.active or self._runner.busy(batch_id):
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
        if batch_id not in self._book.active:
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

    def _announce(self, changed: Changed) -> None:
        """Tell the listeners what a chore over several batches did."""
        for batch_id in changed.changed:
            if batch_id in self._book:
                if batch_id not in self._book.active:
                    self._runner.batch_stopped(batch_id)  # recovered, merged: on a farm too
                self._changes.flush_now(batch_id)
        for batch_id in changed.removed:
            self._changes.discard(batch_id)
            self.batch_removed.emit(batch_id)
        if changed.added or changed.removed:
            self._changes.flush_now("")
        for batch_id in changed.added:
            self.batch_added.emit(batch_id)
        for batch_id in changed.cancelled:
            self.batch_finished.emit(batch_id, BatchStatus.CANCELLED.value)

    def _on_changes_flushed(self, batch_ids: list[str]) -> None:
        """Once per notification: the progress of everything is computed (reading what photo
        results changed), then each changed batch is announced, then the activity."""
        self._snapshot = self._take_snapshot()
        for batch_id in batch_ids:
            if batch_id and batch_id in self._book:
                self.batch_changed.emit(batch_id)
        self.activity_changed.emit()

    def _take_snapshot(self) -> Snapshot:
        runner = self._runner
        running = dispatch_order(self._book.get(b) for b in self._book.active if b in self._book)
        others = [s for s in self._book.all() if s.batch_id not in self._book.active]
        return take_snapshot(
            [*running, *others],
            in_flight=runner.busy,
            rate=self._book.per_minute,
            workers=runner.executor.workers,
            workers_busy=self.workers_busy(),
        )
