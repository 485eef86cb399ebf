"""Requests that once answered 500, or that the server and /openapi.json disagreed on: each is
now a 4xx with a sentence, as the document says, and changes nothing.

From the red-team report: a non-ASCII Authorization header, a naming template with an
unknown or unbounded format, JSON nested 900+ levels, "/tmp/.." as a photo folder, output to
/proc, and the five places schemathesis found the document and the server disagreeing.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from tests.photos import make_photos
from tests.unit.api.conftest import TOKEN


async def raw_request(client: TestClient, head: bytes, body: bytes = b"") -> tuple[int, bytes]:
    """Send bytes no HTTP library would send; return the status and the body of the answer."""
    reader, writer = await asyncio.open_connection("127.0.0.1", client.port)
    try:
        host = f"Host: 127.0.0.1:{client.port}\r\n".encode()
        length = f"Content-Length: {len(body)}\r\n".encode() if body else b""
        writer.write(head + host + length + b"Connection: close\r\n\r\n" + body)
        answer = await asyncio.wait_for(reader.read(), 10)
    finally:
        writer.close()
    status_line, _, rest = answer.partition(b"\r\n")
    return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2]


@pytest.mark.parametrize(
    "authorization",
    [b"Bearer \xea", b"Bearer " + TOKEN.encode() + b"\xff", b"Bearer \xc3\xaa", b"\xea"],
)
async def test_a_non_ascii_authorization_header_is_401(
    bare_api: TestClient, authorization: bytes
) -> None:
    status, body = await raw_request(
        bare_api, b"GET /health HTTP/1.1\r\nAuthorization: " + authorization + b"\r\n"
    )
    assert status == 401
    assert "API token" in json.loads(body)["error"]


async def start(api: TestClient, body: Any) -> tuple[int, dict[str, Any]]:
    response = await api.post("/batch/start", json=body)
    return response.status, await response.json()


@pytest.mark.parametrize(
    ("naming", "reason"),
    [
        ("{stem}{date:%c}", "has a format Junmai does not understand"),
        ("{stem}{seq:>99999999999999999999}", "asks for a width of 99999999999999999999"),
        ("{stem}{seq:>300000000}", "asks for a width of 300000000; at most 200"),
    ],
)
async def test_a_naming_template_with_a_bad_format_is_400(
    api: TestClient, photos: Callable[..., list[Path]], naming: str, reason: str
) -> None:
    paths = [str(p) for p in photos(2)]
    status, body = await start(
        api, {"photo_paths": paths, "config": {"preset": "WhiteLayer_v4", "naming": naming}}
    )
    assert status == 400
    assert reason in body["detail"]
    assert (await (await api.get("/batch/list")).json())["count"] == 0


@pytest.mark.parametrize("depth", [900, 5_000, 200_000])
async def test_json_nested_deeply_is_400(api: TestClient, depth: int) -> None:
    nested = b'{"photo_ids": [1], "config": ' + b"[" * depth + b"]" * depth + b"}"
    response = await api.post(
        "/batch/start", data=nested, headers={"Content-Type": "application/json"}
    )
    assert response.status == 400
    assert "nested too deeply" in (await response.json())["detail"]


async def test_a_folder_that_resolves_to_the_whole_disk_is_refused(
    api: TestClient, tmp_path: Path
) -> None:
    for path in ("/", "/tmp/..", f"{tmp_path}/../../../../../../../..", "//"):
        status, body = await start(api, {"photo_paths": [path]})
        assert status == 400, path
        assert "not the whole disk" in body["detail"]
        response = await api.post("/photos/import", json={"paths": [path]})
        assert response.status == 400, path


async def test_output_to_a_folder_that_takes_no_file_is_400_with_the_reason(
    api: TestClient, photos: Callable[..., list[Path]]
) -> None:
    paths = [str(p) for p in photos(1)]
    status, body = await start(
        api, {"photo_paths": paths, "config": {"preset": "WhiteLayer_v4", "output_dir": "/proc"}}
    )
    assert status == 400
    assert "The output folder /proc is not a folder we can write to" in body["detail"]


# --- where schemathesis found /openapi.json and the server disagreeing --------------------


async def schema_of(api: TestClient, name: str) -> dict[str, Any]:
    document = await (await api.get("/openapi.json")).json()
    schema: dict[str, Any] = document["components"]["schemas"][name]
    return schema


async def test_events_without_an_upgrade_is_400_with_the_headers_documented(
    api: TestClient,
) -> None:
    document = await (await api.get("/openapi.json")).json()
    events = document["paths"]["/batch/events"]["get"]
    required = {p["name"] for p in events["parameters"] if p["required"]}
    assert required == {"Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version"}
    response = await api.get("/batch/events")
    assert response.status == 400
    assert "error" in await response.json()
    async with api.ws_connect("/batch/events") as ws:  # with them: the WebSocket
        assert not ws.closed


async def test_cleanup_with_a_body_that_is_not_json_is_400(api: TestClient) -> None:
    for body in (b" ", b"\n", b"x"):
        response = await api.post(
            "/batch/cleanup", data=body, headers={"Content-Type": "application/json"}
        )
        assert response.status == 400, body
    response = await api.post("/batch/cleanup")  # no body at all: the defaults
    assert response.status == 200


async def test_merge_ids_must_be_distinct_batch_ids_as_documented(api: TestClient) -> None:
    items = (await schema_of(api, "MergeRequest"))["properties"]["batch_ids"]
    assert items["uniqueItems"] is True and items["items"]["pattern"].startswith("^[A-Za-z0-9_-]")
    for ids in ([], ["", ""], ["a"]):
        response = await api.post("/batch/merge", json={"batch_ids": ids})
        assert response.status == 400, ids


async def test_start_needs_a_photo_as_documented(api: TestClient) -> None:
    schema = await schema_of(api, "StartRequest")
    assert {"required": ["photo_ids"], "properties": {"photo_ids": {"minItems": 1}}} in (
        schema["anyOf"]
    )
    status, body = await start(api, {"photo_ids": [], "photo_paths": []})
    assert status == 400
    assert "no photos" in body["detail"]


async def test_import_takes_absolute_paths_as_documented(api: TestClient) -> None:
    items = (await schema_of(api, "ImportRequest"))["properties"]["paths"]["items"]
    assert items["pattern"].startswith("^/")
    response = await api.post("/photos/import", json={"paths": ["photos/wedding"]})
    assert response.status == 400
    assert "relative" in (await response.json())["detail"]


@pytest.mark.skipif(os.name == "nt", reason="POSIX file names are bytes")
async def test_a_file_name_that_is_not_text_is_rejected_alone_and_the_batch_is_made(
    api: TestClient, tmp_path: Path
) -> None:
    """One name in another encoding used to answer 500 and refuse the whole folder (leaving
    an empty output folder behind): now that file is listed with a sentence, the others make
    the batch."""
    folder = tmp_path / "card"
    make_photos(folder, 2)
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.jpg"), "wb") as odd:
        odd.write(b"x")
    status, answer = await start(
        api, {"photo_paths": [str(folder)], "config": {"preset": "Identity"}, "start": False}
    )
    assert status == 200, answer
    assert answer["photo_count"] == 2
    ((rejected),) = answer["rejected"]
    assert "caf" in rejected["path"] and "not valid text" in rejected["reason"]


async def test_a_refused_batch_leaves_no_output_folder(api: TestClient, tmp_path: Path) -> None:
    make_photos(tmp_path / "in", 1)
    target = tmp_path / "developed" / "wedding"
    body = {
        "photo_paths": [str(tmp_path / "in")],
        "config": {"preset": "Identity", "output_dir": str(target), "format": "gif"},
    }
    status, answer = await start(api, body)
    assert status == 400 and "Unknown output format" in answer["detail"]
    assert not (tmp_path / "developed").exists()
