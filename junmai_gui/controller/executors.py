"""The executor seam: who develops the photos the controller dispatches.

The controller alone decides what runs and when, and records every result; an executor
only develops. It takes `PhotoJob`s (`submit`) up to its `capacity`, and answers every job
it accepted with exactly one `PhotoResult`, handed to the `deliver` callback given to
`start` on one of the executor's own threads. Executors:

- `LocalProcessExecutor` (controller.process_executor): develop processes on this
  computer, crash-isolated; the app's default.
- `InProcessExecutor` (here): develops on the pool threads of this process with any
  develop function; no isolation, for embedding and for tests of the controller's logic.
- `FarmExecutor` (controller.farm_executor): Celery workers on other computers through a
  Redis-protocol broker; `SplitExecutor` there joins it to the local processes.

The controller tells an executor when a batch may run and when it may not
(`batch_running`, `batch_stopped`, synchronously, before `pause_batch` returns): a local
executor needs nothing of it (the controller stops dispatching), a farm makes its workers'
claims check it.
"""

from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QThreadPool

from junmai_gui.develop.engine import CancelToken, develop_photo
from junmai_gui.develop.errors import resource_error
from junmai_gui.develop.jobs import DevelopFunction, Outcome, PhotoJob, PhotoResult, run_job
from junmai_gui.develop.preset import Preset
from junmai_gui.domain.status import PauseReason

if TYPE_CHECKING:
    from junmai_gui.controller.farm_status import FarmStatus

log = logging.getLogger(__name__)

Deliver = Callable[[PhotoResult], None]


class Executor(ABC):
    """Develops the jobs it is given and answers each with one result (see the module)."""

    # Why a batch pauses when this executor reports `Outcome.UNAVAILABLE`.
    unavailable_reason = PauseReason.INTERRUPTED

    @abstractmethod
    def start(self, deliver: Deliver) -> None:
        """Get ready (in the background) and answer every job through `deliver`."""

    @property
    @abstractmethod
    def capacity(self) -> int:
        """How many jobs it can have in flight at once now."""

    @property
    @abstractmethod
    def workers(self) -> int:
        """The workers of this computer (develop processes or threads); 0 for none."""

    @workers.setter
    @abstractmethod
    def workers(self, count: int) -> None: ...

    @abstractmethod
    def publish(self, preset: Preset) -> None:
        """Make `preset` available by its content hash to whatever develops the jobs."""

    @abstractmethod
    def submit(self, job: PhotoJob) -> None:
        """Develop `job`; its result comes through `deliver`, exactly once."""

    @abstractmethod
    def cancel(self, batch_id: str | None = None) -> None:
        """Stop the jobs in flight (of one batch): cooperatively, then by force."""

    def batch_running(self, batch_id: str) -> None:  # noqa: B027 - a hook; local: nothing
        """The batch (re)starts: photos of it sent from now on may start."""

    def batch_stopped(self, batch_id: str) -> None:  # noqa: B027 - a hook; local: nothing
        """The batch paused or ended: no photo of it may start after this returns."""

    def catch_up(self, timeout_s: float) -> bool:
        """Answer results that came while the app was not running (a farm's), before
        recovery returns running photos to pending. True when nothing is left to read."""
        return True

    def watch(self, changed: Callable[[], None]) -> None:  # noqa: B027 - local: never changes
        """Call `changed` (on any thread) when `capacity` or `farm_status()` changed."""

    def farm_status(self) -> FarmStatus | None:
        """The render farm behind this executor, or None when there is none."""
        return None

    @abstractmethod
    def wait_idle(self, timeout_s: float) -> bool:
        """Block until every accepted job has been answered (True) or the time is up."""

    @abstractmethod
    def stop(self, timeout_s: float) -> None:
        """Stop within about `timeout_s`: jobs still in flight are cancelled (their results
        come as CANCELLED), then whatever develops is ended."""

    def developing(self) -> int | None:
        """Photos being developed right now, where that differs from the jobs in flight
        (some wait their turn); None: every job in flight is being developed."""
        return None


