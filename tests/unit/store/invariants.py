"""Checks on a batch database read straight from the file with plain sqlite3."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from junmai_gui.domain.status import BatchStatus, PauseReason, PhotoState

STATUSES = {s.value for s in BatchStatus}
PHOTO_STATES = {s.value for s in PhotoState}
PAUSE_REASONS = {r.value for r in PauseReason}


def assert_consistent(db_path: Path) -> None:
    """Counters equal the rows, done + failed + pending + running = total, statuses legal."""
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        batches = conn.execute(
            "SELECT batch_id, status, pause_reason, total_photos, processed_count, failed_count,"
            " running_count FROM batches"
        ).fetchall()
        for batch_id, status, reason, total, done, failed, running in batches:
            assert status in STATUSES, (batch_id, status)
            assert reason is None or reason in PAUSE_REASONS, (batch_id, reason)
            rows = dict(
                conn.execute(
                    "SELECT state, COUNT(*) FROM batch_photos WHERE batch_id = ? GROUP BY state",
                    (batch_id,),
                ).fetchall()
            )
            assert set(rows) <= PHOTO_STATES, rows
            assert (done, failed, running) == (
                rows.get("done", 0),
                rows.get("failed", 0),
                rows.get("running", 0),
            ), (batch_id, rows)
            assert total == sum(rows.values()), (batch_id, total, rows)
            pending = rows.get("pending", 0)
            assert done + failed + pending + running == total
    finally:
        conn.close()
