"""schemathesis against `/openapi.json`: generated requests, no 5xx, answers match the schema.

The server is the in-process app on a real loopback port; schemathesis (synchronous, on
`requests`) runs in a worker thread while the test's loop serves it. Paths and the output
folder in generated bodies are pinned to this test's folders: the API creates output folders
and scans photo folders, and fuzzing must not touch the rest of the disk.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import schemathesis
from aiohttp.test_utils import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from tests.unit.api.conftest import TOKEN

MAX_EXAMPLES = 20
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


def _pinned(document: dict[str, Any], paths: list[str], output_dir: str) -> dict[str, Any]:
    pinned = copy.deepcopy(document)
    schemas = pinned["components"]["schemas"]
    schemas["Config"]["properties"]["output_dir"] = {"type": "string", "enum": [output_dir]}
    schemas["Config"]["additionalProperties"] = False
    for name, key in (("StartRequest", "photo_paths"), ("ImportRequest", "paths")):
        schemas[name]["properties"][key]["items"] = {"type": "string", "enum": paths}
        schemas[name]["additionalProperties"] = False
    return pinned


def _fuzz(document: dict[str, Any], base_url: str) -> list[str]:
    """Run every operation's examples; return the labels of the operations tested."""
    schema = schemathesis.openapi.from_dict(document)
    tested = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            response = case.call(base_url=base_url, headers={"Authorization": f"Bearer {TOKEN}"})
            case.validate_response(response, checks=CHECKS)

        run()
        tested.append(operation.label)
    return tested


async def test_the_server_keeps_its_openapi_contract(
    api: TestClient, photos: Callable[..., list[Path]], tmp_path: Path
) -> None:
    photos(2, folder="fuzz/a")
    document = await (await api.get("/openapi.json")).json()
    assert document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    paths = [str(tmp_path / "fuzz"), str(tmp_path / "fuzz" / "a" / "photo_000.jpg"),
             str(tmp_path / "absent")]  # fmt: skip
    pinned = _pinned(document, paths, str(tmp_path / "fuzz-out"))
    base_url = f"http://127.0.0.1:{api.port}"
    tested = await asyncio.to_thread(_fuzz, pinned, base_url)
    assert len(tested) == sum(len(methods) for methods in document["paths"].values())


async def test_every_route_is_documented(api: TestClient) -> None:
    document = await (await api.get("/openapi.json")).json()
    documented = {
        (method.upper(), path) for path, methods in document["paths"].items() for method in methods
    }
    served = set()
    for route in api.app.router.routes():
        info = route.resource.get_info() if route.resource is not None else {}
        path = info.get("formatter") or info.get("path")
        if route.method != "HEAD":
            served.add((route.method, path))
    assert served == documented
