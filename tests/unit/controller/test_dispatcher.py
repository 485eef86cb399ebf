"""Which photos start next: the running batch of highest priority, then the oldest."""

from __future__ import annotations

from dataclasses import replace

from junmai_gui.controller.dispatcher import Dispatcher, dispatch_order
from junmai_gui.domain.status import BatchStatus
from junmai_gui.store.database import Store
from junmai_gui.store.records import NewBatch, NewBatchPhoto


def make_batch(store: Store, batch_id: str, created_at: str, count: int, priority: int = 0):
    ids = store.add_photos([f"/photos/{batch_id}/{i}.jpg" for i in range(count)])
    return store.create_batch(
        NewBatch(
            batch_id=batch_id,
            name="",
            session_id=None,
            priority=priority,
            config={"preset": "Identity"},
            status=BatchStatus.RUNNING,
            photos=[NewBatchPhoto(pid, f"/out/{batch_id}/{pid}.jpg") for pid in ids],
            created_at=created_at,
        )
    )


def test_order_is_priority_then_age(store: Store) -> None:
    old = make_batch(store, "batch_old", "2025-01-01T00:00:00Z", 1)
    new = make_batch(store, "batch_new", "2025-02-01T00:00:00Z", 1)
    urgent = replace(make_batch(store, "batch_urgent", "2025-03-01T00:00:00Z", 1), priority=5)
    assert [b.batch_id for b in dispatch_order([new, old, urgent])] == [
        "batch_urgent", "batch_old", "batch_new",
    ]  # fmt: skip


def test_take_fills_free_slots_in_order_and_reports_exhaustion(store: Store) -> None:
    first = make_batch(store, "batch_a", "2025-01-01T00:00:00Z", 3)
    second = make_batch(store, "batch_b", "2025-01-02T00:00:00Z", 2)
    dispatcher = Dispatcher(store, prefetch=2)
    tasks = dispatcher.take([second, first], 4)
    # batch_a is older: its three photos first, though the queue holds two at a time
    assert [t.batch_id for t in tasks] == ["batch_a", "batch_a", "batch_a", "batch_b"]
    assert len({t.photo_id for t in tasks}) == 4
    for task in tasks:
        store.mark_photo_running(task.batch_id, task.photo_id)
    assert dispatcher.exhausted("batch_a") and not dispatcher.exhausted("batch_b")
    (last,) = dispatcher.take([first, second], 5)
    assert last.batch_id == "batch_b"
    assert dispatcher.take([first, second], 5) == []
    assert dispatcher.exhausted("batch_b")
    assert dispatcher.take([first], 0) == []


def test_forget_reads_pending_photos_again(store: Store) -> None:
    batch = make_batch(store, "batch_a", "2025-01-01T00:00:00Z", 2)
    dispatcher = Dispatcher(store)
    (task, _second) = dispatcher.take([batch], 2)
    store.mark_photo_running("batch_a", task.photo_id)
    store.return_photo_to_pending("batch_a", task.photo_id)  # e.g. cancelled
    assert dispatcher.exhausted("batch_a")
    dispatcher.forget("batch_a")
    assert not dispatcher.exhausted("batch_a")
    assert [t.photo_id for t in dispatcher.take([batch], 2)] == [task.photo_id, _second.photo_id]
