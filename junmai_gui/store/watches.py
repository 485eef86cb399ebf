"""Watched folders, and what each has taken (mixed into `Store`).

A photo a watch takes is added to the watch's batch of the day and recorded as taken in the
same transaction, so a crash either leaves it untaken (it is taken again at the next scan)
or taken and in the batch: a watch never develops a photo twice. The record of what a watch
took outlives the batch (removing old batches forgets nothing a watch needs).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from junmai_gui.domain.batch import BatchSummary
from junmai_gui.domain.clock import utc_now_iso
from junmai_gui.domain.errors import InvalidBatchError, WatchNotFoundError
from junmai_gui.domain.status import BatchStatus
from junmai_gui.store.batch_creation import BatchCreationRows
from junmai_gui.store.connection import COUNTER, chunks, summary
from junmai_gui.store.records import NewBatch, NewBatchPhoto, WatchRecord

_COLUMNS = "id, name, folder, config, template, paused, batch_id, day, error, created_at"


def _record(row: sqlite3.Row) -> WatchRecord:
    return WatchRecord(
        watch_id=int(row[0]),
        name=str(row[1]),
        folder=str(row[2]),
        config=json.loads(row[3]) if row[3] else None,
        template=row[4],
        paused=bool(row[5]),
        batch_id=row[6],
        day=row[7],
        error=row[8],
        created_at=str(row[9]),
    )


class WatchRows(BatchCreationRows):
    """The watches table and what each watch took."""

    def add_watch(
        self, name: str, folder: str, config: dict[str, Any] | None, template: str | None
    ) -> WatchRecord:
        """A new watch (the caller checks the folder, config and template)."""
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO watches (name, folder, config, template, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (name, folder, json.dumps(config) if config is not None else None, template,
                 utc_now_iso()),
            )  # fmt: skip
            watch_id = int(cursor.lastrowid or 0)
            self._log(conn, None, "watch_added", {"watch_id": watch_id, "folder": folder})
            return self._require_watch(conn, watch_id)

    def watches(self) -> list[WatchRecord]:
        """Every watch, oldest first."""
        return [_record(r) for r in self._conn().execute(f"SELECT {_COLUMNS} FROM watches")]

    def watch(self, watch_id: int) -> WatchRecord:
        return self._require_watch(self._conn(), watch_id)

    def remove_watch(self, watch_id: int) -> None:
        """Forget a watch and what it took (its batches stay)."""
        with self._write() as conn:
            self._require_watch(conn, watch_id)
            conn.execute("DELETE FROM watches WHERE id = ?", (watch_id,))
            self._log(conn, None, "watch_removed", {"watch_id": watch_id})

    def set_watch_paused(self, watch_id: int, paused: bool) -> WatchRecord:
        with self._write() as conn:
            self._require_watch(conn, watch_id)
            conn.execute("UPDATE watches SET paused = ? WHERE id = ?", (int(paused), watch_id))
            return self._require_watch(conn, watch_id)

    def set_watch_error(self, watch_id: int, error: str | None) -> WatchRecord:
        with self._write() as conn:
            self._require_watch(conn, watch_id)
            conn.execute("UPDATE watches SET error = ? WHERE id = ?", (error, watch_id))
            return self._require_watch(conn, watch_id)

    def taken_paths(self, watch_id: int) -> set[str]:
        """The paths of the photos this watch has taken."""
        rows = self._conn().execute("SELECT path FROM watch_taken WHERE watch_id = ?", (watch_id,))
        return {str(r[0]) for r in rows}

    def take_watched_photos(
        self,
        watch_id: int,
        day: str,
        new_batch: NewBatch | None,
        batch_id: str,
        photos: Sequence[NewBatchPhoto],
        paths: Sequence[str],
    ) -> BatchSummary:
        """In one transaction: create `new_batch` (when given, with no photos), append
        `photos` (taken from `paths`, in the same order) to `batch_id`, record them as taken
        and make it the watch's batch of `day`. Photos the watch took already are left out;
        a cancelled batch takes no photo (InvalidBatchError)."""
        with self._write() as conn:
            self._require_watch(conn, watch_id)
            if new_batch is not None:
                self._insert_batch(conn, new_batch)
                self._log(conn, new_batch.batch_id, "create", {"total_photos": 0})
            row = self._require(conn, batch_id)
            if BatchStatus(row["status"]) is BatchStatus.CANCELLED:
                raise InvalidBatchError(f"Batch {batch_id} was cancelled", batch_id)
            taken: set[str] = set()
            for chunk in chunks(list(paths)):
                marks = ",".join("?" * len(chunk))
                taken.update(
                    str(r[0])
                    for r in conn.execute(
                        f"SELECT path FROM watch_taken WHERE watch_id = ? AND path IN ({marks})",
                        (watch_id, *chunk),
                    )
                )
            fresh = [(p, path) for p, path in zip(photos, paths, strict=True) if path not in taken]
            new = [photo for photo, _ in fresh]
            self._refuse_held_outputs(conn, batch_id, [o for p in new for o in p.output_paths])
            self._insert_photo_rows(conn, batch_id, new, int(row["total_photos"]))
            counts = dict.fromkeys(COUNTER.values(), 0)
            for photo in new:
                if photo.state in COUNTER:
                    counts[COUNTER[photo.state]] += 1
            conn.execute(
                "UPDATE batches SET total_photos = total_photos + ?,"
                " processed_count = processed_count + ?, failed_count = failed_count + ?"
                " WHERE batch_id = ?",
                (len(new), counts["processed_count"], counts["failed_count"], batch_id),
            )
            now = utc_now_iso()
            conn.executemany(
                "INSERT INTO watch_taken (watch_id, path, batch_id, taken_at) VALUES (?, ?, ?, ?)",
                ((watch_id, path, batch_id, now) for _, path in fresh),
            )
            conn.execute(
                "UPDATE watches SET batch_id = ?, day = ?, error = NULL WHERE id = ?",
                (batch_id, day, watch_id),
            )
            self._log(conn, batch_id, "add_photos", {"count": len(new), "watch_id": watch_id})
            return summary(self._require(conn, batch_id))

    def _require_watch(self, conn: sqlite3.Connection, watch_id: int) -> WatchRecord:
        row = conn.execute(f"SELECT {_COLUMNS} FROM watches WHERE id = ?", (watch_id,)).fetchone()
        if row is None:
            raise WatchNotFoundError(watch_id)
        return _record(row)
