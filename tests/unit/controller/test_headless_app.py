"""The real `junmai-gui --headless` (with its develop processes) killed with SIGKILL
mid-batch, again and again, then relaunched.

Drives the app as a script would: `POST /batch/start` and the event stream over the local
HTTP API; kills the process after a random number of finished photos; the next launch
recovers the batch (paused, reason interrupted) and `POST /batch/{id}/resume` finishes it;
SIGTERM stops the app cleanly. Outputs must equal those of one clean development.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
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
from tests.unit.api.headless_app import free_port

PHOTOS = 10
TRIALS = 20
SEED = 7
CONFIG = {"preset": "Identity"}

Request = tuple[str, str, dict[str, Any] | None]


class HeadlessApp:
    """One `junmai-gui --headless` process; its log lines are read on a thread."""

    def __init__(self, data_dir: Path, *extra: str) -> None:
        self.port = free_port()
        script = Path(sys.executable).with_name("junmai-gui")
        self.process = subprocess.Popen(
            [
                str(script), "--headless", "--no-recovery-prompt",
                "--api-port", str(self.port), "--data-dir", str(data_dir), *extra,
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


async def run_until(app: HeadlessApp, requests: list[Request], stop: Any) -> str:
    """Send the requests with the event stream open; read events of the last request's batch
    until `stop(event)`; returns that batch's id."""
    async with (
        aiohttp.ClientSession(headers=app.headers) as session,
        session.ws_connect(f"{app.url}/batch/events") as ws,
    ):
        answer: dict[str, Any] = {}
        for method, path, body in requests:
            async with session.request(method, app.url + path, json=body or {}) as response:
                answer = await response.json()
                assert response.status == 200, answer
        batch_id = str(answer.get("batch_id"))
        if stop(None):
            return batch_id
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


def check_done_photos_have_their_files(data_dir: Path, expected: dict[str, bytes]) -> int:
    """No photo is stored done without its complete file; returns how many are done."""
    store = Store.open(data_dir)
    try:
        done = 0
        for batch in store.list_batches():
            for record in store.batch_photos(batch.batch_id, state=PhotoState.DONE, limit=1000):
                output = Path(record.output_path)
                assert output.read_bytes() == expected[output.name], output
                done += 1
        assert store.list_batches() or done == 0
        return done
    finally:
        store.close()


@pytest.mark.slow
def test_the_real_headless_app_survives_sigkill_at_random_moments_and_finishes_every_batch(
    tmp_path: Path, clean: tuple[Path, dict[str, bytes]]
) -> None:
    """Each launch resumes the batch the previous one was killed in, starts a batch of its
    own, and is killed with SIGKILL after a random number of that batch's photos (its
    develop processes go with it). The last launch resumes the last batch and stops
    cleanly. Then every photo is done (none failed), every output equals a clean run's
    byte for byte, no temporary file is left and the database is intact."""
    photos, expected = clean
    rng = random.Random(SEED)
    data_dir = tmp_path / "data"
    outs = [tmp_path / f"out{trial}" for trial in range(TRIALS)]
    batches: list[str] = []
    for trial in range(TRIALS):
        kill_after = 0 if trial == 0 else rng.randrange(PHOTOS)
        seen: list[int] = []

        def enough(event: Any, seen: list[int] = seen, n: int = kill_after) -> bool:
            if event is not None and event["type"] == "photo_finished":
                seen.append(event["photo_id"])
            return len(seen) >= n

        app = HeadlessApp(data_dir)
        requests = _resume_unfinished(app, data_dir, batches)
        body = {"photo_paths": [str(photos)], "config": {**CONFIG, "output_dir": str(outs[trial])}}
        requests.append(("POST", "/batch/start", body))
        batches.append(asyncio.run(run_until(app, requests, enough)))
        app.kill()
        check_done_photos_have_their_files(data_dir, expected)

    app = HeadlessApp(data_dir)
    resume = _resume_unfinished(app, data_dir, batches)
    for request in resume:
        asyncio.run(
            run_until(app, [request], lambda e: e is not None and e["type"] == "batch_finished")
        )
    assert app.stop() == 0

    for out in outs:
        files = {p.name: p.read_bytes() for p in out.iterdir()}
        assert not [name for name in files if name.startswith(TEMP_PREFIX)], out
        assert files == expected, out
    assert check_done_photos_have_their_files(data_dir, expected) == TRIALS * PHOTOS
    store = Store.open(data_dir)
    try:
        for batch_id in batches:
            batch = store.get_batch(batch_id)
            assert batch is not None and batch.status is BatchStatus.COMPLETED
            assert (batch.processed_count, batch.failed_count) == (PHOTOS, 0)
    finally:
        store.close()
    with sqlite3.connect(data_dir / "batches.sqlite3") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


