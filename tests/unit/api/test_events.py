"""The WebSocket event stream, alone and under 50 clients polling at once."""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient

from junmai_gui.api.server import ApiServer
from junmai_gui.controller.batch_controller import BatchController
from tests.unit.api.conftest import TOKEN
from tests.unit.api.helpers import GatedDevelop, wait_until

AUTH = {"Authorization": f"Bearer {TOKEN}"}


async def _next_event(ws: aiohttp.ClientWebSocketResponse, timeout: float = 15.0) -> dict[str, Any]:
    message = await ws.receive(timeout=timeout)
    assert message.type == aiohttp.WSMsgType.TEXT, message
    event: dict[str, Any] = json.loads(message.data)
    return event


async def _events_until(
    ws: aiohttp.ClientWebSocketResponse, done: Callable[[dict[str, Any]], bool]
) -> list[dict[str, Any]]:
    events = []
    while True:
        event = await _next_event(ws)
        events.append(event)
        if done(event):
            return events


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Bearer wrong"}, 401),
        ({**AUTH, "Origin": "http://evil.example"}, 403),
    ],
)
async def test_the_upgrade_needs_the_token_and_a_local_origin(
    bare_api: TestClient, headers: dict[str, str], status: int
) -> None:
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await bare_api.ws_connect("/batch/events", headers=headers)
    assert refused.value.status == status


async def test_a_listener_follows_a_batch_to_its_end(
    api: TestClient, photos: Callable[..., list[Path]], tmp_path: Path
) -> None:
    photos(4, folder="ev")
    async with api.ws_connect("/batch/events") as ws:
        response = await api.post("/batch/start", json={"photo_paths": [str(tmp_path / "ev")]})
        batch_id = (await response.json())["batch_id"]
        events = await _events_until(ws, lambda e: e["type"] == "batch_finished")
    kinds = Counter(e["type"] for e in events if e.get("batch_id") == batch_id)
    assert kinds["batch_added"] == 1
    assert kinds["photo_finished"] == 4
    assert kinds["batch_finished"] == 1
    finished = events[-1]
    assert finished["status"] == "completed"
    assert finished["batch"]["processed_count"] == 4
    assert finished["batch"]["progress_percent"] == 100.0
    photo_events = [e for e in events if e["type"] == "photo_finished"]
    assert {e["state"] for e in photo_events} == {"done"}
    assert all(isinstance(e["photo_id"], int) for e in photo_events)
    changed = [e for e in events if e["type"] == "batch_changed"]
    assert changed and all(e["batch"]["batch_id"] == batch_id for e in changed)


async def test_closing_the_server_closes_listeners(
    controller: BatchController, qt_pump: None
) -> None:
    server = ApiServer(controller, TOKEN, 0)
    await server.start()
    async with aiohttp.ClientSession() as session:
        ws = await session.ws_connect(f"{server.url}/batch/events", headers=AUTH)
        receiving = asyncio.create_task(ws.receive(timeout=10))
        await server.stop()
        message = await receiving
        assert message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
        assert ws.close_code == aiohttp.WSCloseCode.GOING_AWAY
        await ws.close()


async def test_fifty_pollers_and_a_listener_during_running_batches(
    api: TestClient, photos: Callable[..., list[Path]], tmp_path: Path, gate: GatedDevelop
) -> None:
    """Every poll answers 200, and every batch_finished reaches the listener exactly once.

    The photos are held until every poller is polling, so the polls overlap the running.
    """
    folders = []
    for n in range(3):
        photos(6, folder=f"busy{n}", prefix=f"b{n}")
        folders.append(str(tmp_path / f"busy{n}"))
    gate.close()
    async with api.ws_connect("/batch/events") as ws:
        batch_ids = []
        for folder in folders:
            response = await api.post("/batch/start", json={"photo_paths": [folder]})
            assert response.status == 200
            batch_ids.append((await response.json())["batch_id"])
        finished = asyncio.Event()
        statuses: Counter[int] = Counter()
        states: Counter[str] = Counter()

        async def poll(n: int) -> int:
            polls = 0
            deadline = time.monotonic() + 60
            while not finished.is_set() or polls == 0:
                batch_id = batch_ids[(n + polls) % len(batch_ids)]
                response = await api.get(f"/batch/{batch_id}/status")
                body = await response.json()
                statuses[response.status] += 1
                states[body["status"]] += 1
                assert body["batch_id"] == batch_id
                polls += 1
                assert time.monotonic() < deadline, "the batches never finished"
                await asyncio.sleep(0.005)
            return polls

        pollers = [asyncio.create_task(poll(n)) for n in range(50)]
        await wait_until(lambda: statuses.total() >= 100, what="100 polls")
        gate.open()
        events: list[dict[str, Any]] = []
        done_ids: set[str] = set()
        while done_ids != set(batch_ids):
            event = await _next_event(ws, timeout=60)
            events.append(event)
            if event["type"] == "batch_finished":
                done_ids.add(event["batch_id"])
        finished.set()
        polls = await asyncio.gather(*pollers)
        # A marker after the finishes: anything sent before it has arrived once we see it.
        marker = await api.post(f"/batch/{batch_ids[0]}/priority", json={"priority": 99})
        assert marker.status == 200
        events += await _events_until(
            ws, lambda e: e["type"] == "batch_changed" and e["batch"]["priority"] == 99
        )
    assert set(statuses) == {200}
    assert states["running"] > 0, "the pollers never saw a batch running"
    assert min(polls) >= 1 and sum(polls) >= 50
    finishes = Counter(e["batch_id"] for e in events if e["type"] == "batch_finished")
    assert finishes == dict.fromkeys(batch_ids, 1)
    assert all(e["status"] == "completed" for e in events if e["type"] == "batch_finished")
    photo_events = Counter(e["batch_id"] for e in events if e["type"] == "photo_finished")
    assert photo_events == dict.fromkeys(batch_ids, 6)
