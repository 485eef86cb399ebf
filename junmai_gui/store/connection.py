"""The store's connection handling: one SQLite connection per thread, write transactions
taken with `BEGIN IMMEDIATE`, and the batch-row helpers every part of the store shares."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from junmai_gui.domain.batch import BatchSummary
from junmai_gui.domain.clock import utc_now_iso
from junmai_gui.domain.errors import BatchNotFoundError, InvalidBatchError, PhotoNotFoundError
from junmai_gui.domain.status import BatchStatus, PauseReason, PhotoState
from junmai_gui.store.records import NewBatch, NewBatchPhoto

BUSY_TIMEOUT_MS = 10_000
SYNCHRONOUS_MODES = ("FULL", "NORMAL")
_CHUNK = 500  # ids per `IN (...)`, well below SQLite's variable limit

BATCH_COLUMNS = (
    "batch_id, name, session_id, status, pause_reason, priority, created_at, started_at,"
    " paused_at, completed_at, total_photos, processed_count, failed_count, running_count,"
    " config, error"
)
# Which counter column of a batch counts a photo state (pending is total minus the others).
COUNTER = {
    PhotoState.DONE: "processed_count",
    PhotoState.FAILED: "failed_count",
    PhotoState.RUNNING: "running_count",
}


def chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def summary(row: sqlite3.Row) -> BatchSummary:
    return BatchSummary(
        batch_id=row["batch_id"],
        name=row["name"],
        session_id=row["session_id"],
        status=BatchStatus(row["status"]),
        pause_reason=PauseReason(row["pause_reason"]) if row["pause_reason"] else None,
        priority=row["priority"],
        created_at=row["created_at"],
        started_at=row["started_at"],
        paused_at=row["paused_at"],
        completed_at=row["completed_at"],
        total_photos=row["total_photos"],
        processed_count=row["processed_count"],
        failed_count=row["failed_count"],
        running_count=row["running_count"],
        config=(json.loads(row["config"]) if row["config"] else None) or {},
        error=row["error"],
    )


class StoreConnection:
    """Per-thread connections to one SQLite file, and the helpers shared by the store."""

    def __init__(self, path: Path | str, *, progress_synchronous: str = "NORMAL") -> None:
        self.path = Path(path)
        if progress_synchronous.upper() not in SYNCHRONOUS_MODES:
            raise ValueError(
                f"progress_synchronous must be FULL or NORMAL, not {progress_synchronous}"
            )
        self._progress_synchronous = progress_synchronous.upper()
        self._local = threading.local()

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = FULL")
            self._local.conn = conn
            self._local.synchronous = "FULL"
        return conn

    @contextmanager
    def _write(self, *, progress: bool = False) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken with `BEGIN IMMEDIATE`; rolled back on any error.

        `progress` marks a photo's progress (running, result, aborted): committed with
        the progress level of `synchronous`; every other write is committed with FULL,
        whose WAL fsync also makes every earlier progress commit durable.
        """
        conn = self._conn()
        wanted = self._progress_synchronous if progress else "FULL"
        if self._local.synchronous != wanted:
            conn.execute(f"PRAGMA synchronous = {wanted}")
            self._local.synchronous = wanted
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """One read transaction, so several queries see the same snapshot."""
        conn = self._conn()
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("COMMIT")

    def close(self) -> None:
        """Close this thread's connection (the next call from this thread opens a new one)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            self._local.conn = None
            conn.close()

    def _require(self, conn: sqlite3.Connection, batch_id: str) -> sqlite3.Row:
        row: sqlite3.Row | None = conn.execute(
            f"SELECT {BATCH_COLUMNS} FROM batches WHERE batch_id = ?", (batch_id,)
        ).fetchone()
        if row is None:
            raise BatchNotFoundError(batch_id)
        return row

    def _log(
        self,
        conn: sqlite3.Connection,
        batch_id: str | None,
        kind: str,
        detail: dict[str, Any] | None,
    ) -> None:
        conn.execute(
            "INSERT INTO events (batch_id, kind, at, detail) VALUES (?, ?, ?, ?)",
            (batch_id, kind, utc_now_iso(), json.dumps(detail) if detail else None),
        )

    def _insert_batch(
        self,
        conn: sqlite3.Connection,
        new: NewBatch,
        *,
        started_at: str | None = None,
        paused_at: str | None = None,
        completed_at: str | None = None,
        pause_reason: str | None = None,
        config_json: str | None = None,
    ) -> None:
        ids = [p.photo_id for p in new.photos]
        if len(set(ids)) != len(ids):
            raise InvalidBatchError("A batch cannot hold the same photo twice", new.batch_id)
        known: set[int] = set()
        for chunk in chunks(ids):
            marks = ",".join("?" * len(chunk))
            known.update(
                int(r[0])
                for r in conn.execute(f"SELECT id FROM photos WHERE id IN ({marks})", tuple(chunk))
            )
        missing = [i for i in ids if i not in known]
        if missing:
            raise PhotoNotFoundError(missing)
        counts = dict.fromkeys(COUNTER.values(), 0)
        for photo in new.photos:
            if photo.state in COUNTER:
                counts[COUNTER[photo.state]] += 1
        try:
            conn.execute(
                "INSERT INTO batches (batch_id, name, session_id, status, pause_reason, priority,"
                " created_at, started_at, paused_at, completed_at, config, task_ids,"
                " total_photos, processed_count, failed_count, running_count)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    new.batch_id,
                    new.name,
                    new.session_id,
                    BatchStatus(new.status).value,
                    pause_reason,
                    new.priority,
                    new.created_at,
                    started_at,
                    paused_at,
                    completed_at,
                    config_json if config_json is not None else json.dumps(new.config),
                    json.dumps(list(new.task_ids)),
                    len(new.photos),
                    counts["processed_count"],
                    counts["failed_count"],
                    counts["running_count"],
                ),
            )
        except sqlite3.IntegrityError as exc:
            raise InvalidBatchError(
                f"A batch with id {new.batch_id} already exists", new.batch_id
            ) from exc
        self._insert_photo_rows(conn, new.batch_id, new.photos, 0)

    def _insert_photo_rows(
        self,
        conn: sqlite3.Connection,
        batch_id: str,
        photos: Sequence[NewBatchPhoto],
        first_position: int,
    ) -> None:
        """The photo rows of a batch from `first_position` on, with their other outputs."""
        finished = utc_now_iso()
        conn.executemany(
            "INSERT INTO batch_photos (batch_id, photo_id, position, state, output_path,"
            " finished_at) VALUES (?, ?, ?, ?, ?, ?)",
            (
                (
                    batch_id,
                    p.photo_id,
                    first_position + i,
                    PhotoState(p.state).value,
                    p.output_path,
                    finished if p.state in (PhotoState.DONE, PhotoState.FAILED) else None,
                )
                for i, p in enumerate(photos)
            ),
        )
        if any(p.extra_outputs for p in photos):
            conn.executemany(
                "INSERT INTO batch_outputs (batch_id, photo_id, output_index, output_path)"
                " VALUES (?, ?, ?, ?)",
                (
                    (batch_id, p.photo_id, index, path)
                    for p in photos
                    for index, path in enumerate(p.extra_outputs, start=1)
                ),
            )
