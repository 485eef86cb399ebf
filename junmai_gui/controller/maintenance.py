"""Store-wide chores of the controller: launch-time recovery, cleanup, planning a merge."""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from junmai_gui.develop.files import remove_orphaned_temp_files
from junmai_gui.domain.batch import BatchSummary
from junmai_gui.domain.clock import new_batch_id, to_iso, utc_now, utc_now_iso
from junmai_gui.domain.errors import InvalidBatchError
from junmai_gui.domain.merge import merge_problem
from junmai_gui.domain.status import BatchStatus, PauseReason
from junmai_gui.paths import log_fields
from junmai_gui.store.database import Store
from junmai_gui.store.records import NewBatch

log = logging.getLogger(__name__)


@dataclass
class RecoveryReport:
    recovered: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    photos_returned: int = 0
    temp_files_removed: int = 0
    touched: set[str] = field(default_factory=set)

    def as_dict(self) -> dict[str, Any]:
        """The AutoDev recovery body (failed_count: batches whose recovery failed)."""
        return {
            "message": "Batch recovery completed",
            "recovered_count": len(self.recovered),
            "failed_count": len(self.failed),
            "timestamp": utc_now_iso(),
        }


class Maintenance:
    def __init__(self, store: Store) -> None:
        self._store = store

    def recover(
        self,
        batches: Iterable[BatchSummary],
        *,
        active: Collection[str],
        photos_in_flight: bool,
    ) -> RecoveryReport:
        """Pause (reason interrupted) every batch of `batches` stored running that `active`
        does not hold, return running photos to pending (nobody is blamed: see
        `Store.recover_running_photos`), and remove our orphaned temporary files from the
        output folders of the batches touched. While this process has photos in flight,
        photo rows and folders are left alone."""
        report = RecoveryReport()
        for summary in list(batches):
            if summary.status is not BatchStatus.RUNNING or summary.batch_id in active:
                continue
            batch_id = summary.batch_id
            report.touched.add(batch_id)
            try:
                self._store.set_status(
                    batch_id, BatchStatus.PAUSED, pause_reason=PauseReason.INTERRUPTED
                )
                self._store.log_event(batch_id, "recover", {"pause_reason": "interrupted"})
                report.recovered.append(batch_id)
                log.info(
                    log_fields(
                        "Recovered interrupted batch",
                        batch_id=batch_id,
                        processed=summary.processed_count,
                        remaining_photos=summary.pending_count + summary.running_count,
                    )
                )
            except Exception as exc:
                report.failed.append(batch_id)
                log.exception("Could not recover batch %s", batch_id)
                try:
                    self._store.log_event(batch_id, "recover_failed", {"error": str(exc)})
                except Exception:
                    log.exception("Could not log the failed recovery of %s", batch_id)
        if not photos_in_flight:
            counts = self._store.recover_running_photos()
            report.photos_returned = counts.returned
            report.touched.update(counts.batches)
            busy: set[str] = set()
            for batch_id in active:
                busy.update(self._store.batch_output_dirs(batch_id))
            for batch_id in sorted(report.touched):
                for folder in self._store.batch_output_dirs(batch_id):
                    if folder not in busy and Path(folder).is_dir():
                        report.temp_files_removed += self._remove_temp_files(Path(folder))
                        busy.add(folder)  # each folder once
        log.info(
            log_fields(
                "Batch recovery completed",
                recovered_count=len(report.recovered),
                failed_count=len(report.failed),
                photos_returned=report.photos_returned,
                temp_files_removed=report.temp_files_removed,
            )
        )
        return report

    @staticmethod
    def _remove_temp_files(folder: Path) -> int:
        try:
            return remove_orphaned_temp_files(folder)
        except OSError as exc:
            log.warning("Could not clean temporary files in %s: %s", folder, exc)
            return 0

    def cleanup_candidates(self, days_old: float) -> list[str]:
        if isinstance(days_old, bool) or not isinstance(days_old, int | float) or days_old < 0:
            raise InvalidBatchError("days_old must be a number of days, 0 or more")
        cutoff = to_iso(utc_now() - timedelta(days=float(days_old)))
        return self._store.finished_batches_before(cutoff)

    def plan_merge(self, originals: list[BatchSummary]) -> NewBatch:
        """The new pending batch for `originals` (settings checked, name and priority taken
        from them); the store fills in their pending photos when it merges."""
        problem = merge_problem(originals)
        if problem is not None:
            raise InvalidBatchError(problem, originals[-1].batch_id)
        first = originals[0]
        names = [s.name for s in originals if s.name]
        return NewBatch(
            batch_id=new_batch_id(),
            name=" + ".join(names) if names else "",
            session_id=first.session_id,
            priority=max(s.priority for s in originals),
            config=dict(first.config),
            status=BatchStatus.PENDING,
            photos=[],
            created_at=utc_now_iso(),
        )
