"""The local HTTP API server: aiohttp on the running asyncio loop, bound to loopback only.

In the app that loop is the Qt event loop (see `junmai_gui.event_loop`), so handlers and the
controller's signals share the main thread and the controller needs no locks.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from aiohttp.web_request import BaseRequest

from junmai_gui.api.connections import ConnectionLimits, GatedSite, ServerLog, ThrottledLog
from junmai_gui.api.events import EventHub
from junmai_gui.api.handlers import BatchHandlers
from junmai_gui.api.openapi import openapi_handler
from junmai_gui.api.security import MAX_BODY_BYTES, ErrorBodies, Guard
from junmai_gui.api.workflow_handlers import WorkflowHandlers

if TYPE_CHECKING:
    from junmai_gui.controller.batch_controller import BatchController

log = logging.getLogger("junmai_gui.api")

EVENT_HUB: web.AppKey[EventHub] = web.AppKey("event_hub", EventHub)
GUARD: web.AppKey[Guard] = web.AppKey("guard", Guard)
REFUSALS: web.AppKey[ThrottledLog] = web.AppKey("refusals", ThrottledLog)


class PathOnlyAccessLogger(AbstractAccessLogger):
    """Logs method, path and status at DEBUG: never headers, never the query string.

    The token is only accepted in a header, but a script might still put it in a URL by
    mistake; it must not end up in the log file.
    """

    def log(self, request: BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.debug(
            "%s %s %d %.1f ms", request.method, request.path, response.status, time * 1000
        )


def build_app(controller: BatchController, token: str, port: int = 0) -> web.Application:
    """The aiohttp application (also what the tests serve): routes, events, locks."""
    guard = Guard(token, port)
    refusals = ThrottledLog(log)
    app = web.Application(
        middlewares=[ErrorBodies(refusals).middleware, guard.middleware],
        client_max_size=MAX_BODY_BYTES,
    )
    app[GUARD] = guard
    app[REFUSALS] = refusals
    handlers = BatchHandlers(controller)
    hub = EventHub(controller)
    app[EVENT_HUB] = hub
    app.add_routes(
        [
            web.get("/batch/events", hub.handle),
            web.get("/openapi.json", openapi_handler(controller.presets)),
            *handlers.routes(),
            *WorkflowHandlers(controller).routes(),
        ]
    )
    app.on_startup.append(_open_hub)
    app.on_shutdown.append(_close_hub)
    return app


async def _open_hub(app: web.Application) -> None:
    app[EVENT_HUB].open()


async def _close_hub(app: web.Application) -> None:
    await app[EVENT_HUB].close()


class ApiServer:
    """Serves the API on `host:port` (loopback) from the running loop until `stop()`, within
    `limits` (see `connections`)."""

    def __init__(
        self,
        controller: BatchController,
        token: str,
        port: int,
        host: str = "127.0.0.1",
        limits: ConnectionLimits | None = None,
    ) -> None:
        self._controller = controller
        self._token = token
        self._host = host
        self._port = port
        self._limits = limits or ConnectionLimits()
        self._runner: web.AppRunner | None = None
        self._site: GatedSite | None = None

    @property
    def port(self) -> int:
        """The port listened on (the real one once started, also when asked for port 0)."""
        return self._port

    @property
    def url(self) -> str:
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{self._port}"

    def set_token(self, token: str) -> None:
        """Accept only `token` from now on (after the user regenerated it)."""
        self._token = token
        if self._runner is not None:
            self._runner.app[GUARD].token = token

    async def start(self) -> None:
        """Listen; raises OSError (e.g. EADDRINUSE) when the port cannot be had."""
        if self._runner is not None:
            return
        app = build_app(self._controller, self._token, self._port)
        refusals = app[REFUSALS]
        runner = web.AppRunner(
            app,
            access_log_class=PathOnlyAccessLogger,
            shutdown_timeout=2.0,
            keepalive_timeout=self._limits.keepalive_s,
            logger=ServerLog(refusals),
        )
        await runner.setup()
        site = GatedSite(runner, self._host, self._port, self._limits, refusals)
        try:
            await site.start()
        except OSError:
            await runner.cleanup()
            raise
        assert site.gate is not None
        app[GUARD].on_authenticated = site.gate.trust
        for address in runner.addresses:
            if isinstance(address, tuple) and len(address) >= 2:
                self._port = int(address[1])
                break
        self._runner = runner
        self._site = site

    @property
    def open_connections(self) -> int:
        """How many connections are open now (0 when not serving)."""
        gate = self._site.gate if self._site is not None else None
        return gate.open_connections if gate is not None else 0

    async def stop(self) -> None:
        """Close every connection and WebSocket, then stop listening."""
        runner, self._runner, self._site = self._runner, None, None
        if runner is not None:
            await runner.cleanup()
