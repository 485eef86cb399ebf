"""The photo rows of a batch: what to develop next, and each photo's progress.

Every change of a photo's state updates the batch's counters in the same transaction, so
the counters always equal the rows and a result costs the same in a batch of any size.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from junmai_gui.domain.clock import utc_now_iso
from junmai_gui.domain.errors import InvalidBatchError, PhotoNotFoundError
from junmai_gui.domain.status import PhotoState
from junmai_gui.store.connection import COUNTER, StoreConnection, chunks, summary
from junmai_gui.store.records import NewBatchPhoto, PhotoRecord, PhotoTask, RecoveryCounts


def _counter_deltas(old: PhotoState, new: PhotoState) -> dict[str, int]:
    deltas = dict.fromkeys(COUNTER.values(), 0)
    if old in COUNTER:
        deltas[COUNTER[old]] -= 1
    if new in COUNTER:
        deltas[COUNTER[new]] += 1
    return deltas


class BatchPhotoRows(StoreConnection):
    """The per-photo operations of the store (mixed into `Store`)."""

    def next_pending_photos(self, batch_id: str, limit: int) -> list[PhotoTask]:
        """The first `limit` pending photos of a batch, by position, with all their outputs."""
        rows = (
            self._conn()
            .execute(
                "SELECT bp.photo_id, p.path, bp.output_path, bp.attempts FROM batch_photos bp"
                " JOIN photos p ON p.id = bp.photo_id"
                " WHERE bp.batch_id = ? AND bp.state = 'pending' ORDER BY bp.position LIMIT ?",
                (batch_id, limit),
            )
            .fetchall()
        )
        extra = self.extra_outputs(batch_id, [int(r[0]) for r in rows])
        return [
            PhotoTask(
                batch_id, int(r[0]), str(r[1]), str(r[2]), int(r[3]), extra.get(int(r[0]), ())
            )
            for r in rows
        ]

    def extra_outputs(self, batch_id: str, photo_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
        """The outputs after the first of these photos (absent: the photo has one output)."""
        found: dict[int, list[str]] = {}
        for chunk in chunks(list(photo_ids)):
            marks = ",".join("?" * len(chunk))
            for photo_id, path in self._conn().execute(
                "SELECT photo_id, output_path FROM batch_outputs"
                f" WHERE batch_id = ? AND photo_id IN ({marks}) ORDER BY photo_id, output_index",
                (batch_id, *chunk),
            ):
                found.setdefault(int(photo_id), []).append(str(path))
        return {photo_id: tuple(paths) for photo_id, paths in found.items()}

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
        with self._write(progress=True) as conn:
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
        self,
        batch_id: str,
        photo_id: int,
        *,
        ok: bool,
        error: str | None = None,
        developed_by: str | None = None,
    ) -> bool:
        """One photo finished: done, or failed with `error`. One small transaction on the
        photo row and the batch counters, whatever the size of the batch.

        A photo already finished keeps its first result (a result delivered twice is
        recorded once); returns whether this one was recorded."""
        new = PhotoState.DONE if ok else PhotoState.FAILED
        with self._write(progress=True) as conn:
            old = PhotoState(self._photo_state(conn, batch_id, photo_id)["state"])
            if old in (PhotoState.DONE, PhotoState.FAILED):
                return False
            self._move_photo(
                conn,
                batch_id,
                photo_id,
                old,
                new,
                error=None if ok else error,
                finished_at=utc_now_iso(),
                developed_by=developed_by,
            )
        return True

    def return_photo_to_pending(self, batch_id: str, photo_id: int) -> None:
        """An aborted photo (pause, cancel, disk full) goes back to pending; the attempt is
        not counted, since the developer did not crash on it. A pending photo stays as is."""
        with self._write(progress=True) as conn:
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
            return self._reset_failed(conn, batch_id)

    def _reset_failed(self, conn: sqlite3.Connection, batch_id: str) -> int:
        changed = conn.execute(
            "UPDATE batch_photos SET state = 'pending', error = NULL, finished_at = NULL,"
            " attempts = 0, developed_by = NULL WHERE batch_id = ? AND state = 'failed'",
            (batch_id,),
        ).rowcount
        conn.execute(
            "UPDATE batches SET failed_count = failed_count - ? WHERE batch_id = ?",
            (changed, batch_id),
        )
        return int(changed)

    def photos_without_output(self, batch_id: str) -> list[tuple[int, str]]:
        """(photo id, source path) of the pending photos with no output path planned yet (a
        batch imported from the AutoDev contract's format), by position."""
        self._require(self._conn(), batch_id)
        rows = self._conn().execute(
            "SELECT bp.photo_id, p.path FROM batch_photos bp JOIN photos p ON p.id = bp.photo_id"
            " WHERE bp.batch_id = ? AND bp.state = 'pending' AND bp.output_path = ''"
            " ORDER BY bp.position",
            (batch_id,),
        )
        return [(int(r[0]), str(r[1])) for r in rows]

    def plan_missing_outputs(
        self, batch_id: str, planned: Sequence[NewBatchPhoto], unusable: dict[int, str]
    ) -> None:
        """Fix the output paths of pending photos that had none, in one transaction: a photo
        planned `done` (the skip policy found its output) is done, and each photo of
        `unusable` fails with its sentence. Photos no longer pending without an output path
        are left alone."""
        now = utc_now_iso()
        with self._write() as conn:
            self._require(conn, batch_id)
            for photo in planned:
                row = conn.execute(
                    "SELECT state, output_path FROM batch_photos"
                    " WHERE batch_id = ? AND photo_id = ?",
                    (batch_id, photo.photo_id),
                ).fetchone()
                if row is None or row[0] != "pending" or row[1] != "":
                    continue
                conn.execute(
                    "UPDATE batch_photos SET output_path = ? WHERE batch_id = ? AND photo_id = ?",
                    (photo.output_path, batch_id, photo.photo_id),
                )
                conn.execute(
                    "DELETE FROM batch_outputs WHERE batch_id = ? AND photo_id = ?",
                    (batch_id, photo.photo_id),
                )
                conn.executemany(
                    "INSERT INTO batch_outputs (batch_id, photo_id, output_index, output_path)"
                    " VALUES (?, ?, ?, ?)",
                    (
                        (batch_id, photo.photo_id, index, path)
                        for index, path in enumerate(photo.extra_outputs, start=1)
                    ),
                )
                if photo.state is PhotoState.DONE:
                    self._move_photo(
                        conn,
                        batch_id,
                        photo.photo_id,
                        PhotoState.PENDING,
                        PhotoState.DONE,
                        finished_at=now,
                    )
            for photo_id, error in unusable.items():
                state = self._photo_state(conn, batch_id, photo_id)["state"]
                if state == PhotoState.PENDING.value:
                    self._move_photo(
                        conn,
                        batch_id,
                        photo_id,
                        PhotoState.PENDING,
                        PhotoState.FAILED,
                        error=error,
                        finished_at=now,
                    )

    def batch_photos(
        self, batch_id: str, *, state: PhotoState | None = None, offset: int = 0, limit: int = 100
    ) -> list[PhotoRecord]:
        """A page of a batch's photos, by position, optionally of one state."""
        query = (
            "SELECT bp.photo_id, bp.position, p.path, bp.state, bp.attempts, bp.error,"
            " bp.output_path, bp.finished_at, bp.developed_by FROM batch_photos bp"
            " JOIN photos p ON p.id = bp.photo_id WHERE bp.batch_id = ?"
        )
        args: list[Any] = [batch_id]
        if state is not None:
            query += " AND bp.state = ?"
            args.append(PhotoState(state).value)
        query += " ORDER BY bp.position LIMIT ? OFFSET ?"
        args += [limit, offset]
        rows = self._conn().execute(query, args).fetchall()
        extra = self.extra_outputs(batch_id, [int(r[0]) for r in rows])
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
                developed_by=r[8],
                extra_outputs=extra.get(int(r[0]), ()),
            )
            for r in rows
        ]

    def count_photos(self, batch_id: str, state: PhotoState | None = None) -> int:
        """How many photos a batch has (of one state), from the counters kept in its row."""
        batch = summary(self._require(self._conn(), batch_id))
        if state is None:
            return batch.total_photos
        return {
            PhotoState.PENDING: batch.pending_count,
            PhotoState.RUNNING: batch.running_count,
            PhotoState.DONE: batch.processed_count,
            PhotoState.FAILED: batch.failed_count,
        }[PhotoState(state)]

    def batch_output_dirs(self, batch_id: str) -> list[str]:
        """The distinct folders a batch writes into (sorted; unplanned outputs left out).

        SQLite cuts each path after its last separator (rtrim by every character that is not
        one), so only the few distinct folders reach Python, however many photos."""
        folder = "rtrim(output_path, replace(replace(output_path, '/', ''), ?, ''))"
        separator = "\\" if os.name == "nt" else "/"
        rows = self._conn().execute(
            f"SELECT DISTINCT {folder} FROM batch_photos WHERE batch_id = ? AND output_path != ''"
            f" UNION SELECT DISTINCT {folder} FROM batch_outputs WHERE batch_id = ?",
            (separator, batch_id, separator, batch_id),
        )
        return sorted({str(Path(str(r[0]) or ".")) for r in rows})

    def recover_running_photos(self) -> RecoveryCounts:
        """After the app stopped without finishing them: photos stored running go back to
        pending. Nobody is blamed: the app cannot tell a power cut or a forced quit from a
        photo that crashes the developer (develop processes catch those as they happen)."""
        with self._write() as conn:
            rows = conn.execute(
                "SELECT batch_id, photo_id FROM batch_photos WHERE state = 'running'"
            ).fetchall()
            for batch_id, photo_id in rows:
                self._move_photo(conn, batch_id, photo_id, PhotoState.RUNNING, PhotoState.PENDING)
        batches = sorted({str(r[0]) for r in rows})
        return RecoveryCounts(returned=len(rows), failed=0, batches=batches)
