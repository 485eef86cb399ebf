"""The batch controller's chores over several batches at once: merging, removing, cleaning up
old batches and launch-time recovery. None of them starts a photo; they change the store as
a whole and tell the listeners which batches came, changed or went."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from junmai_gui.controller.batch_book import BatchBook
from junmai_gui.controller.coalescer import ChangeCoalescer
from junmai_gui.controller.maintenance import Maintenance
from junmai_gui.controller.runner import PhotoRunner
from junmai_gui.domain.errors import IllegalTransitionError, InvalidBatchError
from junmai_gui.domain.status import BatchStatus
from junmai_gui.paths import log_fields
from junmai_gui.store.database import Store

log = logging.getLogger(__name__)


class BatchHousekeeping:
    """Mixed into `BatchController`, which owns these attributes and signals."""

    _store: Store
    _book: BatchBook
    _runner: PhotoRunner
    _maintenance: Maintenance
    _changes: ChangeCoalescer
    _activity: ChangeCoalescer
    _active: set[str]
    batch_added: Any
    batch_removed: Any
    batch_finished: Any

    def merge_batches(self, batch_ids: Sequence[str]) -> str:
        """Combine pending or paused batches of the same config into a new pending batch.

        The new batch takes their pending photos, each keeping the output path fixed when
        its batch was created; the originals are cancelled with the error "merged into
        <new id>", in the same store transaction. The config must match apart from
        `output_dir`. A batch whose photos are still being developed (just paused) is
        refused until they have finished, so no photo is left behind in a cancelled batch.
        """
        ids = list(dict.fromkeys(batch_ids))
        if len(ids) < 2:
            raise InvalidBatchError("Choose at least two batches to merge")
        originals = [self._book.refresh(b) for b in ids]
        for summary in originals:
            if summary.status not in (BatchStatus.PENDING, BatchStatus.PAUSED):
                raise IllegalTransitionError(
                    summary.batch_id,
                    summary.status.value,
                    "merged",
                    detail="only pending or paused batches can be merged",
                )
        summary = self._store.merge_batches(ids, self._maintenance.plan_merge(originals))
        new_id = summary.batch_id
        self._book.put(summary)
        for original in ids:
            self._book.refresh(original)
            self._runner.forget(original)
            self._changes.flush_now(original)
        self._activity.touch("")
        log.info(
            log_fields(
                "Merged batches",
                batch_id=new_id,
                merged=",".join(ids),
                photo_count=summary.total_photos,
            )
        )
        self.batch_added.emit(new_id)
        for original in ids:
            self.batch_finished.emit(original, BatchStatus.CANCELLED.value)
        return new_id

    def remove_batches(self, batch_ids: Sequence[str]) -> int:
        """Delete finished batches from the store (never a file); all or nothing."""
        ids = list(dict.fromkeys(batch_ids))
        for batch_id in ids:
            summary = self._book.get(batch_id)
            if not summary.status.is_finished or self._runner.busy(batch_id):
                raise IllegalTransitionError(
                    batch_id,
                    summary.status.value,
                    "removed",
                    detail="only a finished batch can be removed",
                )
        return self._forget_batches(ids)

    def cleanup_completed_batches(self, days_old: float = 7) -> dict[str, Any]:
        """Remove finished batches older than `days_old` days from the store (never a file)."""
        ids = self._maintenance.cleanup_candidates(days_old)
        ids = [b for b in ids if not self._runner.busy(b)]
        cleaned = self._forget_batches(ids)
        log.info(log_fields("Cleaned up old batches", cleaned_count=cleaned, days_old=days_old))
        return {
            "message": "Batch cleanup completed",
            "cleaned_count": cleaned,
            "days_old": days_old,
        }

    def recover_interrupted_batches(self) -> dict[str, Any]:
        """Launch-time recovery: batches stored running (not by this controller) become paused
        with reason `interrupted`, their running photos go back to pending (or fail after two
        crashes), and our orphaned temporary files in their output folders are removed.

        It reads the batches from the store, so a batch written there by something else
        (an import) is recovered too, and announced with `batch_added`."""
        stored = self._store.list_batches()
        unseen = self._book.add_unseen(stored)
        report = self._maintenance.recover(
            stored, active=self._active, photos_in_flight=bool(self._runner.busy())
        )
        for batch_id in unseen:
            self.batch_added.emit(batch_id)
        for batch_id in report.touched:
            self._runner.forget(batch_id)
            if batch_id in self._book:
                self._book.refresh(batch_id)
                self._changes.flush_now(batch_id)
        return report.as_dict()

    def _forget_batches(self, ids: list[str]) -> int:
        removed = self._store.delete_batches(ids) if ids else 0
        for batch_id in ids:
            self._book.drop(batch_id)
            self._runner.forget(batch_id)
            self._changes.discard(batch_id)
            self.batch_removed.emit(batch_id)
        return removed
