"""Batch metrics computed from the event log and the batch counters.

- batches_started / batches_completed: `start` / `complete` events.
- average_completion_seconds: from a batch's first `start` to its last `complete`.
- success_rate: photos done / (done + failed) over the stored batches.
- pause_count / resume_count; pause_resume_frequency: pauses per started batch.
- recovery_count: `recover` events (the controller logs one per batch it recovered);
  recovery_success_rate: recover / (recover + recover_failed).
Rates with nothing to divide by are None.
"""

from __future__ import annotations

import sqlite3
from typing import Any


def _count(conn: sqlite3.Connection, kind: str) -> int:
    return int(conn.execute("SELECT COUNT(*) FROM events WHERE kind = ?", (kind,)).fetchone()[0])


def _ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def compute(conn: sqlite3.Connection) -> dict[str, Any]:
    """The metrics dict of `Store.metrics()`; run inside one read transaction."""
    started = _count(conn, "start")
    completed = _count(conn, "complete")
    pauses = _count(conn, "pause")
    resumes = _count(conn, "resume")
    recovered = _count(conn, "recover")
    recover_failed = _count(conn, "recover_failed")
    average = conn.execute(
        "SELECT AVG((julianday(c.at) - julianday(s.at)) * 86400.0) FROM"
        " (SELECT batch_id, MIN(at) AS at FROM events WHERE kind = 'start' GROUP BY batch_id) s"
        " JOIN (SELECT batch_id, MAX(at) AS at FROM events WHERE kind = 'complete'"
        " GROUP BY batch_id) c ON c.batch_id = s.batch_id"
    ).fetchone()[0]
    done, failed = conn.execute(
        "SELECT COALESCE(SUM(processed_count), 0), COALESCE(SUM(failed_count), 0) FROM batches"
    ).fetchone()
    return {
        "batches_started": started,
        "batches_completed": completed,
        "average_completion_seconds": round(float(average), 3) if average is not None else None,
        "success_rate": _ratio(int(done), int(done) + int(failed)),
        "pause_count": pauses,
        "resume_count": resumes,
        "pause_resume_frequency": _ratio(pauses, started),
        "recovery_count": recovered,
        "recovery_success_rate": _ratio(recovered, recovered + recover_failed),
        "photos_done": int(done),
        "photos_failed": int(failed),
    }
