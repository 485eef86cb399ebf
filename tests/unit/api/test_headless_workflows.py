"""Workflows in the real headless app: a watched folder whose photos are developed, also
those that arrived while the app was closed, each once; an after-batch command set in the
settings file, run for a batch the API starts from its template."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
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


AFTER = """
import json, pathlib, sys
pathlib.Path(sys.argv[1]).write_text(json.dumps(json.load(sys.stdin)))
"""


def test_a_command_from_the_settings_file_runs_after_a_batch_the_api_starts(
    tmp_path: Path,
) -> None:
    script, received = tmp_path / "after.py", tmp_path / "received.json"
    script.write_text(AFTER)
    command = [sys.executable, str(script), str(received)]

    def with_template(data_dir: Path) -> None:
        settings = json.loads((data_dir / "settings.json").read_text())
        settings["templates"] = {
            "Upload": {"preset": "Identity", "after": [{"action": "command", "command": command}]}
        }
        (data_dir / "settings.json").write_text(json.dumps(settings))

    app = start_headless_app(tmp_path / "app", prepare=with_template)
    try:
        photos = [str(p) for p in make_photos(tmp_path / "in", 2)]
        started = requests.post(
            f"{app.url}/batch/start",
            json={"photo_paths": photos, "template": "Upload"},
            headers=app.headers,
            timeout=30,
        ).json()
        url = f"{app.url}/batch/{started['batch_id']}/status"

        def reported() -> Any:
            status = requests.get(url, headers=app.headers, timeout=10).json()
            return status if status["after_batch"] else None

        status = _until(app, reported, "the command's report")
        assert status["after_batch"][0]["ok"] is True, status["after_batch"]
        result = json.loads(received.read_text())
        assert result["batch_id"] == started["batch_id"] and result["processed_count"] == 2
        assert status["status"] == "completed"
    finally:
        app.kill()
