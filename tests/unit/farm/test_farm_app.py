"""The real `junmai-gui --headless --farm URL --workers 0` killed with SIGKILL mid-batch while
the farm works on, then relaunched: what the farm finished meanwhile is recorded before
recovery, the batch is offered like any other, and resume completes it with every photo
developed once."""

from __future__ import annotations

import asyncio
import os
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import requests

from junmai_gui.develop.engine import OutputOptions, develop_photo
from junmai_gui.develop.files import TEMP_PREFIX
from junmai_gui.develop.library import PresetLibrary
from junmai_gui.domain.status import BatchStatus, PauseReason, PhotoState
from junmai_gui.farm import protocol
from junmai_gui.store import Store
from tests.photos import make_photos
from tests.unit.controller.test_headless_app import HeadlessApp, run_until
from tests.unit.farm.conftest import Farm
from tests.unit.farm.helpers import wait_until

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name == "nt", reason="signals; the bundled broker is Linux/macOS"),
]

PHOTOS = 16
CONFIG = {"preset": "Identity"}


def test_the_app_killed_mid_batch_loses_and_repeats_nothing_the_farm_did(
    live_farm: Farm, out_dir: Path, tmp_path: Path
) -> None:
    photos = make_photos(tmp_path / "in", PHOTOS)
    preset = PresetLibrary(None).get("Identity")
    expected = {}
    for photo in photos:
        clean = tmp_path / f"{photo.stem}.jpg"
        develop_photo(photo, clean, preset, 100.0, OutputOptions())
        expected[f"{photo.stem}_Identity.jpg"] = clean.read_bytes()
    data_dir = tmp_path / "data"
    farm_args = ("--farm", live_farm.hub.url, "--workers", "0")
    finished: list[Any] = []

    def five_done(event: Any) -> bool:
        if event is not None and event["type"] == "photo_finished":
            finished.append(event["photo_id"])
        return len(finished) >= 5

    app = HeadlessApp(data_dir, *farm_args)
    body = {"photo_paths": [str(tmp_path / "in")], "config": {**CONFIG, "output_dir": str(out_dir)}}
    batch_id = asyncio.run(run_until(app, [("POST", "/batch/start", body)], five_done))
    app.kill()

    client = live_farm.hub.client()

    def farm_idle() -> bool:
        """The queue drained and every task acknowledged, twice 0.2 s apart (a task is neither
        queued nor unacknowledged for an instant while a worker takes it)."""
        for attempt in range(2):
            if client.llen(protocol.QUEUE) or client.hlen("unacked"):
                return False
            if attempt == 0:
                threading.Event().wait(0.2)
        return True

    # the farm finishes what it was sent
    wait_until(farm_idle, 120, "the farm to finish what it was sent")
    store = Store.open(data_dir)
    done_at_kill = store.count_photos(batch_id, PhotoState.DONE)
    store.close()
    started = len(protocol.read_starts(client, batch_id))
    assert done_at_kill < started <= PHOTOS  # the farm developed photos the app never heard of

    app = HeadlessApp(data_dir, *farm_args)
    store = Store.open(data_dir)
    summary = store.get_batch(batch_id)
    store.close()
    assert summary is not None and summary.status is BatchStatus.PAUSED
    assert summary.pause_reason is PauseReason.INTERRUPTED
    assert summary.processed_count == started  # recorded at launch, before recovery
    assert summary.running_count == 0
    farm = _get(app, "/farm")
    assert farm["connected"] is True and farm["queued"] >= 0
    assert {"w1", "w2"} <= {w["name"] for w in farm["workers"]}
    assert set(farm["workers"][0]) == {"name", "host", "concurrency", "busy", "last_seen"}
    resume = ("POST", f"/batch/{batch_id}/resume", None)
    asyncio.run(run_until(app, [resume], lambda e: e is not None and e["type"] == "batch_finished"))
    assert app.stop() == 0

    starts = Counter(s.photo_id for s in protocol.read_starts(client, batch_id))
    client.close()
    assert len(starts) == PHOTOS and set(starts.values()) == {1}, starts
    files = {p.name: p.read_bytes() for p in out_dir.iterdir()}
    assert not [name for name in files if name.startswith(TEMP_PREFIX)]
    assert files == expected
    store = Store.open(data_dir)
    summary = store.get_batch(batch_id)
    assert summary is not None and summary.status is BatchStatus.COMPLETED
    assert (summary.processed_count, summary.failed_count) == (PHOTOS, 0)
    assert {r.developed_by for r in store.batch_photos(batch_id, limit=100)} <= {"w1", "w2"}
    store.close()


def _get(app: HeadlessApp, path: str) -> Any:
    answer = requests.get(app.url + path, headers=app.headers, timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()
