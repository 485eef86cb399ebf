"""Creating a large batch in steps, so no write holds the database for long.

A batch of 100,000 photos written in one transaction would keep every other writer (photo
results, a pause) waiting for about a second. Instead its row is written first, marked as
being created and hidden from every listing, then its photos a few thousand at a time, and
finally it is revealed in one small transaction that also logs its creation. A crash or a
cancel in between leaves only a hidden batch, which `discard_unfinished_batches` removes.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Collection, Sequence
from dataclasses import replace
from itertools import product

from junmai_gui.domain.batch import BatchSummary
from junmai_gui.domain.clock import utc_now_iso
from junmai_gui.domain.errors import InvalidBatchError
from junmai_gui.domain.status import BatchStatus
from junmai_gui.store.connection import COUNTER, StoreConnection, chunks, summary
from junmai_gui.store.records import NewBatch, NewBatchPhoto

# Batches whose outputs are still to be written: they hold their output paths.
UNFINISHED = "(b.creating = 1 OR b.status IN ('pending', 'running', 'paused'))"
_OUTPUT_TABLES = ("batch_photos", "batch_outputs")  # first outputs, and the others


def batch_label(name: str, batch_id: str) -> str:
    """How a message names a batch: “Wedding” (batch_ab12…), or its id alone."""
    return f"“{name}” ({batch_id})" if name else batch_id


class BatchCreationRows(StoreConnection):
    """The steps of creating a batch, and what a new batch must not collide with (mixed into
    `Store`)."""

    def reserved_outputs(self, folder: str, *, besides: str | None = None) -> dict[str, str]:
        """Output paths in `folder` (and below) held by unfinished batches other than
        `besides`: casefolded path -> the batch, as a message names it."""
        prefix = folder.rstrip(os.sep) + os.sep
        upper = prefix[:-1] + chr(ord(os.sep) + 1)
        held: dict[str, str] = {}
        for table in _OUTPUT_TABLES:
            rows = self._conn().execute(
                f"SELECT o.output_path, b.name, b.batch_id FROM {table} o"
                " JOIN batches b ON b.batch_id = o.batch_id"
                f" WHERE o.output_path >= ? AND o.output_path < ? AND {UNFINISHED}"
                " AND b.batch_id IS NOT ?",
                (prefix, upper, besides),
            )
            held.update((str(r[0]).casefold(), batch_label(str(r[1]), str(r[2]))) for r in rows)
        return held

    def output_paths_of(self, batch_id: str) -> list[str]:
        """Every output path a batch holds (whatever its status)."""
        conn = self._conn()
        paths = [
            str(r[0])
            for r in conn.execute(
                "SELECT output_path FROM batch_photos WHERE batch_id = ? AND output_path != ''",
                (batch_id,),
            )
        ]
        paths += [
            str(r[0])
            for r in conn.execute(
                "SELECT output_path FROM batch_outputs WHERE batch_id = ?", (batch_id,)
            )
        ]
        return paths

    def inputs_of_unfinished_batches(self, *, besides: str | None = None) -> list[str]:
        """The source paths of the photos of unfinished batches (other than `besides`)."""
        rows = self._conn().execute(
            "SELECT DISTINCT p.path FROM batch_photos bp JOIN batches b ON b.batch_id = bp.batch_id"
            f" JOIN photos p ON p.id = bp.photo_id WHERE {UNFINISHED} AND b.batch_id IS NOT ?",
            (besides,),
        )
        return [str(r[0]) for r in rows]

    def begin_batch(self, new: NewBatch) -> None:
        """Write the batch's row, hidden, without photos (`new.photos` is ignored)."""
        with self._write() as conn:
            self._insert_batch(conn, replace(new, photos=[]))
            conn.execute("UPDATE batches SET creating = 1 WHERE batch_id = ?", (new.batch_id,))

    def add_batch_photos(
        self, batch_id: str, photos: Sequence[NewBatchPhoto], first_position: int
    ) -> None:
        """Append photos to a batch being created, at positions from `first_position`."""
        counts = dict.fromkeys(COUNTER.values(), 0)
        for photo in photos:
            if photo.state in COUNTER:
                counts[COUNTER[photo.state]] += 1
        with self._write() as conn:
            self._require_creating(conn, batch_id)
            self._refuse_held_outputs(conn, batch_id, [o for p in photos for o in p.output_paths])
            try:
                self._insert_photo_rows(conn, batch_id, photos, first_position)
            except sqlite3.IntegrityError as exc:
                raise InvalidBatchError(
                    "A batch cannot hold the same photo twice", batch_id
                ) from exc
            conn.execute(
                "UPDATE batches SET total_photos = total_photos + ?,"
                " processed_count = processed_count + ?, failed_count = failed_count + ?"
                " WHERE batch_id = ?",
                (len(photos), counts["processed_count"], counts["failed_count"], batch_id),
            )

    def finish_batch(self, batch_id: str) -> BatchSummary:
        """Reveal the batch and log `create` (and `start`, stamping started_at, when it was
        begun running): from now on it is listed and can be dispatched."""
        with self._write() as conn:
            row = self._require_creating(conn, batch_id)
            running = BatchStatus(row["status"]) is BatchStatus.RUNNING
            conn.execute(
                "UPDATE batches SET creating = 0, started_at = ? WHERE batch_id = ?",
                (utc_now_iso() if running else None, batch_id),
            )
            self._log(conn, batch_id, "create", {"total_photos": int(row["total_photos"])})
            if running:
                self._log(conn, batch_id, "start", None)
            return summary(self._require(conn, batch_id))

    def discard_batch(self, batch_id: str) -> None:
        """Drop a batch still being created (its creation was cancelled or failed)."""
        with self._write() as conn:
            conn.execute("DELETE FROM batches WHERE batch_id = ? AND creating = 1", (batch_id,))

    def discard_unfinished_batches(self, keep: Collection[str] = ()) -> int:
        """Drop the batches whose creation never finished (a crash), except `keep`."""
        with self._write() as conn:
            ids = [
                str(r[0])
                for r in conn.execute("SELECT batch_id FROM batches WHERE creating = 1")
                if str(r[0]) not in keep
            ]
            for batch_id in ids:
                conn.execute("DELETE FROM batches WHERE batch_id = ?", (batch_id,))
        return len(ids)

    def _refuse_held_outputs(
        self, conn: sqlite3.Connection, batch_id: str, outputs: Sequence[str]
    ) -> None:
        """The last line of defence: no output path of an unfinished batch is given twice."""
        for chunk, table in product(chunks([o for o in outputs if o]), _OUTPUT_TABLES):
            marks = ",".join("?" * len(chunk))
            row = conn.execute(
                f"SELECT o.output_path, b.name, b.batch_id FROM {table} o"
                " JOIN batches b ON b.batch_id = o.batch_id"
                f" WHERE o.output_path IN ({marks}) AND {UNFINISHED} AND b.batch_id != ?"
                " LIMIT 1",
                (*chunk, batch_id),
            ).fetchone()
            if row is not None:
                raise InvalidBatchError(
                    f"{os.path.basename(row[0])} is already an output of "
                    f"{batch_label(str(row[1]), str(row[2]))}, which has not finished",
                    batch_id,
                )

    def _require_creating(self, conn: sqlite3.Connection, batch_id: str) -> sqlite3.Row:
        row = self._require(conn, batch_id)
        hidden = conn.execute(
            "SELECT creating FROM batches WHERE batch_id = ?", (batch_id,)
        ).fetchone()[0]
        if not hidden:
            raise InvalidBatchError(f"Batch {batch_id} is not being created", batch_id)
        return row
