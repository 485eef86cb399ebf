"""Run by test_store_crash: records photo results and status changes in a loop, forever.

Prints one line right after each commit: `R <batch_id> <photo_id> done|failed` or
`S <batch_id> <status>`, so the parent knows what was committed before it kills us. Now and
then it pauses its batch and merges it with a new pending one, and goes on with the merge.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from junmai_gui.domain.status import BatchStatus, PauseReason
from junmai_gui.store import NewBatch, NewBatchPhoto, Store

PHOTOS_PER_BATCH = 40


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _new_batch(store: Store, serial: int, *, start: bool = True) -> str:
    batch_id = f"batch_{serial:012x}"
    ids = store.add_photos([f"/photos/{batch_id}/{i}.jpg" for i in range(PHOTOS_PER_BATCH)])
    store.create_batch(
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
    if start:
        store.set_status(batch_id, BatchStatus.RUNNING)
        _say(f"S {batch_id} running")
    return batch_id


def _merge(store: Store, batch_id: str) -> str:
    """Pause `batch_id`, merge it with a new pending batch, run the merged one."""
    store.set_status(batch_id, BatchStatus.PAUSED, pause_reason=PauseReason.USER)
    _say(f"S {batch_id} paused")
    other = _new_batch(store, len(store.list_batches()), start=False)
    merged = f"batch_{len(store.list_batches()):012x}"
    into = NewBatch(
        batch_id=merged,
        name=merged,
        session_id=None,
        priority=0,
        config={"preset": "p"},
        status=BatchStatus.PENDING,
        photos=[],
        created_at="2025-11-09T10:00:00Z",
    )
    store.merge_batches([batch_id, other], into)
    _say(f"S {batch_id} cancelled")
    store.set_status(merged, BatchStatus.RUNNING)
    _say(f"S {merged} running")
    return merged


def main() -> None:
    store = Store(Path(sys.argv[1]))
    rng = random.Random(int(sys.argv[2]))
    store.recover_running_photos()
    batches = store.list_batches()
    active = [b for b in batches if b.status in (BatchStatus.RUNNING, BatchStatus.PAUSED)]
    if active:
        batch_id = active[0].batch_id
        if active[0].status is BatchStatus.PAUSED:
            store.set_status(batch_id, BatchStatus.RUNNING)
            _say(f"S {batch_id} running")
    else:
        batch_id = _new_batch(store, len(batches))
    while True:
        tasks = store.next_pending_photos(batch_id, 1)
        if not tasks:
            store.set_status(batch_id, BatchStatus.COMPLETED)
            _say(f"S {batch_id} completed")
            batch_id = _new_batch(store, len(store.list_batches()))
            continue
        photo_id = tasks[0].photo_id
        store.mark_photo_running(batch_id, photo_id)
        ok = rng.random() < 0.8
        store.record_photo_result(batch_id, photo_id, ok=ok, error=None if ok else "bad file")
        _say(f"R {batch_id} {photo_id} {'done' if ok else 'failed'}")
        if rng.random() < 0.05:
            batch_id = _merge(store, batch_id)
        elif rng.random() < 0.1:
            store.set_status(batch_id, BatchStatus.PAUSED, pause_reason=PauseReason.USER)
            _say(f"S {batch_id} paused")
            store.set_status(batch_id, BatchStatus.RUNNING)
            _say(f"S {batch_id} running")


if __name__ == "__main__":
    main()
