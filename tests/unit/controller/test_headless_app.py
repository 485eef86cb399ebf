"""The real `junmai-gui --headless` killed with SIGKILL mid-batch, then relaunched.

Drives the app as a script would: `POST /batch/start` and the event stream over the local
HTTP API; kills the process after a random number of finished photos; the next launch
recovers the batch (paused, reason interrupted), `POST /batch/{id}/resume` finishes it,
and SIGTERM stops the app cleanly. Outputs must equal those of one clean development.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from junmai_gui.develop.engine import OutputOptions, develop_photo
from junmai_gui.develop.files import TEMP_PREFIX
from junmai_gui.develop.library import PresetLibrary
from junmai_gui.domain.status import BatchStatus, PauseReason, PhotoState
from junmai_gui.store import Store, read_token
from tests.photos import make_photos

PHOTOS = 10
TRIALS = 2
SEED = 7
CONFIG = {"preset": "Identity"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class HeadlessApp:
    """One `junmai-gui --headless` process; its log lines are read on a thread."""

    def __init__(self, data_dir: Path) -> None:
        self.port = free_port()
        script = Path(sys.executable).with_name("junmai-gui")
        self.process = subprocess.Popen(
            [
                str(script), "--headless", "--no-recovery-prompt",
                "--api-port", str(self.port), "--data-dir", str(data_dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        self.lines: list[str] = []
        self.listening = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        assert self.listening.wait(60), self.lines
        token = read_token(data_dir)
        assert token
        self.headers = {"Authorization": f"Bearer {token}"}
        self.url = f"http://127.0.0.1:{self.port}"

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line.rstrip())
            if "HTTP API listening" in line:
                self.listening.set()
        self.listening.set()

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self._reader.join(timeout=30)

    def stop(self) -> int:
        os.kill(self.process.pid, signal.SIGTERM)
        code = self.process.wait(timeout=60)
        self._reader.join(timeout=30)
        return code


async def run_until(
    app: HeadlessApp, request: tuple[str, str, dict[str, Any] | None], stop: Any
) -> str:
    """Send one request with the event stream open; read events until `stop(event)`."""
    method, path, body = request
    async with (
        aiohttp.ClientSession(headers=app.headers) as session,
        session.ws_connect(f"{app.url}/batch/events") as ws,
    ):
        async with session.request(method, app.url + path, json=body or {}) as response:
            answer = await response.json()
            assert response.status == 200, answer
        batch_id = str(answer.get("batch_id"))
        async for message in ws:
            event = json.loads(message.data)
            if event.get("batch_id") == batch_id and stop(event):
                return batch_id
    raise AssertionError("the event stream ended early")


@pytest.fixture
def clean(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    photos = make_photos(tmp_path / "photos", PHOTOS)
    preset = PresetLibrary(None).get(CONFIG["preset"])
    clean_dir = tmp_path / "clean"
    clean_dir.mkdir()
    outputs = {}
    for photo in photos:
        out = clean_dir / f"{photo.stem}_Identity.jpg"
        develop_photo(photo, out, preset, 100.0, OutputOptions())
        outputs[out.name] = out.read_bytes()
    return tmp_path / "photos", outputs


@pytest.mark.slow
def test_the_real_headless_app_survives_sigkill_and_finishes_the_batch_after_relaunch(
    tmp_path: Path, clean: tuple[Path, dict[str, bytes]]
) -> None:
    photos, expected = clean
    rng = random.Random(SEED)
    for trial in range(TRIALS):
        data_dir, out = tmp_path / f"data{trial}", tmp_path / f"out{trial}"
        kill_after = rng.randrange(1, PHOTOS - 2)
        seen: list[int] = []

        def enough(event: dict[str, Any], seen: list[int] = seen, n: int = kill_after) -> bool:
            if event["type"] == "photo_finished":
                seen.append(event["photo_id"])
            return len(seen) >= n

        app = HeadlessApp(data_dir)
        body = {"photo_paths": [str(photos)], "config": {**CONFIG, "output_dir": str(out)}}
        batch_id = asyncio.run(run_until(app, ("POST", "/batch/start", body), enough))
        app.kill()

        store = Store.open(data_dir)
        try:
            for record in store.batch_photos(batch_id, state=PhotoState.DONE):
                assert (
                    Path(record.output_path).read_bytes() == expected[Path(record.output_path).name]
                )
        finally:
            store.close()

        app = HeadlessApp(data_dir)
        store = Store.open(data_dir)
        try:
            batch = store.get_batch(batch_id)
        finally:
            store.close()
        assert batch is not None
        if batch.status is not BatchStatus.COMPLETED:  # else it finished before the kill landed
            assert any("Batch recovery completed | recovered_count=1" in x for x in app.lines)
            assert batch.status is BatchStatus.PAUSED
            assert batch.pause_reason is PauseReason.INTERRUPTED
            resume = ("POST", f"/batch/{batch_id}/resume", None)
            asyncio.run(run_until(app, resume, lambda event: event["type"] == "batch_finished"))
        assert app.stop() == 0

        files = {p.name: p.read_bytes() for p in out.iterdir()}
        assert not [name for name in files if name.startswith(TEMP_PREFIX)]
        assert files == expected, f"trial {trial}, killed after {kill_after} photos"
        store = Store.open(data_dir)
        try:
            batch = store.get_batch(batch_id)
            assert batch is not None and batch.status is BatchStatus.COMPLETED
            assert (batch.processed_count, batch.failed_count) == (PHOTOS, 0)
        finally:
            store.close()
