"""The AutoDev contract's endpoints against the real controller: its examples, field for field."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient

from junmai_gui.controller.batch_controller import BatchController
from junmai_gui.domain.clock import new_batch_id, to_iso, utc_now, utc_now_iso
from junmai_gui.domain.status import BatchStatus
from junmai_gui.store.database import Store
from junmai_gui.store.records import NewBatch, NewBatchPhoto
from tests.unit.api.helpers import (
    AUTODEV_LIST_KEYS,
    AUTODEV_STATUS_KEYS,
    GatedDevelop,
    wait_for_status,
)

ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
BATCH_ID = re.compile(r"^batch_[0-9a-f]{12}$")


async def _json(response: Any, status: int = 200) -> Any:
    body = await response.json()
    assert response.status == status, body
    return body


async def import_ids(api: TestClient, paths: list[Path]) -> list[int]:
    body = await _json(await api.post("/photos/import", json={"paths": [str(p) for p in paths]}))
    return list(body["photo_ids"])


async def status_of(api: TestClient, batch_id: str) -> dict[str, Any]:
    return dict(await _json(await api.get(f"/batch/{batch_id}/status")))


async def test_start_pause_resume_status_as_in_the_autodev(
    api: TestClient, photos: Callable[..., list[Path]], gate: GatedDevelop
) -> None:
    ids = await import_ids(api, photos(5))
    gate.close()
    response = await api.post(
        "/batch/start",
        json={
            "photo_ids": ids,
            "session_id": 123,
            "config": {"preset": "WhiteLayer_v4", "blend": 60},
        },
    )
    started = await _json(response)
    assert set(started) == {"message", "batch_id", "photo_count"}
    assert started["message"] == "Batch processing started"
    assert BATCH_ID.match(started["batch_id"])
    assert started["photo_count"] == 5
    batch_id = started["batch_id"]

    status = await status_of(api, batch_id)
    assert set(status) >= AUTODEV_STATUS_KEYS
    assert status["batch_id"] == batch_id
    assert status["session_id"] == 123
    assert status["status"] == "running"
    assert status["total_photos"] == 5
    assert status["processed_count"] == 0
    assert status["failed_count"] == 0
    assert status["progress_percent"] == 0.0
    assert ISO_Z.match(status["created_at"]) and ISO_Z.match(status["started_at"])
    assert status["paused_at"] is None and status["completed_at"] is None
    assert status["config"]["preset"] == "WhiteLayer_v4" and status["config"]["blend"] == 60

    paused = await _json(await api.post(f"/batch/{batch_id}/pause"))
    assert paused == {"message": "Batch paused successfully", "batch_id": batch_id}
    status = await status_of(api, batch_id)
    assert status["status"] == "paused" and ISO_Z.match(status["paused_at"])
    assert status["pause_reason"] == "user"

    again = await _json(await api.post(f"/batch/{batch_id}/pause"), 409)
    assert again["error"] == "Failed to pause batch"
    assert again["batch_id"] == batch_id
    assert "paused" in again["detail"]

    resumed = await _json(await api.post(f"/batch/{batch_id}/resume"))
    assert resumed == {"message": "Batch resumed successfully", "batch_id": batch_id}
    conflict = await _json(await api.post(f"/batch/{batch_id}/resume"), 409)
    assert conflict["error"] == "Failed to resume batch" and conflict["batch_id"] == batch_id

    gate.open()
    final = await wait_for_status(api, batch_id, "completed")
    assert final["processed_count"] == 5 and final["failed_count"] == 0
    assert final["progress_percent"] == 100.0
    assert ISO_Z.match(final["completed_at"])
    for record in (await _json(await api.get(f"/batch/{batch_id}/photos")))["photos"]:
        assert Path(record["output_path"]).is_file()


async def test_list_is_the_autodev_list(
    api: TestClient, photos: Callable[..., list[Path]], gate: GatedDevelop
) -> None:
    gate.close()
    ids = await import_ids(api, photos(3))
    first = (await _json(await api.post("/batch/start", json={"photo_ids": ids})))["batch_id"]
    second = (await _json(await api.post("/batch/start", json={"photo_ids": ids[:2]})))["batch_id"]
    await _json(await api.post(f"/batch/{second}/pause"))
    listed = await _json(await api.get("/batch/list"))
    assert set(listed) == {"batches", "count"}
    assert listed["count"] == 2
    assert [b["batch_id"] for b in listed["batches"]] == [first, second]
    for entry in listed["batches"]:
        assert set(entry) >= AUTODEV_LIST_KEYS
    assert listed["batches"][0]["status"] == "running"
    assert listed["batches"][1]["status"] == "paused"
    assert listed["batches"][1]["total_photos"] == 2
    assert listed["batches"][1]["progress_percent"] == 0.0


async def test_start_without_config_uses_the_default_preset(
    api: TestClient, photos: Callable[..., list[Path]]
) -> None:
    """The AutoDev contract's Python client sends photo_ids and session_id only."""
    ids = await import_ids(api, photos(2))
    started = await _json(
        await api.post("/batch/start", json={"photo_ids": ids, "session_id": 123})
    )
    status = await status_of(api, started["batch_id"])
    assert status["config"]["preset"] == "WhiteLayer_v4"


