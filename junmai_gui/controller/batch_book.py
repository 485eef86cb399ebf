"""The controller's memory of the batches: one summary each, its parsed config, its speed.

A `BatchSummary` per batch (counters, never photo lists: a few hundred bytes a batch however
many photos it holds). Photo results are committed on the executor's threads, so a batch
touched by a result is only marked stale here and re-read from the store when someone asks.
`active` holds the batches this controller runs (stored running by it). Each batch's config
is parsed once (`config`), when it is created or first needed after a launch.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from junmai_gui.controller.throughput import ThroughputMeter
from junmai_gui.domain.batch import BatchSummary
from junmai_gui.domain.config import BatchConfig
from junmai_gui.domain.errors import BatchNotFoundError, InvalidBatchError
from junmai_gui.domain.status import BatchStatus
from junmai_gui.store.database import Store


class BatchBook:
    """Summaries by batch id (oldest first), stale marks, and a throughput meter per batch."""

    def __init__(self, store: Store, clock: Callable[[], float] = time.monotonic) -> None:
        self._store = store
        self._summaries: dict[str, BatchSummary] = {b.batch_id: b for b in store.list_batches()}
        self._stale: set[str] = set()
        self._clock = clock
        self._meters: dict[str, ThroughputMeter] = {}
        self._configs: dict[str, BatchConfig] = {}
        self._hidden: dict[str, BatchSummary] = {}  # removed, but still in the store (undo)
        self.active: set[str] = set()

    def __contains__(self, batch_id: object) -> bool:
        return batch_id in self._summaries

    def get(self, batch_id: str) -> BatchSummary:
        """The batch, re-read if a photo result touched it; BatchNotFoundError if unknown."""
        if batch_id in self._stale:
            return self.refresh(batch_id)
        summary = self._summaries.get(batch_id)
        if summary is None:
            raise BatchNotFoundError(batch_id)
        return summary

    def cached(self, batch_id: str) -> BatchSummary:
        """The summary as last read (its status is always current: only we change it)."""
        return self._summaries[batch_id]

    def all(self) -> list[BatchSummary]:
        for batch_id in list(self._stale):
            self.refresh(batch_id)
        return list(self._summaries.values())

    def refresh(self, batch_id: str) -> BatchSummary:
        if batch_id in self._hidden:
            raise BatchNotFoundError(batch_id)
        summary = self._store.get_batch(batch_id)
        self._stale.discard(batch_id)
        if summary is None:
            self._summaries.pop(batch_id, None)
            raise BatchNotFoundError(batch_id)
        self._summaries[batch_id] = summary
        return summary

    def put(self, summary: BatchSummary, config: BatchConfig | None = None) -> BatchSummary:
        """A summary fresh from the store (after a status change), and its parsed config
        when the caller has it (a batch just created)."""
        self._summaries[summary.batch_id] = summary
        self._stale.discard(summary.batch_id)
        if config is not None:
            self._configs[summary.batch_id] = config
        return summary

    def config(self, batch_id: str) -> BatchConfig:
        """The batch's config, parsed once; InvalidBatchError when the stored one is unusable
        (a batch imported from another program's file, say)."""
        found = self._configs.get(batch_id)
        if found is None:
            stored = self.get(batch_id).config
            try:
                found = BatchConfig.from_dict(dict(stored))
            except InvalidBatchError as exc:
                raise InvalidBatchError(
                    f"The settings stored with this batch cannot be used: {exc.message}", batch_id
                ) from exc
            self._configs[batch_id] = found
        return found

    def add_unseen(self, summaries: Iterable[BatchSummary]) -> list[str]:
        """Take in batches written to the store by something else; returns their ids."""
        unseen = []
        for summary in summaries:
            if summary.batch_id not in self._summaries and summary.batch_id not in self._hidden:
                self._summaries[summary.batch_id] = summary
                unseen.append(summary.batch_id)
        return unseen

    def mark_stale(self, batch_ids: Iterable[str]) -> None:
        self._stale.update(batch_ids)

    def hide(self, batch_id: str) -> None:
        """Out of the list, still in the store: `unhide` brings it back as it was."""
        summary = self._summaries.pop(batch_id, None)
        self._stale.discard(batch_id)
        if summary is not None:
            self._hidden[batch_id] = summary

    def unhide(self, batch_id: str) -> bool:
        summary = self._hidden.pop(batch_id, None)
        if summary is None:
            return False
        self._summaries[batch_id] = summary
        self._stale.add(batch_id)  # re-read: cleanup may have deleted it meanwhile
        return True

    def hidden(self) -> list[str]:
        return list(self._hidden)

    def drop(self, batch_id: str) -> None:
        self._hidden.pop(batch_id, None)
        self._summaries.pop(batch_id, None)
        self._stale.discard(batch_id)
        self._meters.pop(batch_id, None)
        self._configs.pop(batch_id, None)
        self.active.discard(batch_id)

    # -- speed ------------------------------------------------------------------------------------

    def start_meter(self, batch_id: str) -> None:
        """Measure this batch's speed from now on (it starts, resumes or retries)."""
        self._meters[batch_id] = ThroughputMeter(self._clock)

    def stop_meter(self, batch_id: str) -> None:
        self._meters.pop(batch_id, None)

    def note_started(self, batch_ids: Iterable[str]) -> None:
        """These batches started photos: one that developed nothing for a while (it waited
        for a free worker) is measured from now, not from when it was started."""
        for batch_id in batch_ids:
            meter = self._meters.get(batch_id)
            if meter is not None:
                meter.restart_if_idle()

    def record_photo(self, batch_id: str) -> None:
        meter = self._meters.get(batch_id)
        if meter is not None:
            meter.record()

    def per_minute(self, batch_id: str) -> float:
        """Photos per minute of one running batch (0 for any other)."""
        meter = self._meters.get(batch_id)
        if meter is None or self.get(batch_id).status is not BatchStatus.RUNNING:
            return 0.0  # a paused, cancelled or finished batch has no speed
        return meter.per_minute()
