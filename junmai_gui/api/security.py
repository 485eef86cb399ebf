"""The locks on the local API: loopback Host and Origin, a bearer token, JSON bodies, a size cap.

Any web page the photographer opens can send requests to 127.0.0.1, so every request must
prove it comes from a local program that read the token file: the Host must name loopback
with our port (DNS rebinding), a foreign Origin is refused, the token travels only in the
`Authorization` header (never in a URL, never logged), and a request that changes state
carries JSON (an HTML form cannot send it without a CORS preflight, which we never answer).
Every refusal happens before a handler runs, so a refused request changes nothing; the
connection of a request refused for its Host, Origin or token is closed after the answer,
and refusals are logged at most once a second (`connections.ThrottledLog`).
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from junmai_gui.api.connections import ThrottledLog
from junmai_gui.api.errors import ApiError, from_batch_error
from junmai_gui.domain.errors import BatchError

log = logging.getLogger("junmai_gui.api")

MAX_BODY_BYTES = 1024 * 1024
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
BODYLESS_TYPES = frozenset({"application/octet-stream"})
TOKEN_HELP = (
    "Send the API token as 'Authorization: Bearer <token>'; it is in the file api-token "
    "in the Junmai Batch data folder"
)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def local_port(request: web.Request, configured: int) -> int:
    """The port this connection arrived on (the configured one when the socket is gone)."""
    transport = request.transport
    sockname = transport.get_extra_info("sockname") if transport is not None else None
    if isinstance(sockname, tuple) and len(sockname) >= 2 and isinstance(sockname[1], int):
        return sockname[1]
    return configured


def allowed_hosts(port: int) -> frozenset[str]:
    return frozenset(f"{name}:{port}" for name in LOOPBACK_NAMES)


def allowed_origins(port: int) -> frozenset[str]:
    return frozenset(f"http://{host}" for host in allowed_hosts(port))


def token_matches(header: str | None, token: str) -> bool:
    """True when `header` is `Bearer <token>`; compared in constant time.

    A header with characters beyond ASCII can never be the token (which is ASCII): False,
    so it is a 401 like any wrong token.
    """
    if not header or not header.isascii():
        return False
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode("utf-8"), token.encode("utf-8"))


class Guard:
    """The middleware that refuses a request before any handler sees it.

    `token` can be replaced while the server runs (the settings dialog regenerates it).
    `on_authenticated` is told of each request that carried the token (the connection gate
    then lets its connection stay open).
    """

    def __init__(self, token: str, port: int) -> None:
        self.token = token
        self.port = port
        self.on_authenticated: Callable[[web.Request], None] | None = None

    @property
    def token(self) -> str:
        return self._token

    @token.setter
    def token(self, value: str) -> None:
        if not value:
            raise ValueError("the API needs a non-empty token")
        self._token = value

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        port_here = local_port(request, self.port)
        if request.headers.get("Host", "").lower() not in allowed_hosts(port_here):
            raise ApiError(
                403,
                "Forbidden: the Host header must be 127.0.0.1, localhost or [::1] with the port",
            )
        origin = request.headers.get("Origin")
        if origin is not None and origin.lower() not in allowed_origins(port_here):
            raise ApiError(403, "Forbidden: requests from web pages are not accepted")
        if not token_matches(request.headers.get("Authorization"), self._token):
            raise ApiError(401, f"Missing or wrong API token. {TOKEN_HELP}")
        if self.on_authenticated is not None:
            self.on_authenticated(request)
        if request.method not in SAFE_METHODS:
            check_body_headers(request)
        return await handler(request)


def check_body_headers(request: web.Request) -> None:
    """413 over the size cap; 415 unless the body is JSON.

    A bodyless POST may come without a Content-Type (the AutoDev contract's clients send
    pause/resume/cancel that way) or with the generic `application/octet-stream` that HTTP
    libraries add; HTML forms and text/plain are refused even when empty.
    """
    length = request.content_length
    if length is not None and length > MAX_BODY_BYTES:
        raise ApiError(413, "The request body is larger than 1 MiB")
    if request.content_type == "application/json":
        return
    chunked = "chunked" in request.headers.get("Transfer-Encoding", "").lower()
    bodyless = not chunked and not length
    generic = "Content-Type" not in request.headers or request.content_type in BODYLESS_TYPES
    if not (bodyless and generic):
        raise ApiError(415, "Send the request body as JSON (Content-Type: application/json)")


class ErrorBodies:
    """The middleware that answers every error as a JSON body: refusals, unknown routes,
    controller errors, crashes. Refusals of the Host, Origin or token close the connection
    and are logged through `refusals`; an unexpected error is logged with its traceback,
    at most once a second too (a client repeating it must not fill the log)."""

    def __init__(self, refusals: ThrottledLog) -> None:
        self._refusals = refusals
        self._failures = ThrottledLog(log)

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            return await handler(request)
        except ApiError as exc:
            response = exc.response()
            if exc.status in (401, 403):
                response.force_close()
                self._refusals.note(f"Refused {request.method} {request.path}: {exc.error}")
            return response
        except web.HTTPException as exc:
            if exc.status < 400:
                raise
            if exc.status == 413:
                return ApiError(413, "The request body is larger than 1 MiB").response()
            response = ApiError(exc.status, exc.reason).response()
            if "Allow" in exc.headers:
                response.headers["Allow"] = exc.headers["Allow"]
            return response
        except BatchError as exc:
            return from_batch_error(exc, "Request failed").response()
        except Exception as exc:
            self._failures.note(
                f"The HTTP API failed on {request.method} {request.path}", exc_info=exc
            )
            return ApiError(500, "Internal error in Junmai Batch; see its log").response()
