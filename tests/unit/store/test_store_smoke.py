"""The store's main path: photos in, a batch created, run, recorded, exported."""

from __future__ import annotations

from pathlib import Path

import pytest

from junmai_gui.domain.errors import IllegalTransitionError, PhotoNotFoundError
from junmai_gui.domain.status import BatchStatus, PauseReason, PhotoState
from junmai_gui.store import NewBatch, NewBatchPhoto, Store


def _new_batch(
    store: Store, tmp: Path, n: int = 5, batch_id: str = "batch_000000000001"
) -> NewBatch:
    ids = store.add_photos([tmp / f"in/p{i}.jpg" for i in range(n)])
    return NewBatch(
        batch_id=batch_id,
        name="Wedding",
        session_id=7,
        priority=0,
        config={"preset": "WhiteLayer_v4", "blend": 60},
        status=BatchStatus.PENDING,
        photos=[NewBatchPhoto(pid, str(tmp / f"out/p{pid}.jpg")) for pid in ids],
        created_at="2025-11-09T10:00:00.000Z",
    )


def test_a_batch_runs_from_pending_to_completed(data_dir: Path) -> None:
    store = Store.open(data_dir)
    new = _new_batch(store, data_dir)
    summary = store.create_batch(new)
    assert summary.total_photos == 5 and summary.pending_count == 5
    assert store.set_status(new.batch_id, BatchStatus.RUNNING).started_at is not None
    for task in store.next_pending_photos(new.batch_id, 10):
        assert store.mark_photo_running(new.batch_id, task.photo_id) == 1
        store.record_photo_result(
            new.batch_id, task.photo_id, ok=task.photo_id % 2 == 0, error="Unreadable file"
        )
    batch = store.get_batch(new.batch_id)
    assert batch is not None
    assert batch.processed_count + batch.failed_count == 5 and batch.running_count == 0
    assert store.count_photos(new.batch_id, PhotoState.FAILED) == batch.failed_count
    done = store.set_status(new.batch_id, BatchStatus.COMPLETED)
    assert done.completed_at is not None
    state = store.export_state(new.batch_id)
    assert state.photo_ids == [p.photo_id for p in new.photos]
    assert len(state.processed_photo_ids) == batch.processed_count
    assert store.batch_output_dirs(new.batch_id) == [str(data_dir / "out")]
    assert store.metrics()["batches_completed"] == 1


def test_illegal_transition_changes_nothing(data_dir: Path) -> None:
    store = Store.open(data_dir)
    new = _new_batch(store, data_dir)
    store.create_batch(new)
    with pytest.raises(IllegalTransitionError):
        store.set_status(new.batch_id, BatchStatus.PAUSED, pause_reason=PauseReason.USER)
    assert store.get_batch(new.batch_id).status is BatchStatus.PENDING  # type: ignore[union-attr]


def test_unknown_photo_ids_are_refused(data_dir: Path) -> None:
    store = Store.open(data_dir)
    new = _new_batch(store, data_dir)
    bad = NewBatch(**{**new.__dict__, "photos": [NewBatchPhoto(999, "x.jpg")]})
    with pytest.raises(PhotoNotFoundError):
        store.create_batch(bad)
    assert store.list_batches() == []