class PooledExecutor(Executor):
    """Runs each job on a QThreadPool thread of its own, `workers` at once.

    `queued_per_worker` jobs a worker may also hold waiting their turn, so that a worker
    starts its next photo the moment it answers one, instead of waiting for the main thread
    to dispatch it (on two workers that gap cost a sixth of the throughput). Waiting jobs
    are not started yet: pausing their batch withdraws them (`batch_stopped`), and they come
    back as CANCELLED, their photos pending."""

    def __init__(self, workers: int, *, queued_per_worker: int = 0) -> None:
        self._workers = max(1, workers)
        self._queued_per_worker = queued_per_worker
        self._pool = QThreadPool()
        self._pool.setMaxThreadCount(self._workers)
        self._pool.setExpiryTimeout(-1)  # keep threads, and with them their store connections
        self._deliver: Deliver | None = None
        self._lock = threading.Lock()
        self._tokens: dict[tuple[str, int], CancelToken] = {}
        self._started: set[tuple[str, int]] = set()

    def start(self, deliver: Deliver) -> None:
        self._deliver = deliver

    @property
    def capacity(self) -> int:
        return self._workers * (1 + self._queued_per_worker)

    def developing(self) -> int | None:
        if not self._queued_per_worker:
            return None
        with self._lock:
            return len(self._started)

    def batch_stopped(self, batch_id: str) -> None:
        """Withdraw the jobs of `batch_id` still waiting their turn (those being developed
        finish): no photo of it starts after this returns."""
        with self._lock:
            waiting = [
                token
                for key, token in self._tokens.items()
                if key[0] == batch_id and key not in self._started
            ]
        for token in waiting:
            token.cancel()

    @property
    def workers(self) -> int:
        return self._workers

    @workers.setter
    def workers(self, count: int) -> None:
        self._workers = max(1, count)
        self._pool.setMaxThreadCount(self._workers)
        self._workers_changed()

    def _workers_changed(self) -> None:
        """`workers` was set (the pool already follows it)."""

    def in_flight(self) -> int:
        with self._lock:
            return len(self._tokens)

    def submit(self, job: PhotoJob) -> None:
        token = CancelToken()
        with self._lock:
            self._tokens[job.key] = token
        self._pool.start(lambda: self._run(job, token))

    def cancel(self, batch_id: str | None = None) -> None:
        with self._lock:
            chosen = [
                (key, token)
                for key, token in self._tokens.items()
                if batch_id is None or key[0] == batch_id
            ]
        for key, token in chosen:
            token.cancel()
            self._cancelled(key)

    def wait_idle(self, timeout_s: float) -> bool:
        return bool(self._pool.waitForDone(max(0, int(timeout_s * 1000))))

    def stop(self, timeout_s: float) -> None:
        self.cancel()
        self.wait_idle(timeout_s)

    def _run(self, job: PhotoJob, token: CancelToken) -> None:
        with self._lock:
            withdrawn = token.cancelled  # while it waited its turn
            if not withdrawn:
                self._started.add(job.key)
        try:
            result = (
                PhotoResult.of(job, Outcome.CANCELLED) if withdrawn else self._develop(job, token)
            )
        except OSError as exc:  # e.g. no process could be started: not the photo's fault
            log.exception("Developing %s failed in the executor", job.source_path)
            short = resource_error(exc.errno, f"starting to develop {job.name}")
            if short is not None:
                result = PhotoResult.of(job, Outcome.OUT_OF_RESOURCES, short.message)
            else:
                message = f"Junmai Batch could not develop {job.name} ({exc.strerror or exc})"
                result = PhotoResult.of(job, Outcome.UNAVAILABLE, message)
        except BaseException as exc:  # the executor itself broke: fail the photo, say why
            log.exception("Developing %s failed in the executor", job.source_path)
            result = PhotoResult.of(
                job, Outcome.FAILED, f"{job.name} could not be developed: {exc}"
            )
        with self._lock:
            self._tokens.pop(job.key, None)
            self._started.discard(job.key)
        assert self._deliver is not None, "start() was not called"
        self._deliver(result)

    def _cancelled(self, key: tuple[str, int]) -> None:
        """A job in flight was asked to stop (after its token was set)."""

    @abstractmethod
    def _develop(self, job: PhotoJob, cancel: CancelToken) -> PhotoResult:
        """Develop one job on this pool thread."""


class InProcessExecutor(PooledExecutor):
    """Develops on the pool threads of this process: no crash isolation, no hard cancel."""

    def __init__(self, workers: int, develop: DevelopFunction = develop_photo) -> None:
        super().__init__(workers)
        self._develop_function = develop
        self._presets: dict[str, Preset] = {}

    def publish(self, preset: Preset) -> None:
        self._presets[preset.content_hash] = preset

    def _develop(self, job: PhotoJob, cancel: CancelToken) -> PhotoResult:
        preset = self._presets[job.recipe.preset_hash]
        return run_job(job, preset, develop=self._develop_function, cancel=cancel)
