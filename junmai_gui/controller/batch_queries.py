"""The reading side of the batch controller: summaries, the reference's status dicts, photo
pages, speed and metrics. Nothing here changes a batch, so the views and the API may call it
at any moment (from the main thread)."""

from __future__ import annotations

from typing import Any

from junmai_gui.controller.batch_book import BatchBook
from junmai_gui.controller.runner import PhotoRunner
from junmai_gui.controller.settings import ControllerSettings
from junmai_gui.domain.batch import BatchSummary
from junmai_gui.domain.status import PhotoState
from junmai_gui.store.database import Store
from junmai_gui.store.records import PhotoRecord


class BatchQueries:
    """Mixed into `BatchController`, which owns these attributes."""

    _store: Store
    _settings: ControllerSettings
    _book: BatchBook
    _runner: PhotoRunner
    _active: set[str]

    def batch(self, batch_id: str) -> BatchSummary:
        return self._book.get(batch_id)

    def batches(self) -> list[BatchSummary]:
        """Every batch, oldest first."""
        return self._book.all()

    def get_batch_status(self, batch_id: str) -> dict[str, Any]:
        """The reference's status body, plus photos_per_minute and eta_seconds."""
        body = self._book.refresh(batch_id).status_dict()
        body["photos_per_minute"] = self.throughput(batch_id)
        body["eta_seconds"] = self.eta_seconds(batch_id)
        return body

    def get_all_batches(self) -> list[dict[str, Any]]:
        """The reference's list entries (oldest first), plus photos_per_minute and eta_seconds."""
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

    def throughput(self, batch_id: str | None = None) -> float:
        """Photos per minute, a moving average over the last minute (None: all batches)."""
        return self._book.per_minute(batch_id, working=bool(self._runner.busy() or self._active))

    def eta_seconds(self, batch_id: str | None = None) -> float | None:
        """Seconds until the batch (None: every running batch) is done; None when unknown."""
        return self._book.eta_seconds(batch_id, self._active)

    def metrics(self) -> dict[str, Any]:
        """The store's metrics from the event log, plus the live worker figures."""
        data = self._store.metrics()
        data["workers"] = self._settings.workers
        data["workers_busy"] = self._runner.busy()
        data["photos_per_minute"] = self.throughput()
        return data
