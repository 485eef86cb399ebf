"""One instance per data dir: the lock, stale-lock recovery and the hand-over of arguments."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from junmai_gui.controller.instance import SingleInstance

ROOT = Path(__file__).resolve().parents[3]

HOLD_LOCK = """
import sys
from PySide6.QtCore import QCoreApplication
from junmai_gui.controller.instance import SingleInstance
app = QCoreApplication([])
instance = SingleInstance(sys.argv[1])
print("acquired" if instance.acquire() else "refused", flush=True)
sys.stdin.readline()
"""

SEND_ARGS = """
import sys
from PySide6.QtCore import QCoreApplication
from junmai_gui.controller.instance import SingleInstance
app = QCoreApplication([])
instance = SingleInstance(sys.argv[1])
if instance.acquire():
    sys.exit(3)
sys.exit(0 if instance.send_to_primary(sys.argv[2:]) else 4)
"""


def child(code: str, *args: str, **kwargs: Any) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        text=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        **kwargs,
    )


def test_a_second_acquire_fails_while_the_first_holds_the_lock(data_dir: Path, qtbot: Any) -> None:
    first = SingleInstance(data_dir)
    assert first.acquire()
    try:
        assert not SingleInstance(data_dir).acquire()
        other = child(HOLD_LOCK, str(data_dir))
        assert other.stdout is not None
        assert other.stdout.readline().strip() == "refused"
        other.communicate("\n", timeout=30)
    finally:
        first.release()
    again = SingleInstance(data_dir)
    assert again.acquire()
    again.release()


def test_a_lock_left_by_a_killed_process_is_taken_over(data_dir: Path, qtbot: Any) -> None:
    holder = child(HOLD_LOCK, str(data_dir))
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "acquired"
    assert not SingleInstance(data_dir).acquire()
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=30)
    assert (data_dir / "instance.lock").exists()  # left behind
    instance = SingleInstance(data_dir)
    assert instance.acquire()
    instance.release()


def test_arguments_of_a_second_launch_reach_the_primary(data_dir: Path, qtbot: Any) -> None:
    primary = SingleInstance(data_dir)
    assert primary.acquire()
    try:
        with qtbot.waitSignal(primary.arguments_received, timeout=30_000) as received:
            second = child(SEND_ARGS, str(data_dir), "/photos/a.jpg", "/photos/shoot")
        assert received.args == [["/photos/a.jpg", "/photos/shoot"]]
        assert second.wait(timeout=30) == 0
    finally:
        primary.release()


def test_send_to_primary_without_a_primary_returns_false(data_dir: Path, qtbot: Any) -> None:
    assert not SingleInstance(data_dir).send_to_primary(["x"])
