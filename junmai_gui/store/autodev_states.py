"""The store's side of the AutoDev contract's JSON state format: export any batch as a `BatchState`,
import a folder of `batch_states/*.json` files (mixed into `Store`)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from junmai_gui.domain.batch import BatchState
from junmai_gui.domain.status import BatchStatus, PhotoState
from junmai_gui.store import autodev_json
from junmai_gui.store.connection import StoreConnection
from junmai_gui.store.records import ImportReport, NewBatch, NewBatchPhoto

log = logging.getLogger(__name__)

# The path stored for a photo imported by id alone (the AutoDev contract's format has no paths).
PLACEHOLDER_PREFIX = "photo:"


class AutoDevStates(StoreConnection):
    """Export and import of batches in the AutoDev contract's format."""

    def export_state(self, batch_id: str) -> BatchState:
        """A batch in the AutoDev contract's `BatchState` shape, photo lists in batch order."""
        with self._read() as conn:
            row = self._require(conn, batch_id)
            extra = conn.execute(
                "SELECT config, task_ids FROM batches WHERE batch_id = ?", (batch_id,)
            ).fetchone()
            photos = conn.execute(
                "SELECT photo_id, state FROM batch_photos WHERE batch_id = ? ORDER BY position",
                (batch_id,),
            ).fetchall()
        ids = [int(p[0]) for p in photos]
        done = [int(p[0]) for p in photos if p[1] == PhotoState.DONE.value]
        failed = [int(p[0]) for p in photos if p[1] == PhotoState.FAILED.value]
        return BatchState(
            batch_id=row["batch_id"],
            session_id=row["session_id"],
            photo_ids=ids,
            processed_photo_ids=done,
            failed_photo_ids=failed,
            status=row["status"],
            created_at=row["created_at"],
            started_at=row["started_at"],
            paused_at=row["paused_at"],
            completed_at=row["completed_at"],
            total_photos=len(ids),
            processed_count=len(done),
            failed_count=len(failed),
            config=json.loads(extra["config"]) if extra["config"] is not None else None,
            task_ids=list(json.loads(extra["task_ids"])),
            name=row["name"] or None,
            priority=row["priority"],
            pause_reason=row["pause_reason"],
        )

    def import_states(self, folder: Path) -> ImportReport:
        """Import every `batch_states/*.json` (or `folder/*.json`) in the AutoDev contract's format.

        A damaged file is renamed `*.corrupt` and reported; a batch already stored is
        skipped. Unknown photo ids get placeholder photo rows (`photo:<id>`).
        """
        report = ImportReport()
        for path, state, reason in autodev_json.read_state_files(Path(folder)):
            if state is None:
                report.corrupt.append((path.name, reason or "unreadable"))
                continue
            if (
                self._conn()
                .execute("SELECT 1 FROM batches WHERE batch_id = ?", (state.batch_id,))
                .fetchone()
            ):
                report.skipped.append(state.batch_id)
                continue
            self._import_state(state)
            report.imported.append(state.batch_id)
            log.info("Imported batch state | batch_id=%s | file=%s", state.batch_id, path.name)
        return report

    def _import_state(self, state: BatchState) -> None:
        done, failed = set(state.processed_photo_ids), set(state.failed_photo_ids)
        photos = [
            NewBatchPhoto(
                photo_id=pid,
                output_path="",
                state=PhotoState.DONE
                if pid in done
                else PhotoState.FAILED
                if pid in failed
                else PhotoState.PENDING,
            )
            for pid in state.photo_ids
        ]
        new = NewBatch(
            batch_id=state.batch_id,
            name=state.name or "",
            session_id=state.session_id,
            priority=state.priority,
            config=state.config or {},
            status=BatchStatus(state.status),
            photos=photos,
            created_at=state.created_at,
            task_ids=list(state.task_ids),
        )
        with self._write() as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO photos (id, path) VALUES (?, ?)",
                ((pid, f"{PLACEHOLDER_PREFIX}{pid}") for pid in state.photo_ids),
            )
            self._insert_batch(
                conn,
                new,
                started_at=state.started_at,
                paused_at=state.paused_at,
                completed_at=state.completed_at,
                pause_reason=state.pause_reason,
                config_json=json.dumps(state.config),
            )
            self._log(conn, state.batch_id, "create", {"imported": True})
