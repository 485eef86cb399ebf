"""The SQLite store of photos, batches, per-photo progress and the event log.

One file (`batches.sqlite3` in the data dir), one connection per thread, every write in
`BEGIN IMMEDIATE` so two writers never deadlock on a lock upgrade.

Durability: WAL, with `synchronous` chosen per transaction.

- A photo's progress (`mark_photo_running`, `record_photo_result`,
  `return_photo_to_pending`) commits with `synchronous=NORMAL`: the commit is in the WAL
  in the OS's hands before it returns, so a kill -9 loses nothing committed; a power cut
  may roll back the last few of these commits (WAL keeps the file consistent, never
  corrupt), which only means those photos are developed again onto the same output path
  (the output file is fsynced before its result is committed). No fsync per photo keeps
  recording a result far under a millisecond.
- Everything else (creating, status changes, retry, recovery, deletion) commits with
  `synchronous=FULL`: the WAL is fsynced before the commit returns, so a pause, a cancel or
  a new batch survives a power cut, and so does every progress commit before it.

`Store(path, progress_synchronous="FULL")` makes every commit FULL (measured in
benchmarks/persist_latency.py).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from junmai_gui.domain.batch import BatchSummary
from junmai_gui.domain.clock import utc_now_iso
from junmai_gui.domain.errors import IllegalTransitionError, InvalidBatchError
from junmai_gui.domain.status import (
    RETRYABLE,
    BatchStatus,
    PauseReason,
    check_retry,
    check_transition,
)
from junmai_gui.private_files import create_private_file
from junmai_gui.store import metrics as metrics_queries
from junmai_gui.store.autodev_states import AutoDevStates
from junmai_gui.store.batch_photos import BatchPhotoRows
from junmai_gui.store.connection import BATCH_COLUMNS, chunks, summary
from junmai_gui.store.errors import StoreError
from junmai_gui.store.migrations import inspect_existing, migrate
from junmai_gui.store.records import (
    NewBatch,
    NewBatchPhoto,
)
from junmai_gui.store.templates import TemplateRows
from junmai_gui.store.watches import WatchRows

log = logging.getLogger(__name__)

DB_FILE_NAME = "batches.sqlite3"

# The event logged for each status a batch moves to (retry: see `set_status`).
_EVENT_FOR_STATUS = {
    BatchStatus.PAUSED: "pause",
    BatchStatus.COMPLETED: "complete",
    BatchStatus.CANCELLED: "cancel",
    BatchStatus.FAILED: "fail",
}


def _photos_in_flight(count: int) -> str:
    return "1 of its photos is" if count == 1 else f"{count} of its photos are"


class Store(BatchPhotoRows, WatchRows, TemplateRows, AutoDevStates):
    """Batches and their photos in one SQLite file; safe to use from several threads."""

    def __init__(self, path: Path | str, *, progress_synchronous: str = "NORMAL") -> None:
        super().__init__(path, progress_synchronous=progress_synchronous)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        create_private_file(self.path)  # 0600, and so its -wal and -shm
        inspect_existing(self.path)
        try:
            conn = self._conn()
            conn.execute("PRAGMA journal_mode = WAL")
            self.schema_version = migrate(conn, self.path)
        except sqlite3.DatabaseError as exc:
            self.close()
            raise StoreError(
                f"Cannot open the batch database {self.path}: {exc}. It was left untouched.",
                self.path,
            ) from exc

    @classmethod
    def open(cls, data_dir: Path | str) -> Store:
        """The app's store: `data_dir/batches.sqlite3`."""
        return cls(Path(data_dir) / DB_FILE_NAME)

    # -- photos ---------------------------------------------------------------------------

    def add_photos(self, paths: Sequence[str | Path]) -> list[int]:
        """The ids of these photos, adding the ones not stored yet (same order as `paths`).
        One statement for all the inserts and one query per 500 paths for the ids, so
        10,000 photos cost tens of milliseconds, not a statement each."""
        keys = [str(path) for path in paths]
        ids: dict[str, int] = {}
        with self._write() as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO photos (path) VALUES (?)", ((key,) for key in keys)
            )
            for chunk in chunks(list(dict.fromkeys(keys))):
                marks = ",".join("?" * len(chunk))
                for row in conn.execute(
                    f"SELECT id, path FROM photos WHERE path IN ({marks})", tuple(chunk)
                ):
                    ids[str(row[1])] = int(row[0])
        return [ids[key] for key in keys]

    def photo_paths(self, photo_ids: Sequence[int]) -> dict[int, str]:
        """Paths of the known ids among `photo_ids`."""
        out: dict[int, str] = {}
        with self._read() as conn:
            for chunk in chunks(list(photo_ids)):
                marks = ",".join("?" * len(chunk))
                for row in conn.execute(
                    f"SELECT id, path FROM photos WHERE id IN ({marks})", tuple(chunk)
                ):
                    out[int(row[0])] = str(row[1])
        return out

    # -- batches ----------------------------------------------------------------------------

    def create_batch(self, new: NewBatch) -> BatchSummary:
        """Store a new batch and its photos in one transaction and log `create` (and
        `start`, stamping started_at, when it is created running)."""
        running = BatchStatus(new.status) is BatchStatus.RUNNING
        with self._write() as conn:
            self._insert_batch(conn, new, started_at=utc_now_iso() if running else None)
            self._log(conn, new.batch_id, "create", {"total_photos": len(new.photos)})
            if running:
                self._log(conn, new.batch_id, "start", None)
            return summary(self._require(conn, new.batch_id))

    def get_batch(self, batch_id: str) -> BatchSummary | None:
        row = (
            self._conn()
            .execute(
                f"SELECT {BATCH_COLUMNS} FROM batches WHERE batch_id = ? AND creating = 0",
                (batch_id,),
            )
            .fetchone()
        )
        return summary(row) if row is not None else None

    def list_batches(self) -> list[BatchSummary]:
        """Every batch, oldest first."""
        rows = self._conn().execute(
            f"SELECT {BATCH_COLUMNS} FROM batches WHERE creating = 0"
            " ORDER BY julianday(created_at), rowid"
        )
        return [summary(row) for row in rows]

    def set_status(
        self,
        batch_id: str,
        status: BatchStatus,
        *,
        pause_reason: PauseReason | None = None,
        error: str | None = None,
        only_from: frozenset[BatchStatus] | None = None,
    ) -> BatchSummary:
        """Move a batch to `status` if the domain's transitions allow it (and its status is
        one of `only_from`, when given), stamp the times and log the event, all in one
        transaction. This is where the transition rules are checked: callers translate
        the `IllegalTransitionError`, they do not check first.

        completed|failed -> running is a retry: legal when some photos failed or were
        already reset to pending (see `retry_failed`).
        """
        with self._write() as conn:
            return self._change_status(conn, batch_id, status, pause_reason, error, only_from)

    def retry_failed(self, batch_id: str) -> tuple[int, BatchSummary]:
        """A finished batch with failed photos runs again: its failed photos back to pending
        (error and attempts cleared) and the batch running, in one transaction. Returns how
        many photos were reset, and the batch."""
        with self._write() as conn:
            row = self._require(conn, batch_id)
            current = BatchStatus(row["status"])
            check_transition(batch_id, current, BatchStatus.RUNNING, RETRYABLE)
            count = self._reset_failed(conn, batch_id)
            return count, self._change_status(conn, batch_id, BatchStatus.RUNNING, None, None)

    def retry_photo(self, batch_id: str, photo_id: int) -> BatchSummary:
        """One failed photo back to pending (error and attempts cleared), in one transaction;
        a finished batch runs again for it, a running or paused one takes it in its turn.
        A cancelled batch develops nothing again (IllegalTransitionError); a photo that has
        not failed cannot be retried (InvalidBatchError)."""
        with self._write() as conn:
            row = self._require(conn, batch_id)
            current = BatchStatus(row["status"])
            if current is BatchStatus.CANCELLED:
                raise IllegalTransitionError(
                    batch_id, current.value, BatchStatus.RUNNING.value,
                    detail="a cancelled batch develops no photo again",
                )  # fmt: skip
            changed = conn.execute(
                "UPDATE batch_photos SET state = 'pending', error = NULL, finished_at = NULL,"
                " attempts = 0, developed_by = NULL"
                " WHERE batch_id = ? AND photo_id = ? AND state = 'failed'",
                (batch_id, photo_id),
            ).rowcount
            if not changed:
                raise InvalidBatchError("Only a photo that failed can be retried", batch_id)
            conn.execute(
                "UPDATE batches SET failed_count = failed_count - 1 WHERE batch_id = ?",
                (batch_id,),
            )
            if current in RETRYABLE:
                return self._change_status(conn, batch_id, BatchStatus.RUNNING, None, None)
            return summary(self._require(conn, batch_id))

    def _change_status(
        self,
        conn: sqlite3.Connection,
        batch_id: str,
        status: BatchStatus,
        pause_reason: PauseReason | None,
        error: str | None,
        only_from: frozenset[BatchStatus] | None = None,
    ) -> BatchSummary:
        """`set_status` inside the caller's write transaction."""
        status = BatchStatus(status)
        row = self._require(conn, batch_id)
        current = BatchStatus(row["status"])
        check_transition(batch_id, current, status, only_from)
        now = utc_now_iso()
        sets: dict[str, Any] = {"status": status.value}
        if status is BatchStatus.RUNNING:
            if current in (BatchStatus.COMPLETED, BatchStatus.FAILED):
                pending = (
                    row["total_photos"]
                    - row["processed_count"]
                    - row["failed_count"]
                    - row["running_count"]
                )
                check_retry(batch_id, current, row["failed_count"] + pending)
                kind = "retry"
                sets["completed_at"] = None
            else:
                kind = "start" if current is BatchStatus.PENDING else "resume"
            if row["started_at"] is None:
                sets["started_at"] = now
            sets["pause_reason"] = None
            sets["error"] = None
        else:
            kind = _EVENT_FOR_STATUS[status]
            if status is BatchStatus.PAUSED:
                sets["paused_at"] = now
                sets["pause_reason"] = (pause_reason or PauseReason.USER).value
            else:
                sets["completed_at"] = now
                sets["pause_reason"] = None
            if error is not None:
                sets["error"] = error
        assignments = ", ".join(f"{column} = ?" for column in sets)
        conn.execute(
            f"UPDATE batches SET {assignments} WHERE batch_id = ?", (*sets.values(), batch_id)
        )
        detail: dict[str, Any] = {"from": current.value}
        if sets.get("pause_reason"):
            detail["pause_reason"] = sets["pause_reason"]
        if error:
            detail["error"] = error
        self._log(conn, batch_id, kind, detail)
        return summary(self._require(conn, batch_id))

    def merge_batches(self, batch_ids: Sequence[str], into: NewBatch) -> BatchSummary:
        """Create `into` holding the pending photos of `batch_ids` (in that order, first
        occurrence wins, each keeping its output path) and cancel those batches with the
        error "merged into batch <id>": one transaction, so a crash leaves either the
        originals untouched or the merge complete, never both batches holding the photos.

        `into.photos` is ignored: the photos are read inside the transaction. Only pending or
        paused batches with no photo running can be merged; otherwise IllegalTransitionError
        and nothing changes. InvalidBatchError when they have no pending photo left."""
        with self._write() as conn:
            photos: dict[int, NewBatchPhoto] = {}
            for batch_id in batch_ids:
                row = self._require(conn, batch_id)
                status = BatchStatus(row["status"])
                if status not in (BatchStatus.PENDING, BatchStatus.PAUSED):
                    raise IllegalTransitionError(
                        batch_id,
                        status.value,
                        "merged",
                        detail="only pending or paused batches can be merged",
                    )
                if row["running_count"]:
                    raise IllegalTransitionError(
                        batch_id,
                        status.value,
                        "merged",
                        detail=f"{_photos_in_flight(row['running_count'])} still being "
                        "developed; merge it once they have finished",
                    )
                pending = conn.execute(
                    "SELECT photo_id, output_path FROM batch_photos"
                    " WHERE batch_id = ? AND state = 'pending' ORDER BY position",
                    (batch_id,),
                ).fetchall()
                extra = self.extra_outputs(batch_id, [int(r[0]) for r in pending])
                for photo_id, output_path in pending:
                    photos.setdefault(
                        int(photo_id),
                        NewBatchPhoto(
                            int(photo_id),
                            output_path,
                            extra_outputs=extra.get(int(photo_id), ()),
                        ),
                    )
            if not photos:
                raise InvalidBatchError("These batches have no photos left to develop")
            new = replace(into, photos=list(photos.values()), status=BatchStatus.PENDING)
            self._insert_batch(conn, new)
            self._log(conn, new.batch_id, "create", {"total_photos": len(new.photos)})
            self._log(conn, new.batch_id, "merge", {"from": list(batch_ids)})
            for batch_id in batch_ids:
                self._change_status(
                    conn,
                    batch_id,
                    BatchStatus.CANCELLED,
                    None,
                    f"merged into batch {new.batch_id}",
                )
            return summary(self._require(conn, new.batch_id))

    def set_priority(self, batch_id: str, priority: int) -> BatchSummary:
        with self._write() as conn:
            self._require(conn, batch_id)
            conn.execute("UPDATE batches SET priority = ? WHERE batch_id = ?", (priority, batch_id))
            self._log(conn, batch_id, "priority", {"priority": priority})
            return summary(self._require(conn, batch_id))

    # -- cleanup, events, metrics ------------------------------------------------------------------

    def delete_batches(self, batch_ids: Sequence[str]) -> int:
        """Delete these batches' rows (never any file) and log `cleanup`; returns how many."""
        deleted = 0
        with self._write() as conn:
            for batch_id in batch_ids:
                if conn.execute("DELETE FROM batches WHERE batch_id = ?", (batch_id,)).rowcount:
                    deleted += 1
                    self._log(conn, batch_id, "cleanup", None)
        return deleted

    def finished_batches_before(self, cutoff_iso: str) -> list[str]:
        """Ids of completed, cancelled or failed batches that finished before `cutoff_iso`."""
        rows = self._conn().execute(
            "SELECT batch_id FROM batches WHERE creating = 0"
            " AND status IN ('completed', 'cancelled', 'failed')"
            " AND julianday(COALESCE(completed_at, created_at)) < julianday(?)"
            " ORDER BY julianday(COALESCE(completed_at, created_at)), rowid",
            (cutoff_iso,),
        )
        return [str(r[0]) for r in rows]

    def log_event(
        self, batch_id: str | None, kind: str, detail: dict[str, Any] | None = None
    ) -> None:
        """Append one event to the log (`recover`, `recover_failed`, `merge`, …)."""
        with self._write() as conn:
            self._log(conn, batch_id, kind, detail)

    def events(
        self, batch_id: str | None = None, kind: str | None = None
    ) -> list[tuple[str | None, str, str, dict[str, Any]]]:
        """The event log (batch_id, kind, at, detail), oldest first, optionally of one batch
        and of one kind (found through the log's index by kind)."""
        given = {c: v for c, v in (("batch_id", batch_id), ("kind", kind)) if v is not None}
        query = "SELECT batch_id, kind, at, detail FROM events"
        if given:
            query += " WHERE " + " AND ".join(f"{column} = ?" for column in given)
        rows = self._conn().execute(query + " ORDER BY id", tuple(given.values()))
        return [(r[0], r[1], r[2], json.loads(r[3]) if r[3] else {}) for r in rows]

    def metrics(self) -> dict[str, Any]:
        """Batch metrics from the event log and the batch counters (see store.metrics)."""
        with self._read() as conn:
            return metrics_queries.compute(conn)
