"""This computer develops too: the local develop processes and the render farm as one executor.

The controller keeps its single-executor view: `capacity` is the sum of both, `submit`
fills the local processes first (they cost no network) and sends the rest to the farm. A
photo the farm cannot take (its broker is unreachable) is developed here instead, so the
local processes carry on and no batch pauses for the farm; with the broker back, photos go
to the farm again.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable

from junmai_gui.controller.executors import Deliver, Executor
from junmai_gui.controller.farm_executor import FarmExecutor
from junmai_gui.controller.farm_status import FarmStatus
from junmai_gui.develop.jobs import Outcome, PhotoJob, PhotoResult
from junmai_gui.develop.preset import Preset


class SplitExecutor(Executor):
    """`local` first, then `farm` (see the module docstring)."""

    def __init__(self, local: Executor, farm: FarmExecutor) -> None:
        self.local = local
        self.farm = farm
        self.unavailable_reason = local.unavailable_reason  # the farm's never reach the runner
        self._lock = threading.Lock()
        self._local_jobs = 0
        self._farm_jobs: dict[tuple[str, int], PhotoJob] = {}
        self._deliver: Deliver | None = None

    def start(self, deliver: Deliver) -> None:
        self._deliver = deliver
        self.local.start(self._from_local)
        self.farm.start(self._from_farm)

    @property
    def capacity(self) -> int:
        farm = self.farm.capacity if self.farm.connected else 0
        return self.local.capacity + farm

    @property
    def workers(self) -> int:
        return self.local.workers

    @workers.setter
    def workers(self, count: int) -> None:
        self.local.workers = count

    def publish(self, preset: Preset) -> None:
        self.local.publish(preset)
        self.farm.publish(preset)

    def submit(self, job: PhotoJob) -> None:
        with self._lock:
            here = self._local_jobs < self.local.capacity or not self.farm.connected
            if here:
                self._local_jobs += 1
            else:
                self._farm_jobs[job.key] = job
        (self.local if here else self.farm).submit(job)

    def cancel(self, batch_id: str | None = None) -> None:
        self.local.cancel(batch_id)
        self.farm.cancel(batch_id)

    def batch_running(self, batch_id: str) -> None:
        self.local.batch_running(batch_id)
        self.farm.batch_running(batch_id)

    def batch_stopped(self, batch_id: str) -> None:
        self.local.batch_stopped(batch_id)
        self.farm.batch_stopped(batch_id)

    def developing(self) -> int | None:
        local = self.local.developing()
        if local is None:
            return None
        with self._lock:
            return local + len(self._farm_jobs)

    def catch_up(self, timeout_s: float) -> bool:
        return self.farm.catch_up(timeout_s)

    def watch(self, changed: Callable[[], None]) -> None:
        self.farm.watch(changed)

    def farm_status(self) -> FarmStatus:
        return dataclasses.replace(self.farm.farm_status(), develops_here=True)

    def wait_idle(self, timeout_s: float) -> bool:
        half = max(0.0, timeout_s) / 2
        return self.local.wait_idle(half) & self.farm.wait_idle(half)

    def stop(self, timeout_s: float) -> None:
        self.farm.stop(timeout_s / 2)
        self.local.stop(timeout_s / 2)

    def _from_local(self, result: PhotoResult) -> None:
        with self._lock:
            self._local_jobs -= 1
        assert self._deliver is not None
        self._deliver(result)

    def _from_farm(self, result: PhotoResult) -> None:
        with self._lock:
            job = self._farm_jobs.pop(result.key, None)
            retry_here = job is not None and result.outcome is Outcome.UNAVAILABLE
            if retry_here:
                self._local_jobs += 1
        if retry_here and job is not None:
            self.local.submit(job)
            return
        assert self._deliver is not None
        self._deliver(result)
