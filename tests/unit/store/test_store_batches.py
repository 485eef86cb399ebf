"""Batch life cycle in the store: stamps, events, recovery, cleanup, metrics, threads."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from junmai_gui.domain.errors import (
    BatchNotFoundError,
    IllegalTransitionError,
    InvalidBatchError,
    PhotoNotFoundError,
)
from junmai_gui.domain.status import BatchStatus, PauseReason, PhotoState
from junmai_gui.store import NewBatch, NewBatchPhoto, Store
from tests.unit.store.invariants import assert_consistent


def _create(
    store: Store,
    batch_id: str,
    n: int = 4,
    *,
    created_at: str = "2025-11-09T10:00:00Z",
    status: BatchStatus = BatchStatus.PENDING,
    states: list[PhotoState] | None = None,
    out: str = "/out",
) -> list[int]:
    ids = store.add_photos([f"/in/{batch_id}/{i}.jpg" for i in range(n)])
    states = states or [PhotoState.PENDING] * n
    store.create_batch(
        NewBatch(
            batch_id=batch_id,
            name=f"Batch {batch_id}",
            session_id=None,
            priority=0,
            config={"preset": "WhiteLayer_v4"},
            status=status,
            photos=[
                NewBatchPhoto(p, f"{out}/{p}.jpg", s) for p, s in zip(ids, states, strict=True)
            ],
            created_at=created_at,
        )
    )
    return ids


@pytest.fixture
def store(data_dir: Path) -> Store:
    return Store.open(data_dir)


def test_status_changes_stamp_times_and_log_events(store: Store) -> None:
    _create(store, "b1")
    running = store.set_status("b1", BatchStatus.RUNNING)
    paused = store.set_status("b1", BatchStatus.PAUSED, pause_reason=PauseReason.DISK_FULL)
    assert paused.paused_at and paused.pause_reason is PauseReason.DISK_FULL
    resumed = store.set_status("b1", BatchStatus.RUNNING)
    assert resumed.started_at == running.started_at and resumed.pause_reason is None
    failed = store.set_status("b1", BatchStatus.FAILED, error="The output folder vanished")
    assert failed.completed_at and failed.error == "The output folder vanished"
    kinds = [kind for _, kind, _, _ in store.events("b1")]
    assert kinds == ["create", "start", "pause", "resume", "fail"]


def test_retry_needs_failed_or_pending_photos(store: Store) -> None:
    ids = _create(store, "b1", 2)
    store.set_status("b1", BatchStatus.RUNNING)
    store.record_photo_result("b1", ids[0], ok=True)
    store.record_photo_result("b1", ids[1], ok=True)
    store.set_status("b1", BatchStatus.COMPLETED)
    with pytest.raises(IllegalTransitionError, match="b1"):
        store.set_status("b1", BatchStatus.RUNNING)

    ids = _create(store, "b2", 2)
    store.set_status("b2", BatchStatus.RUNNING)
    store.record_photo_result("b2", ids[0], ok=True)
    store.record_photo_result("b2", ids[1], ok=False, error="Unreadable file")
    store.set_status("b2", BatchStatus.COMPLETED)
    assert store.reset_failed_photos("b2") == 1
    retried = store.set_status("b2", BatchStatus.RUNNING)
    assert retried.completed_at is None and retried.failed_count == 0
    assert store.events("b2")[-1][1] == "retry"
    assert [kind for _, kind, _, _ in store.events("b2", "retry")] == ["retry"]
    record = store.batch_photos("b2", state=PhotoState.PENDING)[0]
    assert (record.photo_id, record.error, record.attempts) == (ids[1], None, 0)


def test_unknown_batches_and_photos_raise(store: Store) -> None:
    ids = _create(store, "b1", 1)
    with pytest.raises(BatchNotFoundError):
        store.set_status("nope", BatchStatus.RUNNING)
    with pytest.raises(BatchNotFoundError):
        store.record_photo_result("nope", ids[0], ok=True)
    with pytest.raises(PhotoNotFoundError):
        store.record_photo_result("b1", 12345, ok=True)
    with pytest.raises(BatchNotFoundError):
        store.count_photos("nope")
    with pytest.raises(InvalidBatchError, match="already exists"):
        _create(store, "b1", 1)
    assert store.get_batch("nope") is None


def test_running_photos_return_to_pending_however_often_they_ran(store: Store) -> None:
    """After the app stopped mid-photo (a power cut, a forced quit), nobody is blamed."""
    ids = _create(store, "b1", 3)
    store.set_status("b1", BatchStatus.RUNNING)
    store.mark_photo_running("b1", ids[0])
    store.mark_photo_running("b1", ids[1])
    first = store.recover_running_photos()
    assert (first.returned, first.failed, first.batches) == (2, 0, ["b1"])
    assert store.mark_photo_running("b1", ids[0]) == 2
    second = store.recover_running_photos()
    assert (second.returned, second.failed) == (1, 0)
    assert store.count_photos("b1", PhotoState.PENDING) == 3
    assert store.count_photos("b1", PhotoState.FAILED) == 0
    assert_consistent(store.path)


def test_a_result_delivered_twice_is_recorded_once(store: Store) -> None:
    ids = _create(store, "b1", 1)
    store.mark_photo_running("b1", ids[0])
    assert store.record_photo_result("b1", ids[0], ok=True, developed_by="studio-1")
    assert not store.record_photo_result("b1", ids[0], ok=False, error="late")
    (record,) = store.batch_photos("b1")
    assert (record.state, record.error, record.developed_by) == (PhotoState.DONE, None, "studio-1")
    assert store.count_photos("b1", PhotoState.DONE) == 1
    assert_consistent(store.path)


def test_an_aborted_photo_returns_without_counting_the_attempt(store: Store) -> None:
    ids = _create(store, "b1", 1)
    assert store.mark_photo_running("b1", ids[0]) == 1
    store.return_photo_to_pending("b1", ids[0])
    assert store.mark_photo_running("b1", ids[0]) == 1
    assert store.count_photos("b1", PhotoState.RUNNING) == 1


def test_next_pending_photos_follow_the_batch_order(store: Store) -> None:
    ids = _create(store, "b1", 6)
    store.record_photo_result("b1", ids[1], ok=True)
    tasks = store.next_pending_photos("b1", 3)
    assert [t.photo_id for t in tasks] == [ids[0], ids[2], ids[3]]
    assert tasks[0].source_path == "/in/b1/0.jpg" and tasks[0].output_path == f"/out/{ids[0]}.jpg"
    page = store.batch_photos("b1", offset=2, limit=2)
    assert [r.position for r in page] == [2, 3]


def test_a_batch_may_start_with_finished_photos(store: Store) -> None:
    states = [PhotoState.DONE, PhotoState.FAILED, PhotoState.PENDING]
    _create(store, "merged", 3, states=states)
    batch = store.get_batch("merged")
    assert batch is not None
    assert (batch.processed_count, batch.failed_count, batch.pending_count) == (1, 1, 1)
    assert_consistent(store.path)


def test_created_running_batch_is_started(store: Store) -> None:
    _create(store, "b1", status=BatchStatus.RUNNING)
    batch = store.get_batch("b1")
    assert batch is not None and batch.started_at is not None
    assert store.metrics()["batches_started"] == 1


def test_cleanup_lists_finished_batches_and_deletes_rows_only(store: Store, tmp_path: Path) -> None:
    output = tmp_path / "out"
    output.mkdir()
    (output / "kept.jpg").write_bytes(b"jpeg")
    _create(store, "old", created_at="2025-01-01T00:00:00Z", out=str(output))
    _create(store, "open", created_at="2025-01-02T00:00:00Z")
    store.set_status("old", BatchStatus.CANCELLED)
    assert store.finished_batches_before("2999-01-01T00:00:00Z") == ["old"]
    assert store.finished_batches_before("2000-01-01T00:00:00Z") == []
    assert store.batch_output_dirs("old") == [str(output)]
    assert store.delete_batches(["old", "missing"]) == 1
    assert [b.batch_id for b in store.list_batches()] == ["open"]
    assert (output / "kept.jpg").read_bytes() == b"jpeg"
    assert store.batch_photos("old") == []


def test_list_batches_oldest_first(store: Store) -> None:
    _create(store, "later", created_at="2025-11-09T10:00:01Z")
    _create(store, "earlier", created_at="2025-11-09T09:59:59.500Z")
    assert [b.batch_id for b in store.list_batches()] == ["earlier", "later"]


def test_priority_is_stored_and_logged(store: Store) -> None:
    _create(store, "b1")
    assert store.set_priority("b1", 5).priority == 5
    assert store.events("b1")[-1][1:4:2] == ("priority", {"priority": 5})


def test_metrics_from_the_event_log(store: Store) -> None:
    ids = _create(store, "b1", 4)
    store.set_status("b1", BatchStatus.RUNNING)
    store.set_status("b1", BatchStatus.PAUSED)
    store.set_status("b1", BatchStatus.RUNNING)
    for pid in ids[:3]:
        store.record_photo_result("b1", pid, ok=True)
    store.record_photo_result("b1", ids[3], ok=False, error="bad")
    store.set_status("b1", BatchStatus.COMPLETED)
    store.log_event("b1", "recover")
    store.log_event(None, "recover_failed", {"batch_id": "gone"})
    metrics = store.metrics()
    assert metrics == {
        "batches_started": 1,
        "batches_completed": 1,
        "average_completion_seconds": metrics["average_completion_seconds"],
        "success_rate": 0.75,
        "pause_count": 1,
        "resume_count": 1,
        "pause_resume_frequency": 1.0,
        "recovery_count": 1,
        "recovery_success_rate": 0.5,
        "photos_done": 3,
        "photos_failed": 1,
    }
    assert 0 <= metrics["average_completion_seconds"] < 60


def test_empty_metrics_have_no_rates(store: Store) -> None:
    metrics = store.metrics()
    assert metrics["success_rate"] is None and metrics["average_completion_seconds"] is None
    assert metrics["batches_started"] == 0


def test_threads_write_through_their_own_connections(store: Store) -> None:
    ids = _create(store, "b1", 200)
    store.set_status("b1", BatchStatus.RUNNING)
    errors: list[BaseException] = []

    def work(part: list[int]) -> None:
        try:
            for pid in part:
                store.mark_photo_running("b1", pid)
                store.record_photo_result("b1", pid, ok=pid % 3 != 0, error="bad")
        except BaseException as exc:  # reported to the test thread
            errors.append(exc)
        finally:
            store.close()

    threads = [threading.Thread(target=work, args=(ids[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    batch = store.get_batch("b1")
    assert batch is not None and batch.processed_count + batch.failed_count == 200
    assert_consistent(store.path)


def _merge_target(batch_id: str = "merged") -> NewBatch:
    return NewBatch(
        batch_id=batch_id,
        name="Merged",
        session_id=None,
        priority=2,
        config={"preset": "WhiteLayer_v4"},
        status=BatchStatus.PENDING,
        photos=[],
        created_at="2025-11-09T11:00:00Z",
    )


def test_merge_takes_pending_photos_and_cancels_the_originals_together(store: Store) -> None:
    a = _create(store, "a", 3, states=[PhotoState.DONE, PhotoState.PENDING, PhotoState.PENDING])
    b = _create(store, "b", 2, out="/other")
    store.set_status("b", BatchStatus.RUNNING)
    store.set_status("b", BatchStatus.PAUSED)
    merged = store.merge_batches(["a", "b"], _merge_target())
    assert (merged.batch_id, merged.status, merged.total_photos) == ("merged", "pending", 4)
    rows = store.batch_photos("merged")
    assert [r.photo_id for r in rows] == [a[1], a[2], *b]
    assert [r.output_path for r in rows] == [f"/out/{a[1]}.jpg", f"/out/{a[2]}.jpg"] + [
        f"/other/{p}.jpg" for p in b
    ]
    for original in ("a", "b"):
        batch = store.get_batch(original)
        assert batch is not None
        assert (batch.status, batch.error) == ("cancelled", "merged into batch merged")
    assert [k for _, k, _, _ in store.events("merged")] == ["create", "merge"]
    assert_consistent(store.path)


def test_a_merge_that_fails_half_way_changes_nothing(store: Store) -> None:
    _create(store, "a", 2)
    _create(store, "b", 2)
    # the last write of the merge (cancelling "b") fails, after the new batch is inserted
    # and "a" cancelled: the whole merge must roll back
    store._conn().execute(
        "CREATE TEMP TRIGGER fail_cancel BEFORE UPDATE OF status ON batches"
        " WHEN NEW.batch_id = 'b' AND NEW.status = 'cancelled'"
        " BEGIN SELECT RAISE(ABORT, 'the disk went away'); END"
    )
    with pytest.raises(sqlite3.IntegrityError, match="the disk went away"):
        store.merge_batches(["a", "b"], _merge_target())
    assert store.get_batch("merged") is None
    assert [s.status for s in store.list_batches()] == ["pending", "pending"]
    assert [k for _, k, _, _ in store.events()] == ["create", "create"]
    assert_consistent(store.path)


def test_merge_is_refused_while_a_photo_of_an_original_is_running(store: Store) -> None:
    a = _create(store, "a", 2)
    _create(store, "b", 2)
    store.set_status("a", BatchStatus.RUNNING)
    store.mark_photo_running("a", a[0])
    store.set_status("a", BatchStatus.PAUSED)
    with pytest.raises(IllegalTransitionError, match="1 of its photos is still being developed"):
        store.merge_batches(["a", "b"], _merge_target())
    store.record_photo_result("a", a[0], ok=True)
    merged = store.merge_batches(["a", "b"], _merge_target())
    assert merged.total_photos == 3
    with pytest.raises(IllegalTransitionError, match="only pending or paused"):
        store.merge_batches(["a", "merged"], _merge_target("again"))
    assert store.get_batch("again") is None
    assert_consistent(store.path)


def test_missing_outputs_are_planned_only_for_pending_photos_without_one(store: Store) -> None:
    ids = store.add_photos([f"/in/{i}.jpg" for i in range(5)])
    states = [PhotoState.DONE] + [PhotoState.PENDING] * 4
    outputs = ["", "", "", "", "/out/planned.jpg"]
    store.create_batch(
        NewBatch(
            batch_id="a",
            name="Imported",
            session_id=None,
            priority=0,
            config={"preset": "WhiteLayer_v4"},
            status=BatchStatus.PAUSED,
            photos=[NewBatchPhoto(*row) for row in zip(ids, outputs, states, strict=True)],
            created_at="2025-11-09T10:00:00Z",
        )
    )
    assert store.photos_without_output("a") == [(p, f"/in/{i}.jpg") for i, p in enumerate(ids)][1:4]
    store.plan_missing_outputs(
        "a",
        [
            NewBatchPhoto(ids[0], "/out/0.jpg"),  # done: left alone
            NewBatchPhoto(ids[1], "/out/1.jpg"),
            NewBatchPhoto(ids[2], "/out/2.jpg", PhotoState.DONE),  # skip policy: it exists
            NewBatchPhoto(ids[4], "/out/4.jpg"),  # has its output already: left alone
        ],
        {ids[3]: "Photo 4 has no file"},
    )
    rows = store.batch_photos("a")
    assert [(r.state, r.output_path, r.error) for r in rows] == [
        (PhotoState.DONE, "", None),
        (PhotoState.PENDING, "/out/1.jpg", None),
        (PhotoState.DONE, "/out/2.jpg", None),
        (PhotoState.FAILED, "", "Photo 4 has no file"),
        (PhotoState.PENDING, "/out/planned.jpg", None),
    ]
    assert store.photos_without_output("a") == []
    assert_consistent(store.path)


def test_add_photos_keeps_the_order_and_reuses_known_paths(store: Store) -> None:
    first = store.add_photos(["/p/b.jpg", "/p/a.jpg"])
    again = store.add_photos(["/p/a.jpg", "/p/c.jpg", "/p/b.jpg", "/p/c.jpg"])
    assert again == [first[1], again[1], first[0], again[1]]
    assert len({*first, *again}) == 3
    assert store.photo_paths(again) == {
        first[0]: "/p/b.jpg",
        first[1]: "/p/a.jpg",
        again[1]: "/p/c.jpg",
    }


def test_batch_output_dirs_are_the_distinct_folders_of_the_planned_outputs(store: Store) -> None:
    ids = store.add_photos([f"/in/{i}.jpg" for i in range(6)])
    outputs = ["/out/a/1.jpg", "/out/a/2 (2).jpg", "/out/b.c/3.jpg", "/4.jpg", "", "/out/a/5.jpg"]
    store.create_batch(
        NewBatch(
            batch_id="a",
            name="",
            session_id=None,
            priority=0,
            config={"preset": "WhiteLayer_v4"},
            status=BatchStatus.PENDING,
            photos=[NewBatchPhoto(p, o) for p, o in zip(ids, outputs, strict=True)],
            created_at="2025-11-09T10:00:00Z",
        )
    )
    expected = sorted({str(Path(o).parent) for o in outputs if o})
    assert store.batch_output_dirs("a") == expected == ["/", "/out/a", "/out/b.c"]
