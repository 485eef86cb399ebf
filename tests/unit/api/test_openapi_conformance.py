"""schemathesis against `/openapi.json`, every phase and every check: no 5xx, and the server
answers exactly as its document says.

The server is the in-process app on a real loopback port; `schemathesis run` (the command a
user would run) is a child process that the test's loop serves while it runs. Its hooks
(`schemathesis_sandbox`) keep every path it sends inside this test's sandbox folder: the API
creates output folders and scans photo folders, and fuzzing must not touch the rest of the
disk. The size (examples per operation) keeps the run to tens of seconds on two cores.

`GET /batch/events` is left out of the run: it answers a WebSocket handshake with 101,
which no HTTP fuzzer can go on from; `test_hostile_requests.py` checks it against the
document, and `test_events.py` checks the stream.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

from aiohttp.test_utils import TestClient

from tests.unit.api.conftest import TOKEN
from tests.unit.api.helpers import GatedDevelop

ROOT = Path(__file__).resolve().parents[3]
MAX_EXAMPLES = 30
PHASES = "examples,coverage,fuzzing,stateful"


async def test_the_server_keeps_its_openapi_contract(
    api: TestClient, photos: Callable[..., list[Path]], tmp_path: Path, gate: GatedDevelop
) -> None:
    gate.close()  # batches start, but hold their photos: the fuzzer needs the CPU, not pixels
    sandbox = tmp_path / "sandbox"
    photos(2, folder="sandbox/photos")
    document = await (await api.get("/openapi.json")).json()
    assert document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "SCHEMATHESIS_HOOKS": "tests.unit.api.schemathesis_sandbox",
        "JUNMAI_FUZZ_SANDBOX": str(sandbox),
    }
    command = [
        str(Path(sys.executable).parent / "schemathesis"), "run",
        f"http://127.0.0.1:{api.port}/openapi.json",
        "--header", f"Authorization: Bearer {TOKEN}",
        "--phases", PHASES, "--checks", "all", "--max-examples", str(MAX_EXAMPLES),
        "--seed", "20251109", "--generation-database", "none", "--workers", "1",
        "--exclude-path", "/batch/events",
        "--no-color", "--report-dir", str(tmp_path / "report"),
    ]  # fmt: skip
    process = await asyncio.create_subprocess_exec(
        *command, cwd=tmp_path, env=env, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await asyncio.wait_for(process.communicate(), timeout=240)
    text = output.decode(errors="replace")
    assert process.returncode == 0, text[-8000:]
    selected = re.search(r"Selected: (\d+)/(\d+)", text)
    assert selected is not None, text[-3000:]
    assert int(selected.group(1)) >= int(selected.group(2)) - 1  # all but the WebSocket
    assert f"Tested: {selected.group(1)}" in text, text[-3000:]


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