async def wait_until_async(condition: Any, timeout: float) -> None:
    """Await `condition()` (a coroutine function) until it holds, checking every 20 ms."""
    deadline = time.monotonic() + timeout
    while not await condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


def _resume_unfinished(app: HeadlessApp, data_dir: Path, batches: list[str]) -> list[Request]:
    """The resume requests for every batch the last kill interrupted (a batch may also have
    completed before the SIGKILL landed); checks that the launch recovered exactly those."""
    store = Store.open(data_dir)
    try:
        unfinished = []
        for batch_id in batches:
            batch = store.get_batch(batch_id)
            assert batch is not None
            if batch.status is not BatchStatus.COMPLETED:
                assert batch.status is BatchStatus.PAUSED, batch
                assert batch.pause_reason is PauseReason.INTERRUPTED, batch
                assert batch.failed_count == 0, batch  # an outside kill blames no photo
                unfinished.append(batch_id)
    finally:
        store.close()
    recovered = f"Batch recovery completed | recovered_count={len(unfinished)} |"
    assert any(recovered in line for line in app.lines), app.lines
    return [("POST", f"/batch/{batch_id}/resume", None) for batch_id in unfinished]


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="FIFOs are POSIX")
def test_quitting_with_a_photo_stuck_in_a_read_ends_the_app_within_ten_seconds(
    tmp_path: Path,
) -> None:
    """A photo whose read never returns (a hung network share: here a FIFO nobody writes to)
    cannot hold the app: SIGTERM ends it within 10 s, and at the next launch the photo is
    pending in a batch paused at quit."""
    (photo,) = make_photos(tmp_path / "photos", 1)
    data_dir = tmp_path / "data"
    app = HeadlessApp(data_dir)

    async def start_paused_then_resume() -> str:
        async with aiohttp.ClientSession(headers=app.headers) as session:
            body = {"photo_paths": [str(photo)], "config": CONFIG, "start": False}
            async with session.post(f"{app.url}/batch/start", json=body) as response:
                batch_id = str((await response.json())["batch_id"])
            photo.unlink()
            os.mkfifo(photo)
            async with session.post(f"{app.url}/batch/{batch_id}/resume", json={}):
                pass
            running: list[int] = []

            async def photo_running() -> None:
                url = f"{app.url}/batch/{batch_id}/photos?state=running"
                async with session.get(url) as response:
                    running.append((await response.json())["total"])

            async def in_the_read() -> bool:
                await photo_running()
                return running[-1] == 1

            await wait_until_async(in_the_read, timeout=60)
            return batch_id

    batch_id = asyncio.run(start_paused_then_resume())
    began = time.monotonic()
    assert app.stop() == 0
    assert time.monotonic() - began < 10.0
    store = Store.open(data_dir)
    try:
        batch = store.get_batch(batch_id)
        assert batch is not None and batch.status is BatchStatus.PAUSED
        assert batch.pause_reason is PauseReason.APP_QUIT
        assert (batch.pending_count, batch.running_count, batch.failed_count) == (1, 0, 0)
    finally:
        store.close()
