"""kill -9 at random moments loses no committed result and never corrupts the database."""

from __future__ import annotations

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
