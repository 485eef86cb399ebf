"""Random sequences of store operations keep the counters equal to the rows and never
store an illegal status; illegal requests raise and change nothing."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from junmai_gui.domain.errors import IllegalTransitionError, InvalidBatchError
from junmai_gui.domain.status import BatchStatus, PauseReason, PhotoState, can_transition
from junmai_gui.store import NewBatch, NewBatchPhoto, Store
from tests.unit.store.invariants import assert_consistent

PHOTOS = 8


class StoreMachine(RuleBasedStateMachine):
    """A model of statuses and photo states, compared with the store after every step."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="store-sm-"))
        self.store = Store.open(self.folder)
        self.photo_ids = self.store.add_photos([f"/photos/p{i}.jpg" for i in range(PHOTOS)])
        self.status: dict[str, BatchStatus] = {}
        self.photos: dict[str, dict[int, PhotoState]] = {}
        self.attempts: dict[tuple[str, int], int] = {}

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _batch(self, index: int) -> str:
        return sorted(self.status)[index % len(self.status)]

    def _photo(self, batch_id: str, index: int) -> int | None:
        ids = list(self.photos[batch_id])
        return ids[index % len(ids)] if ids else None

    @precondition(lambda self: len(self.status) < 3)
    @rule(count=st.integers(0, PHOTOS))
    def create(self, count: int) -> None:
        batch_id = f"batch_{len(self.status):012x}"
        ids = self.photo_ids[:count]
        self.store.create_batch(
            NewBatch(
                batch_id=batch_id,
                name=batch_id,
                session_id=None,
                priority=0,
                config={"preset": "p"},
                status=BatchStatus.PENDING,
                photos=[NewBatchPhoto(pid, f"/out/{pid}.jpg") for pid in ids],
                created_at="2025-11-09T10:00:00Z",
            )
        )
        self.status[batch_id] = BatchStatus.PENDING
        self.photos[batch_id] = dict.fromkeys(ids, PhotoState.PENDING)

    @precondition(lambda self: self.status)
    @rule(
        index=st.integers(0, 2),
        requested=st.sampled_from(list(BatchStatus)),
        reason=st.sampled_from(list(PauseReason)),
    )
    def change_status(self, index: int, requested: BatchStatus, reason: PauseReason) -> None:
        batch_id = self._batch(index)
        current = self.status[batch_id]
        states = list(self.photos[batch_id].values())
        legal = can_transition(current, requested)
        if legal and current in (BatchStatus.COMPLETED, BatchStatus.FAILED):
            legal = PhotoState.FAILED in states or PhotoState.PENDING in states
        if legal:
            summary = self.store.set_status(batch_id, requested, pause_reason=reason)
            self.status[batch_id] = requested
            assert summary.status is requested
            if requested is BatchStatus.PAUSED:
                assert summary.pause_reason is reason and summary.paused_at
        else:
            before = self.store.get_batch(batch_id)
            with pytest.raises(IllegalTransitionError):
                self.store.set_status(batch_id, requested, pause_reason=reason)
            assert self.store.get_batch(batch_id) == before

    @precondition(lambda self: self.status)
    @rule(index=st.integers(0, 2), photo=st.integers(0, PHOTOS - 1))
    def mark_running(self, index: int, photo: int) -> None:
        batch_id = self._batch(index)
        photo_id = self._photo(batch_id, photo)
        if photo_id is None:
            return
        if self.photos[batch_id][photo_id] is PhotoState.PENDING:
            key = (batch_id, photo_id)
            self.attempts[key] = self.attempts.get(key, 0) + 1
            assert self.store.mark_photo_running(batch_id, photo_id) == self.attempts[key]
            self.photos[batch_id][photo_id] = PhotoState.RUNNING
        else:
            with pytest.raises(InvalidBatchError):
                self.store.mark_photo_running(batch_id, photo_id)

    @precondition(lambda self: self.status)
    @rule(index=st.integers(0, 2), photo=st.integers(0, PHOTOS - 1), ok=st.booleans())
    def record(self, index: int, photo: int, ok: bool) -> None:
        batch_id = self._batch(index)
        photo_id = self._photo(batch_id, photo)
        if photo_id is None:
            return
        state = self.photos[batch_id][photo_id]
        recorded = self.store.record_photo_result(
            batch_id, photo_id, ok=ok, error=None if ok else "bad"
        )
        finished = state in (PhotoState.DONE, PhotoState.FAILED)
        assert recorded is not finished  # a second result for a finished photo is ignored
        if not finished:
            self.photos[batch_id][photo_id] = PhotoState.DONE if ok else PhotoState.FAILED

    @precondition(lambda self: self.status)
    @rule(index=st.integers(0, 2), photo=st.integers(0, PHOTOS - 1))
    def return_to_pending(self, index: int, photo: int) -> None:
        batch_id = self._batch(index)
        photo_id = self._photo(batch_id, photo)
        if photo_id is None:
            return
        state = self.photos[batch_id][photo_id]
        if state in (PhotoState.DONE, PhotoState.FAILED):
            with pytest.raises(InvalidBatchError):
                self.store.return_photo_to_pending(batch_id, photo_id)
            return
        self.store.return_photo_to_pending(batch_id, photo_id)
        if state is PhotoState.RUNNING:
            key = (batch_id, photo_id)
            self.attempts[key] -= 1
        self.photos[batch_id][photo_id] = PhotoState.PENDING

    @precondition(lambda self: self.status)
    @rule(index=st.integers(0, 2))
    def reset_failed(self, index: int) -> None:
        batch_id = self._batch(index)
        failed = [p for p, s in self.photos[batch_id].items() if s is PhotoState.FAILED]
        assert self.store.reset_failed_photos(batch_id) == len(failed)
        for photo_id in failed:
            self.photos[batch_id][photo_id] = PhotoState.PENDING
            self.attempts[(batch_id, photo_id)] = 0

    @rule()
    def recover(self) -> None:
        """Every running photo returns to pending, however often it was tried."""
        expected_returned = 0
        for photos in self.photos.values():
            for photo_id, state in photos.items():
                if state is PhotoState.RUNNING:
                    photos[photo_id] = PhotoState.PENDING
                    expected_returned += 1
        counts = self.store.recover_running_photos()
        assert (counts.returned, counts.failed) == (expected_returned, 0)

    @invariant()
    def store_matches_model(self) -> None:
        assert_consistent(self.store.path)
        for batch_id, status in self.status.items():
            batch = self.store.get_batch(batch_id)
            assert batch is not None and batch.status is status
            for state in PhotoState:
                expected = sum(1 for s in self.photos[batch_id].values() if s is state)
                assert self.store.count_photos(batch_id, state) == expected
            records = self.store.batch_photos(batch_id, limit=PHOTOS)
            assert {r.photo_id: r.state for r in records} == self.photos[batch_id]


StoreMachine.TestCase.settings = settings(max_examples=30, stateful_step_count=30, deadline=None)
TestStoreMachine = StoreMachine.TestCase
