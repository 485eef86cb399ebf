"""Tiny real photos, a develop function that can hold photos in flight, and waiting helpers."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from junmai_gui.develop.engine import develop_photo
from tests.photos import make_photos

AUTODEV_STATUS_KEYS = {
    "batch_id", "session_id", "status", "total_photos", "processed_count", "failed_count",
    "progress_percent", "created_at", "started_at", "paused_at", "completed_at",
}  # fmt: skip
AUTODEV_LIST_KEYS = {"batch_id", "status", "total_photos", "processed_count", "progress_percent"}


def make_broken_photo(folder: Path, name: str = "broken.jpg") -> Path:
    """A JPEG cut after its first bytes: accepted as a photo, fails when developed."""
    good = make_photos(folder / ".src", 1)[0]
    path = folder / name
    path.write_bytes(good.read_bytes()[:64])
    return path


class GatedDevelop:
    """The real `develop_photo`, which waits for `gate` first so a test can hold a batch running.

    The gate starts open; `close()` holds every photo that starts afterwards until `open()`.
    """

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.gate.set()

    def close(self) -> None:
        self.gate.clear()

    def open(self) -> None:
        self.gate.set()

    def __call__(self, source: Path, output: Path, preset: Any, blend: float, options: Any,
                 *, cancel: Any = None, extra_outputs: Any = ()) -> Path:  # fmt: skip
        while not self.gate.wait(0.01):
            if cancel is not None and cancel.cancelled:
                break
        return develop_photo(
            source, output, preset, blend, options, cancel=cancel, extra_outputs=extra_outputs
        )


async def wait_until(condition: Callable[[], bool], timeout: float = 15.0, what: str = "") -> None:
    """Await until `condition()` holds (the Qt pump keeps events flowing meanwhile)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await asyncio.sleep(0.005)


class StoreSnapshots:
    """Reads the store's whole state, every row of every table, through its own connection."""

    def __init__(self, db_path: Path) -> None:
        self._conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)

    def take(self) -> dict[str, list[tuple[Any, ...]]]:
        tables = [
            row[0]
            for row in self._conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            t: sorted(self._conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
            for t in tables
        }

    def close(self) -> None:
        self._conn.close()


async def wait_for_status(
    client: Any,
    batch_id: str,
    wanted: str,
    timeout: float = 15.0,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Poll `GET /batch/{id}/status` until the batch reaches `wanted`; return the last body."""
    deadline = time.monotonic() + timeout
    while True:
        response = await client.get(f"/batch/{batch_id}/status", headers=headers)
        body: dict[str, Any] = await response.json()
        if body.get("status") == wanted:
            return body
        if time.monotonic() > deadline:
            raise AssertionError(f"{batch_id} stayed {body.get('status')}, never {wanted}")
        await asyncio.sleep(0.01)
