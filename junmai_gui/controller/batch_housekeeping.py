"""The batch controller's chores over several batches at once: merging, removing, cleaning up
old batches and launch-time recovery. None of them starts a photo; they change the store as
a whole and return which batches came, changed or went, for the controller to announce."""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from junmai_gui.controller.batch_book import BatchBook
from junmai_gui.controller.maintenance import Maintenance
from junmai_gui.controller.runner import PhotoRunner
from junmai_gui.domain.errors import IllegalTransitionError, InvalidBatchError
from junmai_gui.paths import log_fields
from junmai_gui.store.database import Store

log = logging.getLogger(__name__)


@dataclass
class Changed:
    """Which batches a chore added, changed, removed or finished (cancelled by a merge)."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)


class BatchHousekeeping:
    """Owned by `BatchController`, which announces what each chore `Changed`."""

    def __init__(self, store: Store, book: BatchBook, runner: PhotoRunner) -> None:
        self._store = store
        self._book = book
        self._runner = runner
        self._maintenance = Maintenance(store)

    def merge_batches(self, batch_ids: Sequence[str]) -> tuple[str, Changed]:
        """Combine pending or paused batches of the same config into a new pending batch.

        The new batch takes their pending photos, each keeping the output path fixed when
        its batch was created; the originals are cancelled with the error "merged into
        <new id>", in the same store transaction (which also refuses batches that are not
        pending or paused, or whose photos are still being developed). The config must
        match apart from `output_dir`.
        """
        ids = list(dict.fromkeys(batch_ids))
        if len(ids) < 2:
            raise InvalidBatchError("Choose at least two batches to merge")
        originals = [self._book.refresh(b) for b in ids]
        summary = self._store.merge_batches(ids, self._maintenance.plan_merge(originals))
        new_id = summary.batch_id
        self._book.put(summary)
        for original in ids:
            self._book.refresh(original)
            self._runner.forget(original)
        log.info(
            log_fields(
                "Merged batches",
                batch_id=new_id,
                merged=",".join(ids),
                photo_count=summary.total_photos,
            )
        )
        return new_id, Changed(added=[new_id], changed=ids, cancelled=ids)

    def remove_batches(self, batch_ids: Sequence[str]) -> Changed:
        """Delete finished batches from the store (never a file); all or nothing."""
        return self._forget_batches(self._removable(batch_ids))

    def hide_batches(self, batch_ids: Sequence[str]) -> Changed:
        """Take finished batches out of the list, keeping them in the store until
        `delete_hidden` (or `unhide_batches` brings them back); all or nothing."""
        ids = self._removable(batch_ids)
        for batch_id in ids:
            self._book.hide(batch_id)
            self._runner.forget(batch_id)
        return Changed(removed=ids)

    def unhide_batches(self, batch_ids: Sequence[str]) -> Changed:
        back = [b for b in batch_ids if self._book.unhide(b)]
        return Changed(added=back)

    def delete_hidden(self, batch_ids: Sequence[str] | None = None) -> None:
        """Delete hidden batches (all when None) from the store for good."""
        hidden = self._book.hidden()
        ids = hidden if batch_ids is None else [b for b in batch_ids if b in hidden]
        if ids:
            self._store.delete_batches(ids)
        for batch_id in ids:
            self._book.drop(batch_id)

    def _removable(self, batch_ids: Sequence[str]) -> list[str]:
        """The batches, once each; IllegalTransitionError when one is not finished."""
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
        return ids

    def cleanup_completed_batches(self, days_old: float = 7) -> tuple[dict[str, Any], Changed]:
        """Remove finished batches older than `days_old` days from the store (never a file)."""
        ids = self._maintenance.cleanup_candidates(days_old)
        ids = [b for b in ids if not self._runner.busy(b)]
        changed = self._forget_batches(ids)
        cleaned = len(changed.removed)
        log.info(log_fields("Cleaned up old batches", cleaned_count=cleaned, days_old=days_old))
        answer = {
            "message": "Batch cleanup completed",
            "cleaned_count": cleaned,
            "days_old": days_old,
        }
        return answer, changed

    def recover_interrupted_batches(
        self, creating: Collection[str] = ()
    ) -> tuple[dict[str, Any], Changed]:
        """Launch-time recovery: batches stored running (not by this controller) become paused
        with reason `interrupted`, their running photos go back to pending, batches whose
        creation never finished (other than `creating`, under way here) are dropped, and our
        orphaned temporary files in their output folders are removed.

        It reads the batches from the store, so a batch written there by something else
        (an import) is recovered too, and announced as added."""
        self._store.discard_unfinished_batches(keep=creating)
        stored = self._store.list_batches()
        unseen = self._book.add_unseen(stored)
        report = self._maintenance.recover(
            stored, active=self._book.active, photos_in_flight=bool(self._runner.busy())
        )
        changed = Changed(added=unseen)
        for batch_id in report.touched:
            self._runner.forget(batch_id)
            if batch_id in self._book:
                self._book.refresh(batch_id)
                changed.changed.append(batch_id)
        return report.as_dict(), changed

    def _forget_batches(self, ids: list[str]) -> Changed:
        if ids:
            self._store.delete_batches(ids)
        for batch_id in ids:
            self._book.drop(batch_id)
            self._runner.forget(batch_id)
        return Changed(removed=list(ids))