async def test_cancel_as_in_the_autodev(
    api: TestClient, photos: Callable[..., list[Path]], gate: GatedDevelop
) -> None:
    gate.close()
    ids = await import_ids(api, photos(2))
    batch_id = (await _json(await api.post("/batch/start", json={"photo_ids": ids})))["batch_id"]
    cancelled = await _json(await api.post(f"/batch/{batch_id}/cancel"))
    assert cancelled == {"message": "Batch cancelled successfully", "batch_id": batch_id}
    assert (await status_of(api, batch_id))["status"] == "cancelled"
    again = await _json(await api.post(f"/batch/{batch_id}/cancel"), 409)
    assert again["error"] == "Failed to cancel batch" and again["batch_id"] == batch_id


async def test_unknown_batch_is_404_with_the_autodev_error(api: TestClient) -> None:
    for verb in ("pause", "resume", "cancel"):
        body = await _json(await api.post(f"/batch/batch_000000000000/{verb}"), 404)
        assert body["error"] == f"Failed to {verb} batch"
        assert body["batch_id"] == "batch_000000000000"
        assert body["detail"]
    body = await _json(await api.get("/batch/batch_000000000000/status"), 404)
    assert body["batch_id"] == "batch_000000000000"


async def test_recover_pauses_a_batch_left_running_by_a_crash(
    store: Store, controller: BatchController, api: TestClient, photos: Callable[..., list[Path]]
) -> None:
    photo_ids = store.add_photos([str(p) for p in photos(2)])
    batch_id = new_batch_id()
    store.create_batch(
        NewBatch(
            batch_id=batch_id,
            name="",
            session_id=None,
            priority=0,
            config={"preset": "WhiteLayer_v4", "blend": 60},
            status=BatchStatus.RUNNING,
            photos=[NewBatchPhoto(pid, "") for pid in photo_ids],
            created_at=utc_now_iso(),
        )
    )
    controller.batches()  # the controller has not seen it: it was "left by the last run"
    body = await _json(await api.post("/batch/recover"))
    assert set(body) == {"message", "recovered_count", "failed_count", "timestamp"}
    assert body["message"] == "Batch recovery completed"
    assert body["failed_count"] == 0
    assert ISO_Z.match(body["timestamp"])
    assert body["recovered_count"] == 1
    status = await status_of(api, batch_id)
    assert status["status"] == "paused" and status["pause_reason"] == "interrupted"


async def test_cleanup_as_in_the_autodev(
    api: TestClient, photos: Callable[..., list[Path]], data_dir: Path
) -> None:
    ids = await import_ids(api, photos(1))
    old = (await _json(await api.post("/batch/start", json={"photo_ids": ids})))["batch_id"]
    fresh = (await _json(await api.post("/batch/start", json={"photo_ids": ids})))["batch_id"]
    await wait_for_status(api, old, "completed")
    await wait_for_status(api, fresh, "completed")
    with sqlite3.connect(data_dir / "batches.sqlite3") as conn:  # it finished ten days ago
        conn.execute(
            "UPDATE batches SET completed_at = ? WHERE batch_id = ?",
            (to_iso(utc_now() - timedelta(days=10)), old),
        )
    cleaned = await _json(await api.post("/batch/cleanup", json={"days_old": 7}))
    assert cleaned == {"message": "Batch cleanup completed", "cleaned_count": 1, "days_old": 7}
    listed = await _json(await api.get("/batch/list"))
    assert [b["batch_id"] for b in listed["batches"]] == [fresh]
    again = await _json(await api.post("/batch/cleanup"))
    assert again == {"message": "Batch cleanup completed", "cleaned_count": 0, "days_old": 7}


async def test_cleanup_takes_days_never_a_path(api: TestClient) -> None:
    for body in (
        {"path": "/tmp"},
        {"days_old": 7, "folder": "/"},
        {"days_old": "7"},
        {"days_old": -1},
        {"days_old": True},
        {"days_old": 7.5},
    ):
        answer = await _json(await api.post("/batch/cleanup", json=body), 400)
        assert answer["error"] == "Failed to clean up batches"
