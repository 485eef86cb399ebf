"""The endpoints beyond the AutoDev contract, against the real controller, store and photos."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient

from junmai_gui import __version__
from tests.unit.api.helpers import GatedDevelop, make_broken_photo, wait_for_status


async def _json(response: Any, status: int = 200) -> Any:
    body = await response.json()
    assert response.status == status, body
    return body


async def test_import_takes_files_and_folders_and_names_what_it_refused(
    api: TestClient, photos: Callable[..., list[Path]], tmp_path: Path
) -> None:
    files = photos(3, folder="shoot/day1")
    photos(2, folder="shoot/day2", prefix="other")
    note = tmp_path / "shoot" / "notes.txt"
    note.write_text("not a photo")
    missing = tmp_path / "nowhere.jpg"
    body = await _json(
        await api.post(
            "/photos/import",
            json={"paths": [str(tmp_path / "shoot"), str(files[0]), str(missing)]},
        )
    )
    assert set(body) == {"photo_ids", "rejected"}
    assert len(set(body["photo_ids"])) == 5  # the folder recursively; files[0] only once
    rejected = {r["path"]: r["reason"] for r in body["rejected"]}
    assert str(missing) in rejected and rejected[str(missing)]
    assert all(set(r) == {"path", "reason"} for r in body["rejected"])
    again = await _json(await api.post("/photos/import", json={"paths": [str(files[1])]}))
    assert again["photo_ids"][0] in body["photo_ids"]  # idempotent


async def test_import_refuses_relative_paths_whole_disks_and_empty_lists(api: TestClient) -> None:
    for paths in (["photos/a.jpg"], ["/"], [], [""], "/photos", [3], ["/a\x00b"]):
        body = await _json(await api.post("/photos/import", json={"paths": paths}), 400)
        assert body["error"] == "Failed to import photos" and body["detail"]
    assert (await _json(await api.post("/photos/import", json={}), 400))["detail"]


async def test_start_with_photo_paths_name_priority_and_not_started(
    api: TestClient, photos: Callable[..., list[Path]], tmp_path: Path
) -> None:
    photos(3, folder="wedding")
    readme = tmp_path / "readme.txt"
    readme.write_text("hello")
    body = await _json(
        await api.post(
            "/batch/start",
            json={
                "photo_paths": [str(tmp_path / "wedding"), str(readme)],
                "config": {
                    "preset": "WhiteLayer_v4",
                    "blend": 60,
                    "output_dir": str(tmp_path / "o"),
                },
                "name": "Wedding",
                "priority": 5,
                "start": False,
            },
        )
    )
    assert body["message"] == "Batch created"
    assert body["photo_count"] == 3
    assert [Path(r["path"]).name for r in body["rejected"]] == ["readme.txt"]
    status = await _json(await api.get(f"/batch/{body['batch_id']}/status"))
    assert status["status"] == "pending"
    assert status["name"] == "Wedding" and status["priority"] == 5
    assert status["config"]["output_dir"] == str(tmp_path / "o")
    await _json(await api.post(f"/batch/{body['batch_id']}/resume"))
    done = await wait_for_status(api, body["batch_id"], "completed")
    assert done["processed_count"] == 3
    assert len(list((tmp_path / "o").glob("*.jpg"))) == 3


async def test_start_refuses_bad_requests_with_400_and_creates_nothing(
    api: TestClient, photos: Callable[..., list[Path]], tmp_path: Path
) -> None:
    ids = (await _json(await api.post("/photos/import", json={"paths": [str(photos(1)[0])]})))[
        "photo_ids"
    ]
    bad: list[Any] = [
        {},
        {"photo_ids": []},
        {"photo_ids": "1"},
        {"photo_ids": [1.5]},
        {"photo_ids": [True]},
        {"photo_ids": ids, "config": {"preset": "No Such Preset"}},
        {"photo_ids": ids, "config": {"preset": "WhiteLayer_v4", "blend": 150}},
        {"photo_ids": ids, "config": {"preset": "WhiteLayer_v4", "blend": -1}},
        {"photo_ids": ids, "config": {"preset": "WhiteLayer_v4", "output_dir": "relative"}},
        {"photo_ids": ids, "config": "WhiteLayer_v4"},
        {"photo_ids": ids, "session_id": "123"},
        {"photo_ids": ids, "priority": 10**30},
        {"photo_ids": ids, "start": "yes"},
        {"photo_paths": [str(tmp_path / "nothing-here")]},
        {"photo_paths": ["relative/folder"]},
        [1, 2],
    ]
    for body in bad:
        answer = await _json(await api.post("/batch/start", json=body), 400)
        assert answer["error"] == "Failed to start batch", body
        assert answer["detail"], body
    unknown = await _json(await api.post("/batch/start", json={"photo_ids": [999_999]}), 404)
    assert "999999" in unknown["detail"]
    preset = await _json(
        await api.post("/batch/start", json={"photo_ids": ids, "config": {"preset": "Nope"}}), 400
    )
    assert "Nope" in preset["detail"]
    blend = await _json(
        await api.post(
            "/batch/start", json={"photo_ids": ids, "config": {"preset": "Identity", "blend": 150}}
        ),
        400,
    )
    assert "150" in blend["detail"]
    assert (await _json(await api.get("/batch/list")))["count"] == 0


async def test_bad_json_is_400(api: TestClient) -> None:
    for raw in (b"{", b"[1,", b'{"photo_ids": NaN}', b"\xff\xfe"):
        response = await api.post(
            "/batch/start", data=raw, headers={"Content-Type": "application/json"}
        )
        body = await _json(response, 400)
        assert body["error"] == "Failed to start batch"


async def test_retry_failed_redoes_only_the_failures(
    api: TestClient, photos: Callable[..., list[Path]], tmp_path: Path
) -> None:
    folder = tmp_path / "mixed"
    photos(2, folder="mixed")
    broken = make_broken_photo(folder)
    started = await _json(await api.post("/batch/start", json={"photo_paths": [str(folder)]}))
    batch_id = started["batch_id"]
    done = await wait_for_status(api, batch_id, "completed")
    assert done["processed_count"] == 2 and done["failed_count"] == 1
    failed = await _json(await api.get(f"/batch/{batch_id}/photos?state=failed"))
    assert failed["total"] == 1
    assert failed["photos"][0]["source_path"] == str(broken.resolve())
    assert "broken.jpg" in failed["photos"][0]["error"]
    retried = await _json(await api.post(f"/batch/{batch_id}/retry-failed"))
    assert retried == {
        "message": "Retrying failed photos",
        "batch_id": batch_id,
        "retried_count": 1,
    }
    again = await wait_for_status(api, batch_id, "completed")
    assert again["processed_count"] == 2 and again["failed_count"] == 1


async def test_retry_failed_without_failures_is_409(
    api: TestClient, photos: Callable[..., list[Path]], tmp_path: Path
) -> None:
    photos(1, folder="ok")
    started = await _json(
        await api.post("/batch/start", json={"photo_paths": [str(tmp_path / "ok")]})
    )
    await wait_for_status(api, started["batch_id"], "completed")
    body = await _json(await api.post(f"/batch/{started['batch_id']}/retry-failed"), 409)
    assert body["error"] == "Failed to retry failed photos"
    assert body["batch_id"] == started["batch_id"]
    assert (await _json(await api.post("/batch/batch_000000000000/retry-failed"), 404))["detail"]


async def test_priority(api: TestClient, photos: Callable[..., list[Path]], tmp_path: Path) -> None:
    photos(1, folder="p")
    started = await _json(
        await api.post("/batch/start", json={"photo_paths": [str(tmp_path / "p")], "start": False})
    )
    batch_id = started["batch_id"]
    body = await _json(await api.post(f"/batch/{batch_id}/priority", json={"priority": 8}))
    assert body == {"message": "Batch priority updated", "batch_id": batch_id, "priority": 8}
    assert (await _json(await api.get(f"/batch/{batch_id}/status")))["priority"] == 8
    for bad in ({}, {"priority": "8"}, {"priority": 1.5}, {"priority": 10**12}):
        answer = await _json(await api.post(f"/batch/{batch_id}/priority", json=bad), 400)
        assert answer["error"] == "Failed to set batch priority"
    missing = await _json(
        await api.post("/batch/batch_000000000000/priority", json={"priority": 1}), 404
    )
    assert missing["batch_id"] == "batch_000000000000"


async def test_merge(api: TestClient, photos: Callable[..., list[Path]], tmp_path: Path) -> None:
    photos(2, folder="a", prefix="a")
    photos(3, folder="b", prefix="b")
    out = str(tmp_path / "merged-out")
    ids = []
    for folder in ("a", "b"):
        body = await _json(
            await api.post(
                "/batch/start",
                json={
                    "photo_paths": [str(tmp_path / folder)],
                    "config": {"preset": "Identity", "output_dir": out},
                    "start": False,
                },
            )
        )
        ids.append(body["batch_id"])
    merged = await _json(await api.post("/batch/merge", json={"batch_ids": ids}))
    assert merged["message"] == "Batches merged successfully"
    assert merged["merged_batch_ids"] == ids
    status = await _json(await api.get(f"/batch/{merged['batch_id']}/status"))
    assert status["total_photos"] == 5 and status["status"] == "pending"
    for original in ids:
        assert (await _json(await api.get(f"/batch/{original}/status")))["status"] == "cancelled"
    conflict = await _json(await api.post("/batch/merge", json={"batch_ids": ids}), 409)
    assert conflict["error"] == "Failed to merge batches"
    for bad in ({"batch_ids": ids[:1]}, {"batch_ids": "x"}, {}):
        assert (await _json(await api.post("/batch/merge", json=bad), 400))["detail"]
    unknown = {"batch_ids": [merged["batch_id"], "batch_000000000000"]}
    assert (await _json(await api.post("/batch/merge", json=unknown), 404))["detail"]


async def test_photos_are_paged_with_state_error_and_output_path(
    api: TestClient, photos: Callable[..., list[Path]], tmp_path: Path, gate: GatedDevelop
) -> None:
    photos(5, folder="pg")
    started = await _json(
        await api.post("/batch/start", json={"photo_paths": [str(tmp_path / "pg")]})
    )
    batch_id = started["batch_id"]
    await wait_for_status(api, batch_id, "completed")
    page = await _json(await api.get(f"/batch/{batch_id}/photos?offset=1&limit=2"))
    assert page["total"] == 5 and page["offset"] == 1 and page["limit"] == 2
    assert [p["position"] for p in page["photos"]] == sorted(p["position"] for p in page["photos"])
    assert len(page["photos"]) == 2
    photo = page["photos"][0]
    assert set(photo) == {
        "photo_id", "position", "source_path", "state", "attempts", "error", "output_path",
        "output_paths", "finished_at", "developed_by",
    }  # fmt: skip
    assert photo["state"] == "done" and photo["error"] is None and photo["attempts"] == 1
    assert photo["developed_by"] == "local"
    assert Path(photo["output_path"]).is_file()
    done = await _json(await api.get(f"/batch/{batch_id}/photos?state=done&limit=1000"))
    assert done["total"] == 5 and len(done["photos"]) == 5 and done["state"] == "done"
    assert (await _json(await api.get(f"/batch/{batch_id}/photos?state=failed")))["photos"] == []
    for query in ("state=lost", "limit=0", "limit=1001", "offset=-1", "offset=x"):
        body = await _json(await api.get(f"/batch/{batch_id}/photos?{query}"), 400)
        assert body["error"] == "Failed to list batch photos" and body["batch_id"] == batch_id
    assert (await _json(await api.get("/batch/batch_000000000000/photos"), 404))["detail"]


async def test_presets_metrics_health(api: TestClient, photos: Callable[..., list[Path]]) -> None:
    presets = await _json(await api.get("/presets"))
    names = [p["name"] for p in presets["presets"]]
    assert "WhiteLayer_v4" in names and presets["count"] == len(names)
    metrics = await _json(await api.get("/metrics"))
    for key in (
        "batches_started", "average_completion_seconds", "success_rate",
        "pause_resume_frequency", "recovery_success_rate",
    ):  # fmt: skip
        assert key in metrics
    health = await _json(await api.get("/health"))
    assert health["status"] == "ok" and health["version"] == __version__
    # developed on this computer only: no farm to report
    assert await _json(await api.get("/farm")) == {"connected": False, "workers": [], "queued": 0}


async def test_unknown_routes_and_methods_answer_json(api: TestClient) -> None:
    body = await _json(await api.get("/nothing"), 404)
    assert body["error"]
    response = await api.get("/batch/start")
    assert response.status == 405
    assert (await response.json())["error"]
    assert "POST" in response.headers["Allow"]
    assert "Access-Control-Allow-Origin" not in response.headers
