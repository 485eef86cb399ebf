"""A watched folder in the real headless app: a photo that arrives is developed, and photos
that arrived while the app was closed are developed at the next launch, each once."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.photos import make_photos
from tests.unit.api.headless_app import HeadlessApp, start_headless_app

pytestmark = pytest.mark.slow


def _until(app: HeadlessApp, condition: Any, what: str, timeout: float = 90) -> Any:
    """Poll the app until `condition()` gives a value; the interval ends early if it dies."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        try:
            app.process.wait(timeout=0.1)
        except subprocess.TimeoutExpired:
            continue
        raise AssertionError(f"the app died: {app.log.read_text()[-2000:]}")


def _day_batch(app: HeadlessApp, done: int) -> Any:
    (watch,) = requests.get(f"{app.url}/watch", headers=app.headers, timeout=10).json()["watches"]
    if watch["batch_id"] is None:
        return None
    status = requests.get(
        f"{app.url}/batch/{watch['batch_id']}/status", headers=app.headers, timeout=10
    ).json()
    finished = status["status"] == "completed" and status["processed_count"] == done
    return status if finished else None


def test_photos_that_arrived_while_the_app_was_closed_are_developed_at_launch(
    tmp_path: Path,
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    app = start_headless_app(tmp_path)
    try:
        body = {"folder": str(inbox), "config": {"preset": "Identity"}, "name": "Tethered"}
        answer = requests.post(f"{app.url}/watch", json=body, headers=app.headers, timeout=10)
        assert answer.status_code == 200, answer.text
        make_photos(inbox, 1, prefix="live")  # while it runs: taken after 2 s of quiet
        first = _until(app, lambda: _day_batch(app, 1), "the first photo")
        app.process.send_signal(signal.SIGTERM)
        assert app.process.wait(timeout=60) == 0
    finally:
        app.kill()

    make_photos(inbox, 3, prefix="closed")  # while the app is closed
    again = start_headless_app(tmp_path)
    try:
        status = _until(again, lambda: _day_batch(again, 4), "the photos of the closed time")
        assert status["batch_id"] == first["batch_id"] and status["total_photos"] == 4
        photos = requests.get(
            f"{again.url}/batch/{status['batch_id']}/photos", headers=again.headers, timeout=10
        ).json()["photos"]
        assert sorted(Path(p["source_path"]).name for p in photos) == [
            "closed_000.jpg", "closed_001.jpg", "closed_002.jpg", "live_000.jpg",
        ]  # fmt: skip
        outputs = sorted(p.name for p in (tmp_path / "out").rglob("*.jpg"))
        assert len(outputs) == 4 and len(set(outputs)) == 4
    finally:
        again.kill()
