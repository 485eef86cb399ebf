"""The SQLite store of photos, batches, per-photo progress and the event log.

One file (`batches.sqlite3` in the data dir), one connection per thread, every write in
`BEGIN IMMEDIATE` so two writers never deadlock on a lock upgrade.

Durability: WAL with `synchronous=FULL`. A commit returns only after the WAL has been
fsynced, so a kill -9 (which loses nothing the OS already has) and even a power cut lose no
committed result; SQLite's WAL keeps the file consistent whatever the moment of the cut.
`NORMAL` would also survive kill -9 and never corrupt the file, but a power cut could roll
back the last commits (a photo developed again, and also a pause or cancel forgotten);
`FULL` costs one fsync per commit, measured in benchmarks/persist_latency.py (well under
the 1 ms budget of recording a photo result).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from junmai_gui.domain.batch import BatchState, BatchSummary
from junmai_gui.domain.clock import utc_now_iso
from junmai_gui.domain.errors import (
    BatchNotFoundError,
    InvalidBatchError,
    PhotoNotFoundError,
)
from junmai_gui.domain.status import (
    BatchStatus,
    PauseReason,
    PhotoState,
    check_retry,
    check_transition,
)
from junmai_gui.store import metrics as metrics_queries
from junmai_gui.store import reference_json
from junmai_gui.store.errors import StoreError
from junmai_gui.store.migrations import inspect_existing, migrate
from junmai_gui.store.records import (
    ImportReport,
    NewBatch,
    NewBatchPhoto,
    PhotoRecord,
    PhotoTask,
    RecoveryCounts,
)

log = logging.getLogger(__name__)

DB_FILE_NAME = "batches.sqlite3"
BUSY_TIMEOUT_MS = 10_000
_CHUNK = 500  # ids per `IN (...)`, well below SQLite's variable limit

_BATCH_COLUMNS = (
    "batch_id, name, session_id, status, pause_reason, priority, created_at, started_at,"
    " paused_at, completed_at, total_photos, processed_count, failed_count, running_count,"
    " config, error"
)
# Which counter column a photo state is counted in (pending is total minus the others).
_COUNTER = {
    PhotoState.DONE: "processed_count",
    PhotoState.FAILED: "failed_count",
    PhotoState.RUNNING: "running_count",
}
# The event logged for each status a batch moves to (retry: see `set_status`).
_EVENT_FOR_STATUS = {
    BatchStatus.PAUSED: "pause",
    BatchStatus.COMPLETED: "complete",
    BatchStatus.CANCELLED: "cancel",
    BatchStatus.FAILED: "fail",
}


def _counter_deltas(old: PhotoState, new: PhotoState) -> dict[str, int]:
    deltas = dict.fromkeys(_COUNTER.values(), 0)
    if old in _COUNTER:
        deltas[_COUNTER[old]] -= 1
    if new in _COUNTER:
        deltas[_COUNTER[new]] += 1
    return deltas


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _summary(row: sqlite3.Row) -> BatchSummary:
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


class Store:
    """Batches and their photos in one SQLite file; safe to use from several threads."""

    def __init__(self, path: Path | str, *, synchronous: str = "FULL") -> None:
        self.path = Path(path)
        if synchronous.upper() not in ("FULL", "NORMAL", "EXTRA"):
            raise ValueError(f"synchronous must be FULL, NORMAL or EXTRA, not {synchronous}")
        self._synchronous = synchronous.upper()
        self._local = threading.local()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        inspect_existing(self.path)
        conn = self._conn()
        try:
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

    # -- connections and transactions ---------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute(f"PRAGMA synchronous = {self._synchronous}")
            self._local.conn = conn
        return conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken with `BEGIN IMMEDIATE`; rolled back on any error."""
        conn = self._conn()
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

    # -- photos ---------------------------------------------------------------------------

    def add_photos(self, paths: Sequence[str | Path]) -> list[int]:
        """The ids of these photos, adding the ones not stored yet (same order as `paths`)."""
        ids: list[int] = []
        with self._write() as conn:
            for path in paths:
                row = conn.execute(
                    "INSERT INTO photos (path) VALUES (?) ON CONFLICT (path)"
                    " DO UPDATE SET path = excluded.path RETURNING id",
                    (str(path),),
                ).fetchone()
                ids.append(int(row[0]))
        return ids

    def photo_paths(self, photo_ids: Sequence[int]) -> dict[int, str]:
        """Paths of the known ids among `photo_ids`."""
        out: dict[int, str] = {}
        with self._read() as conn:
            for chunk in _chunks(list(photo_ids)):
                marks = ",".join("?" * len(chunk))
                for row in conn.execute(
                    f"SELECT id, path FROM photos WHERE id IN ({marks})", tuple(chunk)
                ):
                    out[int(row[0])] = str(row[1])
        return out

    # -- batches ----------------------------------------------------------------------------

    def _require(self, conn: sqlite3.Connection, batch_id: str) -> sqlite3.Row:
        row: sqlite3.Row | None = conn.execute(
            f"SELECT {_BATCH_COLUMNS} FROM batches WHERE batch_id = ?", (batch_id,)
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
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            known.update(
                int(r[0])
                for r in conn.execute(f"SELECT id FROM photos WHERE id IN ({marks})", tuple(chunk))
            )
        missing = [i for i in ids if i not in known]
        if missing:
            raise PhotoNotFoundError(missing)
        counts = dict.fromkeys(_COUNTER.values(), 0)
        for photo in new.photos:
            if photo.state in _COUNTER:
                counts[_COUNTER[photo.state]] += 1
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
        finished = utc_now_iso()
        conn.executemany(
            "INSERT INTO batch_photos (batch_id, photo_id, position, state, output_path,"
            " finished_at) VALUES (?, ?, ?, ?, ?, ?)",
            (
                (
                    new.batch_id,
                    p.photo_id,
                    pos,
                    PhotoState(p.state).value,
                    p.output_path,
                    finished if p.state in (PhotoState.DONE, PhotoState.FAILED) else None,
                )
                for pos, p in enumerate(new.photos)
            ),
        )

    def create_batch(self, new: NewBatch) -> BatchSummary:
        """Store a new batch and its photos in one transaction and log `create` (and
        `start`, stamping started_at, when it is created running)."""
        running = BatchStatus(new.status) is BatchStatus.RUNNING
        with self._write() as conn:
            self._insert_batch(conn, new, started_at=utc_now_iso() if running else None)
            self._log(conn, new.batch_id, "create", {"total_photos": len(new.photos)})
            if running:
                self._log(conn, new.batch_id, "start", None)
            return _summary(self._require(conn, new.batch_id))

    def get_batch(self, batch_id: str) -> BatchSummary | None:
        row = (
            self._conn()
            .execute(f"SELECT {_BATCH_COLUMNS} FROM batches WHERE batch_id = ?", (batch_id,))
            .fetchone()
        )
        return _summary(row) if row is not None else None

    def list_batches(self) -> list[BatchSummary]:
        """Every batch, oldest first."""
        rows = self._conn().execute(
            f"SELECT {_BATCH_COLUMNS} FROM batches ORDER BY julianday(created_at), rowid"
        )
        return [_summary(row) for row in rows]

    def set_status(
        self,
        batch_id: str,
        status: BatchStatus,
        *,
        pause_reason: PauseReason | None = None,
        error: str | None = None,
    ) -> BatchSummary:
        """Move a batch to `status` if the domain's transitions allow it, stamp the times
        and log the event, all in one transaction.

        completed|failed -> running is a retry: legal when some photos failed or were
        already reset to pending (`reset_failed_photos` may run before or after).
        """
        status = BatchStatus(status)
        with self._write() as conn:
            row = self._require(conn, batch_id)
            current = BatchStatus(row["status"])
            check_transition(batch_id, current, status)
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
            return _summary(self._require(conn, batch_id))

    def set_priority(self, batch_id: str, priority: int) -> BatchSummary:
        with self._write() as conn:
            self._require(conn, batch_id)
            conn.execute("UPDATE batches SET priority = ? WHERE batch_id = ?", (priority, batch_id))
            self._log(conn, batch_id, "priority", {"priority": priority})
            return _summary(self._require(conn, batch_id))

    # -- photos of a batch --------------------------------------------------------------------

    def next_pending_photos(self, batch_id: str, limit: int) -> list[PhotoTask]:
        """The first `limit` pending photos of a batch, by position."""
        rows = self._conn().execute(
            "SELECT bp.photo_id, p.path, bp.output_path, bp.attempts FROM batch_photos bp"
            " JOIN photos p ON p.id = bp.photo_id"
            " WHERE bp.batch_id = ? AND bp.state = 'pending' ORDER BY bp.position LIMIT ?",
            (batch_id, limit),
        )
        return [PhotoTask(batch_id, int(r[0]), str(r[1]), str(r[2]), int(r[3])) for r in rows]

    def _photo_state(self, conn: sqlite3.Connection, batch_id: str, photo_id: int) -> sqlite3.Row:
        row: sqlite3.Row | None = conn.execute(
            "SELECT state, attempts FROM batch_photos WHERE batch_id = ? AND photo_id = ?",
            (batch_id, photo_id),
        ).fetchone()
        if row is None:
            self._require(conn, batch_id)
            raise PhotoNotFoundError([photo_id])
        return row

    def _move_photo(
        self,
        conn: sqlite3.Connection,
        batch_id: str,
        photo_id: int,
        old: PhotoState,
        new: PhotoState,
        **columns: Any,
    ) -> None:
        """Change one photo's state (and other columns) and the batch counters with it."""
        sets = {"state": new.value, **columns}
        assignments = ", ".join(f"{column} = ?" for column in sets)
        conn.execute(
            f"UPDATE batch_photos SET {assignments} WHERE batch_id = ? AND photo_id = ?",
            (*sets.values(), batch_id, photo_id),
        )
        deltas = _counter_deltas(old, new)
        conn.execute(
            "UPDATE batches SET processed_count = processed_count + ?,"
            " failed_count = failed_count + ?, running_count = running_count + ?"
            " WHERE batch_id = ?",
            (deltas["processed_count"], deltas["failed_count"], deltas["running_count"], batch_id),
        )

    def mark_photo_running(self, batch_id: str, photo_id: int) -> int:
        """pending -> running with one more attempt, committed; returns the attempts."""
        with self._write() as conn:
            row = self._photo_state(conn, batch_id, photo_id)
            old = PhotoState(row["state"])
            if old is not PhotoState.PENDING:
                raise InvalidBatchError(
                    f"Photo {photo_id} of batch {batch_id} is {old.value}, not pending", batch_id
                )
            attempts = int(row["attempts"]) + 1
            self._move_photo(
                conn, batch_id, photo_id, old, PhotoState.RUNNING, attempts=attempts, error=None
            )
        return attempts

    def record_photo_result(
        self, batch_id: str, photo_id: int, *, ok: bool, error: str | None = None
    ) -> None:
        """One photo finished: done, or failed with `error`. One small transaction on the
        photo row and the batch counters, whatever the size of the batch."""
        new = PhotoState.DONE if ok else PhotoState.FAILED
        with self._write() as conn:
            old = PhotoState(self._photo_state(conn, batch_id, photo_id)["state"])
            self._move_photo(
                conn,
                batch_id,
                photo_id,
                old,
                new,
                error=None if ok else error,
                finished_at=utc_now_iso(),
            )

    def return_photo_to_pending(self, batch_id: str, photo_id: int) -> None:
        """An aborted photo (pause, cancel, disk full) goes back to pending; the attempt is
        not counted, since the developer did not crash on it. A pending photo stays as is."""
        with self._write() as conn:
            row = self._photo_state(conn, batch_id, photo_id)
            old = PhotoState(row["state"])
            if old is PhotoState.PENDING:
                return
            if old is not PhotoState.RUNNING:
                raise InvalidBatchError(
                    f"Photo {photo_id} of batch {batch_id} is {old.value}, not running", batch_id
                )
            self._move_photo(
                conn,
                batch_id,
                photo_id,
                old,
                PhotoState.PENDING,
                attempts=max(0, int(row["attempts"]) - 1),
            )

    def reset_failed_photos(self, batch_id: str) -> int:
        """Failed photos back to pending with their error and attempts cleared; returns how many."""
        with self._write() as conn:
            self._require(conn, batch_id)
            changed = conn.execute(
                "UPDATE batch_photos SET state = 'pending', error = NULL, finished_at = NULL,"
                " attempts = 0 WHERE batch_id = ? AND state = 'failed'",
                (batch_id,),
            ).rowcount
            conn.execute(
                "UPDATE batches SET failed_count = failed_count - ? WHERE batch_id = ?",
                (changed, batch_id),
            )
        return int(changed)

    def batch_photos(
        self, batch_id: str, *, state: PhotoState | None = None, offset: int = 0, limit: int = 100
    ) -> list[PhotoRecord]:
        """A page of a batch's photos, by position, optionally of one state."""
        query = (
            "SELECT bp.photo_id, bp.position, p.path, bp.state, bp.attempts, bp.error,"
            " bp.output_path, bp.finished_at FROM batch_photos bp"
            " JOIN photos p ON p.id = bp.photo_id WHERE bp.batch_id = ?"
        )
        args: list[Any] = [batch_id]
        if state is not None:
            query += " AND bp.state = ?"
            args.append(PhotoState(state).value)
        query += " ORDER BY bp.position LIMIT ? OFFSET ?"
        args += [limit, offset]
        return [
            PhotoRecord(
                photo_id=int(r[0]),
                position=int(r[1]),
                source_path=str(r[2]),
                state=PhotoState(r[3]),
                attempts=int(r[4]),
                error=r[5],
                output_path=str(r[6]),
                finished_at=r[7],
            )
            for r in self._conn().execute(query, args)
        ]

    def count_photos(self, batch_id: str, state: PhotoState | None = None) -> int:
        """How many photos a batch has (of one state), from the counters kept in its row."""
        batch = self.get_batch(batch_id)
        if batch is None:
            raise BatchNotFoundError(batch_id)
        if state is None:
            return batch.total_photos
        return {
            PhotoState.PENDING: batch.pending_count,
            PhotoState.RUNNING: batch.running_count,
            PhotoState.DONE: batch.processed_count,
            PhotoState.FAILED: batch.failed_count,
        }[PhotoState(state)]

    def batch_output_dirs(self, batch_id: str) -> list[str]:
        """The distinct folders a batch writes into (sorted; unplanned outputs left out)."""
        rows = self._conn().execute(
            "SELECT DISTINCT output_path FROM batch_photos"
            " WHERE batch_id = ? AND output_path != ''",
            (batch_id,),
        )
        return sorted({str(Path(str(r[0])).parent) for r in rows})

    def recover_running_photos(self, max_attempts: int = 2) -> RecoveryCounts:
        """After a crash: photos stored running go back to pending, or fail when they were
        already tried `max_attempts` times (they probably crash the developer)."""
        message = (
            "This photo crashed the developer twice"
            if max_attempts == 2
            else f"This photo crashed the developer {max_attempts} times"
        )
        returned = failed = 0
        batches: set[str] = set()
        now = utc_now_iso()
        with self._write() as conn:
            rows = conn.execute(
                "SELECT batch_id, photo_id, attempts FROM batch_photos WHERE state = 'running'"
            ).fetchall()
            for batch_id, photo_id, attempts in rows:
                batches.add(str(batch_id))
                if int(attempts) >= max_attempts:
                    self._move_photo(
                        conn,
                        batch_id,
                        photo_id,
                        PhotoState.RUNNING,
                        PhotoState.FAILED,
                        error=message,
                        finished_at=now,
                    )
                    failed += 1
                else:
                    self._move_photo(
                        conn, batch_id, photo_id, PhotoState.RUNNING, PhotoState.PENDING
                    )
                    returned += 1
        return RecoveryCounts(returned=returned, failed=failed, batches=sorted(batches))

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
            "SELECT batch_id FROM batches WHERE status IN ('completed', 'cancelled', 'failed')"
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
        self, batch_id: str | None = None
    ) -> list[tuple[str | None, str, str, dict[str, Any]]]:
        """The event log (batch_id, kind, at, detail), oldest first, optionally of one batch."""
        query = "SELECT batch_id, kind, at, detail FROM events"
        args: tuple[Any, ...] = ()
        if batch_id is not None:
            query += " WHERE batch_id = ?"
            args = (batch_id,)
        rows = self._conn().execute(query + " ORDER BY id", args)
        return [(r[0], r[1], r[2], json.loads(r[3]) if r[3] else {}) for r in rows]

    def metrics(self) -> dict[str, Any]:
        """Batch metrics from the event log and the batch counters (see store.metrics)."""
        with self._read() as conn:
            return metrics_queries.compute(conn)

    # -- the reference's JSON format ------------------------------------------------------------

    def export_state(self, batch_id: str) -> BatchState:
        """A batch in the reference's `BatchState` shape, photo lists in batch order."""
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
        """Import every `batch_states/*.json` (or `folder/*.json`) in the reference's format.

        A damaged file is renamed `*.corrupt` and reported; a batch already stored is
        skipped. Unknown photo ids get placeholder photo rows (`photo:<id>`).
        """
        report = ImportReport()
        for path, state, reason in reference_json.read_state_files(Path(folder)):
            if state is None:
                report.corrupt.append((path.name, reason or "unreadable"))
                continue
            if self.get_batch(state.batch_id) is not None:
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
                ((pid, f"photo:{pid}") for pid in state.photo_ids),
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
