"""Fixtures of the API tests: the real controller, store and presets behind the real aiohttp app.

How Qt and asyncio meet here: in the app, aiohttp runs on a qasync loop that *is* the Qt loop.
pytest-asyncio runs each test on a plain asyncio loop instead, so nothing would deliver the
controller's queued signals (a worker's "photo finished" crosses from a QThreadPool thread to
the main thread as a Qt event). The `qt_pump` fixture therefore runs a task on the test's loop
that calls `QCoreApplication.processEvents()` every few milliseconds: handlers, the controller
and its signals then all run on the main thread, as in the app, and a test simply awaits
(HTTP responses, WebSocket messages, or `wait_until` on a condition). Driving the tests through
a qasync loop instead was not needed: the subprocess tests run the real app on qasync.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from PySide6.QtCore import QCoreApplication

from junmai_gui.api.server import build_app
from junmai_gui.controller.batch_controller import BatchController, ControllerSettings
from junmai_gui.controller.executors import InProcessExecutor
from junmai_gui.develop.library import PresetLibrary
from junmai_gui.store.database import Store
from tests.unit.api.helpers import GatedDevelop

TOKEN = "test-token-0123456789abcdefghijklmnopqrstuv"


@pytest.fixture
async def qt_pump(qapp: Any) -> AsyncIterator[None]:
    """Deliver Qt events (worker completions, coalesced signals) while the test awaits."""

    async def pump() -> None:
        while True:
            QCoreApplication.processEvents()
            await asyncio.sleep(0.002)

    task = asyncio.create_task(pump())
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


@pytest.fixture
def gate() -> Iterator[GatedDevelop]:
    develop = GatedDevelop()
    yield develop
    develop.open()


@pytest.fixture
def controller(
    qapp: Any, store: Store, data_dir: Path, tmp_path: Path, gate: GatedDevelop
) -> Iterator[BatchController]:
    ctl = BatchController(
        store,
        PresetLibrary(data_dir / "presets"),
        ControllerSettings(workers=2, default_output_dir=tmp_path / "out"),
        InProcessExecutor(2, gate),
    )
    yield ctl
    gate.open()
    ctl.shutdown(timeout_s=10)
    ctl.close()


@pytest.fixture
async def api(
    aiohttp_client: Callable[..., Awaitable[TestClient]],
    controller: BatchController,
    qt_pump: None,
) -> TestClient:
    """A client with the right token (and, like every aiohttp client, a loopback Host)."""
    return await aiohttp_client(
        build_app(controller, TOKEN), headers={"Authorization": f"Bearer {TOKEN}"}
    )


@pytest.fixture
async def bare_api(
    aiohttp_client: Callable[..., Awaitable[TestClient]],
    controller: BatchController,
    qt_pump: None,
) -> TestClient:
    """A client that sends no token unless the test adds one."""
    return await aiohttp_client(build_app(controller, TOKEN))
