"""The runner hands photos to the executor and takes back the ones that return to pending."""

from __future__ import annotations

import threading
from typing import Any

from junmai_gui.controller.executors import Deliver, Executor
from junmai_gui.controller.runner import PhotoRunner, RecordedResult
from junmai_gui.develop.jobs import Outcome, PhotoJob, PhotoResult
from junmai_gui.develop.library import PresetLibrary
from junmai_gui.develop.preset import Preset
from junmai_gui.domain.config import BatchConfig
from junmai_gui.domain.status import PhotoState
from junmai_gui.store.database import Store
from tests.unit.controller.test_dispatcher import make_batch


class HeldExecutor(Executor):
    """Keeps every job it is given until the test answers it (as a pool whose threads are
    all busy keeps a withdrawn job until one of them gets to it)."""

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self.jobs: list[PhotoJob] = []
        self._deliver: Deliver | None = None

    def start(self, deliver: Deliver) -> None:
        self._deliver = deliver

    @property
    def capacity(self) -> int:
        return self._capacity

    @property
    def workers(self) -> int:
        return self._capacity

    @workers.setter
    def workers(self, count: int) -> None:
        self._capacity = count

    def publish(self, preset: Preset) -> None:
        pass

    def submit(self, job: PhotoJob) -> None:
        self.jobs.append(job)

    def cancel(self, batch_id: str | None = None) -> None:
        pass

    def wait_idle(self, timeout_s: float) -> bool:
        return True

    def stop(self, timeout_s: float) -> None:
        pass

    def answer(self, job: PhotoJob, outcome: Outcome) -> None:
        assert self._deliver is not None
        self._deliver(PhotoResult.of(job, outcome))


def _runner(store: Store, executor: Executor) -> tuple[PhotoRunner, list[RecordedResult]]:
    """A runner of Identity batches on `executor`, and the results it reports, in order."""
    runner = PhotoRunner(
        store, PresetLibrary(None), lambda _b: BatchConfig.from_dict({"preset": "Identity"}),
        executor,
    )  # fmt: skip
    done: list[RecordedResult] = []
    runner.photo_done.connect(done.append)
    return runner, done


def test_a_photo_withdrawn_after_the_batch_was_read_is_handed_out_again(
    store: Store, qtbot: Any
) -> None:
    """A paused batch's waiting photo comes back to pending after the dispatcher has read
    all the batch's pending photos (resumed at once): it must still be developed."""
    batch = make_batch(store, "batch_a", "2025-01-01T00:00:00Z", 3)
    executor = HeldExecutor(capacity=3)
    runner, done = _runner(store, executor)
    runner.fill([batch])
    assert len(executor.jobs) == 3 and runner.exhausted("batch_a")

    withdrawn = executor.jobs[0]
    executor.answer(withdrawn, Outcome.CANCELLED)
    qtbot.waitUntil(lambda: len(done) == 1)
    assert store.count_photos("batch_a", PhotoState.PENDING) == 1
    assert not runner.exhausted("batch_a")
    runner.fill([batch])
    assert [job.photo_id for job in executor.jobs[3:]] == [withdrawn.photo_id]


def test_a_photo_back_to_pending_is_not_handed_out_before_its_result_arrives(
    store: Store, qtbot: Any
) -> None:
    """The executor's thread commits a withdrawn photo back to pending before the main thread
    hears of it: a fill in between (the batch read again) must not start it a second time."""
    batch = make_batch(store, "batch_a", "2025-01-01T00:00:00Z", 2)
    executor = HeldExecutor(capacity=2)
    runner, done = _runner(store, executor)
    runner.fill([batch])
    withdrawn = executor.jobs[0]
    answering = threading.Thread(target=executor.answer, args=(withdrawn, Outcome.CANCELLED))
    answering.start()
    answering.join()  # committed; the main thread has not taken the result yet
    assert store.count_photos("batch_a", PhotoState.PENDING) == 1 and not done
    runner.forget("batch_a")  # e.g. the batch was resumed
    executor.workers = 3  # a free slot for it
    runner.fill([batch])
    assert len(executor.jobs) == 2 and runner.busy("batch_a") == 2

    qtbot.waitUntil(lambda: len(done) == 1)
    runner.fill([batch])
    assert [job.photo_id for job in executor.jobs] == [1, 2, 1]
    assert runner.busy("batch_a") == 2
