"""`ApiServer` as the app runs it: a real loopback port, a taken port, the log, a new token."""

from __future__ import annotations

import logging
import socket

import aiohttp
import pytest

from junmai_gui.api.server import ApiServer
from junmai_gui.controller.batch_controller import BatchController
from tests.unit.api.conftest import TOKEN


async def test_serves_on_loopback_and_stops(controller: BatchController, qt_pump: None) -> None:
    server = ApiServer(controller, TOKEN, 0)
    await server.start()
    try:
        assert server.port > 0
        assert server.url == f"http://127.0.0.1:{server.port}"
        async with aiohttp.ClientSession() as session:
            headers = {"Authorization": f"Bearer {TOKEN}"}
            async with session.get(f"{server.url}/health", headers=headers) as response:
                assert response.status == 200
    finally:
        await server.stop()
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", server.port), timeout=2):
        pass


async def test_a_taken_port_raises_oserror(controller: BatchController, qt_pump: None) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        server = ApiServer(controller, TOKEN, port)
        with pytest.raises(OSError):
            await server.start()
        await server.stop()


async def test_the_log_never_holds_the_token(
    controller: BatchController, qt_pump: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server = ApiServer(controller, TOKEN, 0)
    await server.start()
    try:
        async with aiohttp.ClientSession() as session:
            for url in (f"{server.url}/health?token={TOKEN}", f"{server.url}/nothing"):
                async with session.get(url) as response:
                    assert response.status == 401
            headers = {"Authorization": f"Bearer {TOKEN}"}
            async with session.get(f"{server.url}/health", headers=headers) as response:
                assert response.status == 200
            async with session.post(f"{server.url}/batch/x/pause", headers=headers) as response:
                assert response.status == 404
    finally:
        await server.stop()
    assert "/health" in caplog.text  # the access log is there, at debug level
    assert TOKEN not in caplog.text


async def test_a_regenerated_token_replaces_the_old_one(
    controller: BatchController, qt_pump: None
) -> None:
    server = ApiServer(controller, TOKEN, 0)
    await server.start()
    try:
        server.set_token("a-brand-new-token")
        async with aiohttp.ClientSession() as session:
            for token, status in ((TOKEN, 401), ("a-brand-new-token", 200)):
                headers = {"Authorization": f"Bearer {token}"}
                async with session.get(f"{server.url}/health", headers=headers) as response:
                    assert response.status == status
    finally:
        await server.stop()
