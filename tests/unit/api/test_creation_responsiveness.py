"""`POST /batch/start` over a folder of 100,000 photos, sent to the real headless app: it
answers once the batch exists, while another client polling /batch/list keeps getting its
answers on time (the app's event loop never waits for the creation)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import aiohttp
import pytest

from tests.conftest import LARGE_FOLDER_PHOTOS as PHOTOS
from tests.lateness import allowed_ms
from tests.unit.api.headless_app import HeadlessApp, start_headless_app
from tests.unit.api.helpers import wait_until

IDLE_ANSWERS = 100  # answers polled while idle: the baseline the busy ones are held to


async def _poll(
    session: aiohttp.ClientSession, url: str, stop: asyncio.Event, took_ms: list[float]
) -> list[int]:
    counts = []
    while not stop.is_set():
        began = time.perf_counter()
        async with session.get(f"{url}/batch/list") as response:
            assert response.status == 200
            counts.append((await response.json())["count"])
        took_ms.append((time.perf_counter() - began) * 1000)
    return counts


async def _create_while_polling(app: HeadlessApp, folder: Path) -> None:
    async with aiohttp.ClientSession(headers=app.headers) as session:
        idle_ms: list[float] = []
        stop = asyncio.Event()
        idle = asyncio.create_task(_poll(session, app.url, stop, idle_ms))
        await wait_until(lambda: len(idle_ms) >= IDLE_ANSWERS, what="answers while idle")
        stop.set()
        await idle

        busy_ms: list[float] = []
        stop = asyncio.Event()
        poller = asyncio.create_task(_poll(session, app.url, stop, busy_ms))
        body = {"photo_paths": [str(folder)], "config": {"preset": "Identity"}, "start": False}
        async with session.post(f"{app.url}/batch/start", json=body) as response:
            answer = await response.json()
            assert response.status == 200, answer
        stop.set()
        counts = await poller
        async with session.get(f"{app.url}/batch/{answer['batch_id']}/status") as response:
            status = await response.json()

    assert answer["photo_count"] == PHOTOS and answer["rejected"] == []
    assert status["total_photos"] == PHOTOS and status["status"] == "pending"
    assert len(counts) >= 20, "the other client was not served while the batch was created"
    assert counts[0] == 0  # listed only once it existed
    worst, idle_worst = max(busy_ms), max(idle_ms)
    assert worst < allowed_ms(idle_worst), (
        f"a /batch/list took {worst:.0f} ms while the batch was created (idle: {idle_worst:.0f})"
    )


@pytest.mark.slow
def test_a_100000_photo_batch_is_created_while_other_requests_are_served(
    tmp_path: Path, large_folder: Path
) -> None:
    app = start_headless_app(tmp_path / "app")
    try:
        asyncio.run(_create_while_polling(app, large_folder))
    finally:
        app.kill()
