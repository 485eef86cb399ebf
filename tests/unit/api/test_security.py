"""The API's locks: every endpoint × token × Host × Origin × content type, and the body cap.

Only a request with the right token, a loopback Host with our port, no foreign Origin and
(for POST) a JSON body reaches a handler; after every refused request the whole store, read
table by table, is byte-for-byte what it was.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from junmai_gui.controller.batch_controller import BatchController
from tests.unit.api.conftest import TOKEN
from tests.unit.api.helpers import (
    GatedDevelop,
    StoreSnapshots,
    make_broken_photo,
    wait_for_status,
)

TOKENS = {"missing": None, "wrong": "Bearer not-the-token", "right": f"Bearer {TOKEN}"}
CONTENT = {
    "json": "application/json",
    "form": "application/x-www-form-urlencoded",
    "text": "text/plain",
}


async def _world(api: TestClient, tmp_path: Path, photos: Callable[..., list[Path]],
                 gate: GatedDevelop) -> dict[str, Any]:  # fmt: skip
    """Batches in every state a good request needs: running, paused, pending, failed photos."""
    headers = {"Authorization": f"Bearer {TOKEN}"}

    async def post(path: str, body: Any = None) -> Any:
        response = await api.post(path, json=body, headers=headers)
        data = await response.json()
        assert response.status == 200, data
        return data

    photos(2, folder="f")
    make_broken_photo(tmp_path / "f")
    failed = (await post("/batch/start", {"photo_paths": [str(tmp_path / "f")]}))["batch_id"]
    await wait_for_status(api, failed, "completed", headers=headers)
    gate.close()
    ids = (await post("/photos/import", {"paths": [str(p) for p in photos(3, folder="w")]}))[
        "photo_ids"
    ]
    world = {"ids": ids, "failed": failed, "new_photo": str(photos(1, folder="later")[0])}
    for key in ("running", "paused"):
        world[key] = (await post("/batch/start", {"photo_ids": ids}))["batch_id"]
    await post(f"/batch/{world['paused']}/pause")
    for key in ("pending", "merge1", "merge2", "prio"):
        world[key] = (await post("/batch/start", {"photo_ids": ids, "start": False}))["batch_id"]
    return world


def _endpoints(w: dict[str, Any]) -> list[tuple[str, str, Any, int]]:
    """(method, path, JSON body, status of the good request)."""
    return [
        ("POST", "/batch/start", {"photo_ids": w["ids"], "start": False}, 200),
        ("POST", f"/batch/{w['running']}/pause", None, 200),
        ("POST", f"/batch/{w['paused']}/resume", None, 200),
        ("POST", f"/batch/{w['pending']}/cancel", None, 200),
        ("GET", f"/batch/{w['running']}/status", None, 200),
        ("GET", "/batch/list", None, 200),
        ("POST", "/batch/recover", None, 200),
        ("POST", "/batch/cleanup", {"days_old": 7}, 200),
        ("POST", "/batch/merge", {"batch_ids": [w["merge1"], w["merge2"]]}, 200),
        ("POST", f"/batch/{w['failed']}/retry-failed", None, 200),
        ("POST", f"/batch/{w['prio']}/priority", {"priority": 3}, 200),
        ("GET", f"/batch/{w['running']}/photos", None, 200),
        ("POST", "/photos/import", {"paths": [w["new_photo"]]}, 200),
        ("GET", "/presets", None, 200),
        ("GET", "/metrics", None, 200),
        ("GET", "/health", None, 200),
        ("GET", "/openapi.json", None, 200),
        ("GET", "/batch/events", None, 400),  # good, but a plain GET is not a WebSocket upgrade
    ]


def _expected(method: str, token: str, host: str, origin: str, ctype: str, good: int) -> int:
    if host == "evil" or origin == "evil":
        return 403
    if token != "right":
        return 401
    if method == "POST" and ctype != "json":
        return 415
    return good


def _body(ctype: str, body: Any) -> bytes:
    if ctype == "form":
        return b"days_old=7&paths=%2F"
    return json.dumps(body if body is not None else {}).encode()


async def test_only_the_all_good_combination_acts(
    bare_api: TestClient,
    tmp_path: Path,
    data_dir: Path,
    photos: Callable[..., list[Path]],
    gate: GatedDevelop,
    controller: BatchController,
) -> None:
    api = bare_api
    world = await _world(api, tmp_path, photos, gate)
    port = api.port
    hosts = {"good": f"127.0.0.1:{port}", "evil": f"evil.example:{port}"}
    origins = {"absent": None, "good": f"http://localhost:{port}", "evil": "http://evil.example"}
    snapshots = StoreSnapshots(data_dir / "batches.sqlite3")
    checked = 0
    for method, path, body, good in _endpoints(world):
        acted = False
        combos = sorted(
            itertools.product(TOKENS, hosts, origins, CONTENT),
            key=lambda c: _expected(method, *c, good=good) == good,  # refusals first
        )
        for token, host, origin, ctype in combos:
            expected = _expected(method, token, host, origin, ctype, good)
            headers = {"Host": hosts[host], "Content-Type": CONTENT[ctype]}
            if TOKENS[token]:
                headers["Authorization"] = str(TOKENS[token])
            if origins[origin]:
                headers["Origin"] = str(origins[origin])
            data = _body(ctype, body) if method == "POST" else None
            before = snapshots.take()
            response = await api.request(method, path, data=data, headers=headers)
            answer = await response.json()
            label = f"{method} {path} token={token} host={host} origin={origin} {ctype}"
            assert "Access-Control-Allow-Origin" not in response.headers, label
            if expected != good:
                assert response.status == expected, (label, answer)
                assert "error" in answer, label
                assert snapshots.take() == before, f"a refused request changed the store: {label}"
            elif method == "POST" and acted:
                # The same good request again: past the locks, the batch may have moved on.
                assert response.status not in (401, 403, 413, 415), (label, answer)
            else:
                assert response.status == good, (label, answer)
                acted = True
            checked += 1
    snapshots.close()
    assert checked == 18 * 54


@pytest.mark.parametrize(
    "host",
    [
        "evil.example:{port}",
        "127.0.0.1:1",
        "127.0.0.1",
        "localhost",
        "localhost.evil.example:{port}",
        "127.0.0.2:{port}",
        "0.0.0.0:{port}",
        "",
    ],
)
async def test_host_must_be_loopback_with_our_port(bare_api: TestClient, host: str) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}", "Host": host.format(port=bare_api.port)}
    response = await bare_api.get("/health", headers=headers)
    assert response.status == 403


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}"])
async def test_every_loopback_name_is_accepted(bare_api: TestClient, host: str) -> None:
    name = host.format(port=bare_api.port)
    headers = {"Authorization": f"Bearer {TOKEN}", "Host": name, "Origin": f"http://{name}"}
    response = await bare_api.get("/health", headers=headers)
    assert response.status == 200


@pytest.mark.parametrize(
    "origin", ["null", "http://evil.example", "http://127.0.0.1:1", "https://127.0.0.1:{port}",
               "http://127.0.0.1:{port}.evil.example", "file://"],
)  # fmt: skip
async def test_foreign_origins_are_refused(bare_api: TestClient, origin: str) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}", "Origin": origin.format(port=bare_api.port)}
    assert (await bare_api.get("/health", headers=headers)).status == 403


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer ", f"Basic {TOKEN}", f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}",
     TOKEN],
)  # fmt: skip
async def test_token_only_as_bearer_header(bare_api: TestClient, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization is not None else {}
    response = await bare_api.get("/health", headers=headers)
    assert response.status == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert TOKEN not in await response.text()


async def test_token_in_the_url_is_never_accepted(bare_api: TestClient) -> None:
    for query in (f"token={TOKEN}", f"access_token={TOKEN}", f"api_key={TOKEN}"):
        assert (await bare_api.get(f"/health?{query}")).status == 401
    good = await bare_api.get("/health", headers={"Authorization": f"Bearer {TOKEN}"})
    assert good.status == 200


async def test_bodies_over_one_mib_are_413(api: TestClient) -> None:
    big = json.dumps({"paths": ["/x" * 10] * 60_000}).encode()
    assert len(big) > 1024 * 1024
    response = await api.post(
        "/photos/import", data=big, headers={"Content-Type": "application/json"}
    )
    assert response.status == 413
    assert (await response.json())["error"]

    async def chunks() -> Any:  # no Content-Length: the cap applies while reading
        for start in range(0, len(big), 65536):
            yield big[start : start + 65536]

    response = await api.post(
        "/photos/import", data=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status == 413
    assert (await response.json())["error"]


async def test_bodyless_post_needs_no_content_type_but_a_form_is_refused(
    api: TestClient, photos: Callable[..., list[Path]], tmp_path: Path
) -> None:
    photos(1, folder="x")
    response = await api.post(
        "/batch/start", json={"photo_paths": [str(tmp_path / "x")], "start": False}
    )
    batch_id = (await response.json())["batch_id"]
    for ctype in ("application/x-www-form-urlencoded", "text/plain", "multipart/form-data"):
        refused = await api.post(f"/batch/{batch_id}/cancel", headers={"Content-Type": ctype})
        assert refused.status == 415
    assert (await api.post(f"/batch/{batch_id}/cancel")).status == 200
