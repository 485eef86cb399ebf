"""The API of watched folders and templates, and what it refuses: commands to run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient

from junmai_gui.controller.batch_controller import BatchController
from tests.unit.api.helpers import wait_for_status


async def _json(response: Any) -> Any:
    return await response.json()


async def test_a_folder_is_watched_listed_paused_resumed_and_forgotten(
    api: TestClient, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    body = {"folder": str(inbox), "config": {"preset": "Identity"}, "name": "Tethered"}
    response = await api.post("/watch", json=body)
    assert response.status == 200, await response.text()
    watch = (await _json(response))["watch"]
    assert (watch["name"], watch["folder"], watch["paused"]) == ("Tethered", str(inbox), False)
    listed = await _json(await api.get("/watch"))
    assert listed["count"] == 1 and listed["watches"][0]["watch_id"] == watch["watch_id"]
    paused = await _json(await api.post(f"/watch/{watch['watch_id']}/pause"))
    assert paused["watch"]["paused"] is True
    resumed = await _json(await api.post(f"/watch/{watch['watch_id']}/resume"))
    assert resumed["watch"]["paused"] is False
    again = await api.post("/watch", json=body)
    assert again.status == 409 and "watched already" in (await _json(again))["detail"]
    removed = await api.delete(f"/watch/{watch['watch_id']}")
    assert (await _json(removed))["watch_id"] == watch["watch_id"]
    assert (await _json(await api.get("/watch")))["count"] == 0
    for method, path in (
        ("DELETE", "/watch/99"),
        ("POST", "/watch/99/pause"),
        ("POST", "/watch/x/resume"),
    ):
        gone = await api.request(method, path)
        assert gone.status == 404, path
    missing = await api.post("/watch", json={"folder": str(tmp_path / "nowhere")})
    assert missing.status == 404 and "There is no folder" in (await _json(missing))["detail"]


async def test_configs_that_carry_a_command_are_refused_with_a_sentence(
    api: TestClient, controller: BatchController, photos: Callable[..., list[Path]], tmp_path: Path
) -> None:
    """A token must never become a way to run programs on this computer."""
    command = {"action": "command", "command": ["rm", "-rf", str(tmp_path)]}
    config = {"preset": "Identity", "after": [{"action": "open_folder"}, command]}
    paths = [str(p) for p in photos(1)]
    started = await api.post("/batch/start", json={"photo_paths": paths, "config": config})
    assert started.status == 400
    detail = (await _json(started))["detail"]
    assert "only be set in the window or the settings file, never through the API" in detail
    watched = await api.post("/watch", json={"folder": str(tmp_path), "config": config})
    assert watched.status == 400 and "never through the API" in (await _json(watched))["detail"]
    sneaky = {"preset": "Identity", "after": [{"command": "touch /tmp/x"}]}
    refused = await api.post("/batch/start", json={"photo_paths": paths, "config": sneaky})
    assert refused.status == 400
    assert controller.batches() == [] and controller.watch_folders.watches() == []
    document = await _json(await api.get("/openapi.json"))
    actions = document["components"]["schemas"]["Config"]["properties"]["after"]["items"]
    assert "command" not in str(actions)


async def test_a_batch_starts_from_a_template_saved_in_the_window(
    api: TestClient, controller: BatchController, photos: Callable[..., list[Path]]
) -> None:
    controller.templates.save(
        "Web", {"preset": "Identity", "outputs": [{}, {"format": "png", "subfolder": "png"}]}
    )
    listed = await _json(await api.get("/templates"))
    assert [t["name"] for t in listed["templates"]] == ["Web"] and listed["count"] == 1
    paths = [str(p) for p in photos(2)]
    started = await _json(
        await api.post("/batch/start", json={"photo_paths": paths, "template": "web"})
    )
    await wait_for_status(api, started["batch_id"], "completed")
    page = await _json(await api.get(f"/batch/{started['batch_id']}/photos"))
    assert [len(p["output_paths"]) for p in page["photos"]] == [2, 2]
    assert all(Path(p["output_paths"][1]).parent.name == "png" for p in page["photos"])
    unknown = await api.post("/batch/start", json={"photo_paths": paths, "template": "Print"})
    assert unknown.status == 404 and "no template named 'Print'" in (await _json(unknown))["detail"]
