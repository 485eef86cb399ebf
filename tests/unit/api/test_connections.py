"""What a local client can hold of the API: connections, idle time, log lines.

The red-team case: 1,100 idle, unauthenticated connections used up the app's file table
(827 photos failed "Too many open files"), and every malformed request wrote an ERROR
traceback to the log. Each test runs the real `ApiServer` on a loopback port and talks to it
through raw sockets, as such a client would.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest

from junmai_gui.api.connections import ConnectionLimits
from junmai_gui.api.server import ApiServer
from junmai_gui.controller.batch_controller import BatchController
from tests.unit.api.conftest import TOKEN
from tests.unit.api.helpers import wait_until

AUTH = {"Authorization": f"Bearer {TOKEN}"}
Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


@contextlib.asynccontextmanager
async def serving(controller: BatchController, **limits: float) -> AsyncIterator[ApiServer]:
    server = ApiServer(controller, TOKEN, 0, limits=ConnectionLimits(**limits))  # type: ignore[arg-type]
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


async def idle_connections(server: ApiServer, count: int) -> list[Connection]:
    connections = [await asyncio.open_connection("127.0.0.1", server.port) for _ in range(count)]
    await wait_until(lambda: server.open_connections >= min(count, 1), what="accepted")
    return connections


async def closed_by_server(connection: Connection, timeout: float = 10.0) -> bytes:
    """Everything the server sent before it closed the connection."""
    reader, _ = connection
    return await asyncio.wait_for(reader.read(), timeout)


def close_all(connections: list[Connection]) -> None:
    for _, writer in connections:
        writer.close()


async def test_idle_connections_cannot_hold_more_than_the_limit_nor_lock_a_script_out(
    controller: BatchController, qt_pump: None
) -> None:
    async with serving(controller, max_connections=100) as server:
        idle = await idle_connections(server, 150)
        try:
            await wait_until(lambda: server.open_connections <= 100, what="room made")
            # the oldest idle ones were closed to make room for the newest
            assert await closed_by_server(idle[0]) == b""
            async with (
                aiohttp.ClientSession() as session,
                session.get(f"{server.url}/health", headers=AUTH) as response,
            ):
                assert response.status == 200
            assert server.open_connections <= 100
        finally:
            close_all(idle)


async def test_an_idle_unauthenticated_connection_is_closed_quickly(
    controller: BatchController, qt_pump: None
) -> None:
    async with serving(controller, unproven_idle_s=0.2) as server:
        (idle,) = await idle_connections(server, 1)
        half = await asyncio.open_connection("127.0.0.1", server.port)
        half[1].write(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # never finishes
        try:
            assert await closed_by_server(idle) == b""
            assert await closed_by_server(half) == b""
            await wait_until(lambda: server.open_connections == 0, what="all closed")
        finally:
            close_all([idle, half])


async def test_an_authenticated_connection_may_stay_idle_between_requests(
    controller: BatchController, qt_pump: None
) -> None:
    async with serving(controller, unproven_idle_s=0.2) as server:
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        request = (
            f"GET /health HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
            f"Authorization: Bearer {TOKEN}\r\n\r\n"
        ).encode()
        try:
            writer.write(request)
            assert (await asyncio.wait_for(reader.readline(), 10)).startswith(b"HTTP/1.1 200")
            await asyncio.wait_for(reader.readuntil(b'"workers_busy": 0}'), 10)
            # a connection opened now is closed once the unproven time has passed
            (witness,) = await idle_connections(server, 1)
            assert await closed_by_server(witness) == b""
            writer.write(request)
            assert (await asyncio.wait_for(reader.readline(), 10)).startswith(b"HTTP/1.1 200")
        finally:
            writer.close()


async def test_when_every_connection_has_proven_itself_one_more_gets_503(
    controller: BatchController, qt_pump: None
) -> None:
    async with serving(controller, max_connections=3) as server:
        sessions = [aiohttp.ClientSession() for _ in range(3)]
        try:
            for session in sessions:  # keep-alive: each holds one proven connection
                async with session.get(f"{server.url}/health", headers=AUTH) as response:
                    assert response.status == 200
            assert server.open_connections == 3
            (extra,) = await idle_connections(server, 1)
            answer = await closed_by_server(extra)
            assert answer.startswith(b"HTTP/1.1 503 Service Unavailable")
            assert b'{"error": "Too many connections to Junmai Batch' in answer
        finally:
            for session in sessions:
                await session.close()


async def test_a_refused_request_closes_its_connection(
    controller: BatchController, qt_pump: None
) -> None:
    async with serving(controller) as server:
        connection = await asyncio.open_connection("127.0.0.1", server.port)
        request = f"GET /health HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n"
        connection[1].write(request.encode())
        answer = await closed_by_server(connection)
        assert answer.startswith(b"HTTP/1.1 401 Unauthorized")
        connection[1].close()


async def test_refused_and_malformed_requests_write_at_most_a_line_a_second(
    controller: BatchController, qt_pump: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    started = time.monotonic()
    async with serving(controller) as server:
        malformed = (
            b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-\xc3\xaa: 1\r\n"
            + f"Authorization: Bearer {TOKEN}\x01\r\n\r\n".encode()
        )
        unauthorized = f"GET /health HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n".encode()
        for raw in [malformed] * 100 + [unauthorized] * 100:
            connection = await asyncio.open_connection("127.0.0.1", server.port)
            connection[1].write(raw)
            assert (await closed_by_server(connection)).startswith(b"HTTP/1.")
            connection[1].close()
    lines = [r for r in caplog.records if r.name.startswith(("junmai_gui.api", "aiohttp"))]
    warnings = [r for r in lines if r.levelno >= logging.WARNING]
    seconds = time.monotonic() - started
    assert 1 <= len(warnings) <= seconds + 2, [r.getMessage() for r in warnings]  # of 200
    assert all(r.levelno == logging.WARNING and r.exc_info is None for r in warnings)
    assert "Refused a malformed request" in warnings[0].getMessage()
    assert all(TOKEN not in r.getMessage() for r in lines)
