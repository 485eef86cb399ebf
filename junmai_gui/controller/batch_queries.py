"""The reading side of the batch controller: summaries, the AutoDev contract's status bodies,
photo pages, speed and metrics. Nothing here changes a batch, so the views and the API may
call it at any moment (from the main thread)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from junmai_gui.controller.batch_book import BatchBook
from junmai_gui.controller.progress import Activity, BatchProgress, Snapshot
from junmai_gui.controller.runner import PhotoRunner
from junmai_gui.domain.batch import BatchSummary
from junmai_gui.domain.photo import PhotoRecord
from junmai_gui.domain.status import PhotoState
from junmai_gui.store.database import Store


class BatchQueries:
    """Owned by `BatchController`, which forwards its reading methods here."""

    def __init__(
        self, store: Store, book: BatchBook, runner: PhotoRunner, snapshot: Callable[[], Snapshot]
    ) -> None:
        self._store = store
        self._book = book
        self._runner = runner
        self._snapshot = snapshot

    def batch(self, batch_id: str) -> BatchSummary:
        return self._book.get(batch_id)

    def batches(self) -> list[BatchSummary]:
        """Every batch, oldest first."""
        return self._book.all()

    def get_batch_status(self, batch_id: str) -> dict[str, Any]:
        """The AutoDev status body, plus photos_per_minute and eta_seconds."""
        body = self._book.refresh(batch_id).status_dict()
        body["photos_per_minute"] = self.throughput(batch_id)
        body["eta_seconds"] = self.eta_seconds(batch_id)
        return body

    def get_all_batches(self) -> list[dict[str, Any]]:
        """The AutoDev list entries (oldest first), plus photos_per_minute and eta_seconds."""
        out = []
        for summary in self.batches():
            entry = summary.list_entry()
            entry["photos_per_minute"] = self.throughput(summary.batch_id)
            entry["eta_seconds"] = self.eta_seconds(summary.batch_id)
            out.append(entry)
        return out

    def batch_photos(
        self, batch_id: str, state: PhotoState | None = None, offset: int = 0, limit: int = 100
    ) -> list[PhotoRecord]:
        self.batch(batch_id)
        return self._store.batch_photos(batch_id, state=state, offset=offset, limit=limit)

    def progress(self, batch_id: str) -> BatchProgress:
        """Done, failed, total, speed, time left and place in line (see `progress`)."""
        found = self._snapshot().batches.get(batch_id)
        return found if found is not None else BatchProgress.of(self.batch(batch_id))

    def activity(self) -> Activity:
        return self._snapshot().activity

    def throughput(self, batch_id: str | None = None) -> float:
        """Photos per minute over the last minute (None: all batches, the sum of theirs)."""
        if batch_id is None:
            return self.activity().rate
        return self.progress(batch_id).rate

    def eta_seconds(self, batch_id: str | None = None) -> float | None:
        """Seconds until the batch (None: every running batch) is done; None when unknown."""
        if batch_id is None:
            return self.activity().eta_seconds
        return self.progress(batch_id).eta_seconds

    def metrics(self) -> dict[str, Any]:
        """The store's metrics from the event log, plus the live worker figures."""
        data = self._store.metrics()
        data["workers"] = self._runner.executor.workers
        data["workers_busy"] = self._runner.developing()
        data["photos_per_minute"] = self.throughput()
        return data
