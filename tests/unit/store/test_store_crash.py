"""kill -9 at random moments loses no committed result and never corrupts the database."""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from junmai_gui.domain.status import TRANSITIONS, BatchStatus
from junmai_gui.store import Store
from tests.unit.store.invariants import assert_consistent

CHILD = Path(__file__).with_name("crash_child.py")
TRIALS = 30


def _run_and_kill(db: Path, seed: int, lines_wanted: int) -> list[str]:
    """Start the child, read `lines_wanted` committed lines, SIGKILL it, return the lines."""
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(db), str(seed)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    lines: list[str] = []
    try:
        while len(lines) < lines_wanted:
            line = child.stdout.readline()
            if not line:
                _, err = child.communicate()
                raise AssertionError(f"the child stopped by itself: {err}")
            lines.append(line.strip())
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    # Whatever the child wrote after the lines we read was committed too.
    return lines + child.stdout.read().splitlines()


def _assert_merges_are_whole(conn: sqlite3.Connection) -> None:
    """Every merge is all there or not at all: a batch cancelled as "merged into X" has its
    X, and every merged batch's originals are cancelled pointing at it."""
    statuses = dict(conn.execute("SELECT batch_id, status FROM batches").fetchall())
    for batch_id, error in conn.execute(
        "SELECT batch_id, error FROM batches WHERE error LIKE 'merged into batch %'"
    ):
        assert statuses[batch_id] == "cancelled"
        assert error.split()[-1] in statuses, (batch_id, error)
    for merged, detail in conn.execute("SELECT batch_id, detail FROM events WHERE kind = 'merge'"):
        for original in json.loads(detail)["from"]:
            error = conn.execute(
                "SELECT error FROM batches WHERE batch_id = ?", (original,)
            ).fetchone()[0]
            assert error == f"merged into batch {merged}", (merged, original)


def test_kill_9_loses_no_committed_result(tmp_path: Path) -> None:
    db = tmp_path / "batches.sqlite3"
    Store(db).close()
    rng = random.Random()
    seed = rng.randrange(1 << 30)
    rng.seed(seed)
    results: dict[tuple[str, int], str] = {}
    statuses: dict[str, str] = {}
    for trial in range(TRIALS):
        for line in _run_and_kill(db, seed + trial, rng.randint(1, 200)):
            parts = line.split()
            if len(parts) == 4 and parts[0] == "R":
                results[(parts[1], int(parts[2]))] = parts[3]
            elif len(parts) == 3 and parts[0] == "S":
                statuses[parts[1]] = parts[2]
        Store(db).close()  # opens (and would refuse a damaged file)
        assert_consistent(db)
        conn = sqlite3.connect(db)
        try:
            stored = {
                (b, p): s
                for b, p, s in conn.execute("SELECT batch_id, photo_id, state FROM batch_photos")
            }
            stored_status = dict(conn.execute("SELECT batch_id, status FROM batches").fetchall())
            _assert_merges_are_whole(conn)
        finally:
            conn.close()
        lost = {k: v for k, v in results.items() if stored.get(k) != v}
        assert not lost, f"seed {seed}, trial {trial}: committed results lost: {lost}"
        for batch_id, status in statuses.items():
            # The child may have committed one more change and died before printing it.
            now = BatchStatus(stored_status[batch_id])
            reported = BatchStatus(status)
            assert now is reported or now in TRANSITIONS[reported], (seed, batch_id, status, now)
    assert len(results) >= TRIALS
    merges = sqlite3.connect(db).execute("SELECT COUNT(*) FROM events WHERE kind = 'merge'")
    assert merges.fetchone()[0] > 0, "the trials never merged: the merge was not tested"
