"""What the API lets a local client hold: connections, idle time, and lines in the log.

A local program that opens connections and sends nothing must not use up the app's file
descriptors (1,100 idle connections once made 827 photos fail "Too many open files"), and
one that sends garbage must not rotate the whole log history away. So:

- at most `ConnectionLimits.max_connections` connections are open at once. When one more
  arrives, the oldest connection that has not yet made a request with the right token is
  closed to make room (so idle connections cannot lock a script out); only when every
  open connection has proven itself is the new one answered 503 with a JSON error;
- a connection that has not made a request with the right token within
  `unproven_idle_s` is closed (refusals close theirs at once, see `security`);
- refused or malformed requests are logged at most once a second (`ThrottledLog`), with a
  count of the ones folded into that line, and without tracebacks.

`GatedSite` is the listening socket that applies the limits: an aiohttp site whose protocol
factory is a `ConnectionGate` around aiohttp's own (aiohttp accepts every connection).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import web

log = logging.getLogger("junmai_gui.api")


@dataclass(frozen=True)
class ConnectionLimits:
    max_connections: int = 100
    unproven_idle_s: float = 5.0  # a connection that has sent no request with the token
    keepalive_s: float = 15.0  # an authenticated connection between two requests


class ThrottledLog:
    """Warnings about refused requests, at most one line every `interval_s`.

    A line says how many more were folded into it since the last one, so nothing is hidden
    and a client sending thousands a second still writes one line a second.
    """

    def __init__(self, logger: logging.Logger, interval_s: float = 1.0) -> None:
        self._logger = logger
        self._interval_s = interval_s
        self._last = -float("inf")
        self._folded = 0

    def note(self, message: str, *, exc_info: BaseException | None = None) -> None:
        now = time.monotonic()
        if now - self._last < self._interval_s:
            self._folded += 1
            return
        folded, self._folded, self._last = self._folded, 0, now
        more = f" (and {folded} more refused since the last such line)" if folded else ""
        self._logger.warning("%s%s", message, more, exc_info=exc_info)


class ServerLog(logging.LoggerAdapter[logging.Logger]):
    """What aiohttp itself logs (a request it could not parse): through the `ThrottledLog`,
    as one line with the reason instead of an ERROR with a traceback."""

    def __init__(self, refusals: ThrottledLog) -> None:
        super().__init__(log, {})
        self._refusals = refusals

    def log(self, level: int, msg: object, *args: object, **kwargs: Any) -> None:
        if level < logging.WARNING:
            return
        text = str(msg) % args if args else str(msg)
        error = kwargs.get("exc_info")
        if isinstance(error, BaseException):
            # the first line only: the next ones quote the request, which may hold the token
            lines = str(getattr(error, "message", "") or type(error).__name__).strip()
            text = f"{text}: {lines.splitlines()[0].rstrip(':')}"
        self._refusals.note(f"Refused a malformed request. {text}")


_BUSY = json.dumps(
    {"error": "Too many connections to Junmai Batch; close some and try again"}
).encode()
_BUSY_RESPONSE = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
    b"Retry-After: 1\r\nConnection: close\r\nContent-Length: "
    + str(len(_BUSY)).encode()
    + b"\r\n\r\n"
    + _BUSY
)


class _Refused(asyncio.Protocol):
    """A connection over the limit: answered 503 and closed before it sends anything."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        transport.write(_BUSY_RESPONSE)
        transport.close()


class _Gated(asyncio.Protocol):
    """One accepted connection: aiohttp's protocol inside, closed if it stays unproven."""

    def __init__(self, inner: asyncio.Protocol, gate: ConnectionGate) -> None:
        self._inner = inner
        self._gate = gate
        self._timer: asyncio.TimerHandle | None = None
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self._gate.opened(self)
        loop = asyncio.get_running_loop()
        self._timer = loop.call_later(self._gate.limits.unproven_idle_s, self._expire)
        self._inner.connection_made(transport)

    def trust(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._gate.proven(self)

    def close(self, why: str) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self._gate.refusals.note(why)
            self.transport.close()

    def _expire(self) -> None:
        self._timer = None
        self.close(
            "Closed a connection that sent no request with the API token within "
            f"{self._gate.limits.unproven_idle_s:g} s"
        )

    def connection_lost(self, exc: Exception | None) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._gate.closed(self)
        self._inner.connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        self._inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self._inner.eof_received()

    def pause_writing(self) -> None:
        self._inner.pause_writing()

    def resume_writing(self) -> None:
        self._inner.resume_writing()


class ConnectionGate:
    """The protocol factory of the listening socket: counts connections, makes room by
    closing the oldest unproven one, and refuses a connection only when all have proven
    themselves."""

    def __init__(
        self, server: web.Server, limits: ConnectionLimits, refusals: ThrottledLog
    ) -> None:
        self._server = server
        self.limits = limits
        self.refusals = refusals
        self._count = 0  # made by this factory and not yet lost
        self._by_transport: dict[asyncio.BaseTransport, _Gated] = {}
        self._unproven: dict[_Gated, None] = {}  # oldest first

    @property
    def open_connections(self) -> int:
        return self._count

    def __call__(self) -> asyncio.Protocol:
        if self._count >= self.limits.max_connections:
            if not self._unproven:
                self.refusals.note(
                    f"Refused a connection: {self._count} are open, the most the API accepts"
                )
                return _Refused()
            oldest = next(iter(self._unproven))
            self.proven(oldest)  # no longer a candidate, whatever happens next
            oldest.close(
                f"Closed an idle connection that sent no request with the API token: "
                f"{self._count} are open, the most the API accepts"
            )
        self._count += 1
        return _Gated(self._server(), self)

    def opened(self, connection: _Gated) -> None:
        assert connection.transport is not None
        self._by_transport[connection.transport] = connection
        self._unproven[connection] = None

    def proven(self, connection: _Gated) -> None:
        self._unproven.pop(connection, None)

    def closed(self, connection: _Gated) -> None:
        self._count -= 1
        self._unproven.pop(connection, None)
        if connection.transport is not None:
            self._by_transport.pop(connection.transport, None)

    def trust(self, request: web.Request) -> None:
        """The request on this connection carried the token: it may stay open and idle."""
        connection = self._by_transport.get(request.transport)  # type: ignore[arg-type]
        if connection is not None:
            connection.trust()


class GatedSite(web.BaseSite):
    """A loopback TCP site whose connections go through a `ConnectionGate`."""

    def __init__(
        self,
        runner: web.BaseRunner,
        host: str,
        port: int,
        limits: ConnectionLimits,
        refusals: ThrottledLog,
    ) -> None:
        super().__init__(runner)
        self._host = host
        self._port = port
        self._limits = limits
        self._refusals = refusals
        self.gate: ConnectionGate | None = None

    @property
    def name(self) -> str:
        return f"http://{self._host}:{self._port}"

    async def start(self) -> None:
        await super().start()
        server = self._runner.server
        assert server is not None
        self.gate = ConnectionGate(server, self._limits, self._refusals)
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(self.gate, self._host, self._port)
