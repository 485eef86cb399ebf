"""`POST /batch/start` over a folder of 100,000 photos: it answers once the batch exists,
while the loop keeps serving other clients (a poller of /batch/list) on time."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from tests.lateness import allowed_ms, as_the_app_runs, loop_probe
from tests.unit.controller.test_creation_responsiveness import PHOTOS, make_empty_photos


async def _idle_max_ms() -> float:
    late: list[float] = []
    stop = asyncio.Event()
    probe = asyncio.create_task(loop_probe(late, stop))
    await asyncio.sleep(0.3)
    stop.set()
    await probe
    return max(late, default=0.0)


@pytest.mark.slow
async def test_a_100000_photo_batch_is_created_while_other_requests_are_served(
    api: TestClient, tmp_path: Path
) -> None:
    make_empty_photos(tmp_path / "large", PHOTOS)
    with as_the_app_runs():
        await _create_while_polling(api, tmp_path / "large")


async def _create_while_polling(api: TestClient, folder: Path) -> None:
    idle = await _idle_max_ms()
    late: list[float] = []
    polls: list[int] = []
    stop = asyncio.Event()

    async def poll() -> None:
        while not stop.is_set():
            async with api.get("/batch/list") as response:
                assert response.status == 200
                polls.append((await response.json())["count"])

    probe = asyncio.create_task(loop_probe(late, stop))
    poller = asyncio.create_task(poll())
    body = {
        "photo_paths": [str(folder)],
        "config": {"preset": "Identity"},
        "start": False,
    }
    response = await api.post("/batch/start", json=body)
    answer = await response.json()
    stop.set()
    await asyncio.gather(probe, poller)

    assert response.status == 200, answer
    assert answer["photo_count"] == PHOTOS and answer["rejected"] == []
    status = await (await api.get(f"/batch/{answer['batch_id']}/status")).json()
    assert status["total_photos"] == PHOTOS and status["status"] == "pending"
    assert len(polls) >= 20, "the other client was not served while the batch was created"
    assert polls[0] == 0  # the batch was listed only once it existed
    worst = max(late)
    assert worst < allowed_ms(idle), f"the loop woke {worst:.0f} ms late (idle: {idle:.0f} ms)"
