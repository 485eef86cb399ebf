"""Chooses which pending photos start next, over all running batches."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from junmai_gui.domain.batch import BatchSummary
from junmai_gui.store.database import Store
from junmai_gui.store.records import PhotoTask

PREFETCH = 32  # pending photos read per query, so a photo costs no query of its own


def dispatch_order(batches: Iterable[BatchSummary]) -> list[BatchSummary]:
    """Highest priority first, then the oldest (created first)."""
    return sorted(batches, key=lambda b: (-b.priority, b.created_at, b.batch_id))


class Dispatcher:
    """Hands out the next pending photos of the running batches, in dispatch order.

    It reads pending photos from the store a few dozen at a time and keeps them in a small
    queue per batch. Only the controller changes photo states, and it calls `forget(batch)`
    whenever a batch's status or photos change (pause, cancel, retry, merge…), so a queued
    photo is always still pending when it is handed out.
    """

    def __init__(self, store: Store, prefetch: int = PREFETCH) -> None:
        self._store = store
        self._prefetch = prefetch
        self._queues: dict[str, deque[PhotoTask]] = {}
        self._exhausted: set[str] = set()

    def forget(self, batch_id: str) -> None:
        self._queues.pop(batch_id, None)
        self._exhausted.discard(batch_id)

    def exhausted(self, batch_id: str) -> bool:
        """True when the batch has no pending photo left to hand out."""
        return batch_id in self._exhausted and not self._queues.get(batch_id)

    def take(self, running: Iterable[BatchSummary], free: int) -> list[PhotoTask]:
        """Up to `free` photos to start now, from the running batches in dispatch order.

        The photos handed out are still pending in the store until the caller marks them
        running, so a queue read again within this call leaves them out."""
        out: list[PhotoTask] = []
        if free <= 0:
            return out
        handed: dict[str, set[int]] = {}
        for batch in dispatch_order(running):
            taken = handed.setdefault(batch.batch_id, set())
            while len(out) < free:
                task = self._next(batch.batch_id, taken)
                if task is None:
                    break
                taken.add(task.photo_id)
                out.append(task)
            if len(out) >= free:
                break
        return out

    def _next(self, batch_id: str, handed: set[int]) -> PhotoTask | None:
        queue = self._queues.get(batch_id)
        if not queue:
            if batch_id in self._exhausted:
                return None
            limit = self._prefetch + len(handed)
            fetched = self._store.next_pending_photos(batch_id, limit)
            if len(fetched) < limit:
                self._exhausted.add(batch_id)
            fresh = [task for task in fetched if task.photo_id not in handed]
            if not fresh:
                return None
            queue = self._queues[batch_id] = deque(fresh)
        return queue.popleft()
