"""`GET /openapi.json`: every endpoint and body of the API as an OpenAPI 3.0 document.

Written by hand next to the handlers (not generated) so that it is the contract a client can
read; the test suite checks the server against it with schemathesis.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from aiohttp import web

from junmai_gui import __version__
from junmai_gui.api.body import MAX_INT, MAX_PAGE
from junmai_gui.api.openapi_schemas import BATCH_ID as BATCH_ID_SCHEMA
from junmai_gui.api.openapi_schemas import JSON, PHOTO_STATE, SCHEMAS, config_schema, ref
from junmai_gui.develop.library import PresetLibrary
from junmai_gui.develop.output import avif_available
from junmai_gui.domain.config import OUTPUT_FORMATS

Handler = Callable[[web.Request], Awaitable[web.Response]]

_ERRORS = {
    "400": "Malformed request: bad JSON, wrong types, empty photo list, unknown preset",
    "401": "Missing or wrong API token",
    "403": "Host or Origin is not the local machine",
    "404": "Unknown batch, photo, watch, template or folder",
    "409": "The batch's status does not allow this action, or the folder is watched already",
    "413": "Body over 1 MiB",
    "415": "Body is not JSON",
}


def _responses(ok: str, *codes: str) -> dict[str, Any]:
    out: dict[str, Any] = {"200": {"description": "OK", "content": {JSON: {"schema": ref(ok)}}}}
    for code in ("401", "403", *codes):
        out[code] = {"$ref": f"#/components/responses/E{code}"}
    return out


BATCH_ID = {"name": "batch_id", "in": "path", "required": True, "schema": BATCH_ID_SCHEMA}
WATCH_ID = {
    "name": "watch_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_INT},
}
# The headers of a WebSocket opening handshake (RFC 6455): without them, 400.
WEBSOCKET_HEADERS = [
    {"name": name, "in": "header", "required": True, "schema": schema}
    for name, schema in (
        ("Upgrade", {"type": "string", "enum": ["websocket"]}),
        ("Connection", {"type": "string", "enum": ["Upgrade"]}),
        ("Sec-WebSocket-Key", {"type": "string", "pattern": "^[A-Za-z0-9+/]{21}[AQgw]==$"}),
        ("Sec-WebSocket-Version", {"type": "string", "enum": ["13"]}),
    )
]


def _op(
    summary: str,
    ok: str,
    *codes: str,
    body: str | None = None,
    batch: bool = False,
    required: bool = True,
    params: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "responses": _responses(ok, *codes)}
    parameters = ([BATCH_ID] if batch else []) + (params or [])
    if parameters:
        op["parameters"] = parameters
    if body is not None:
        op["requestBody"] = {"required": required, "content": {JSON: {"schema": ref(body)}}}
    return op


_POST = ("413", "415")
PATHS: dict[str, Any] = {
    "/batch/start": {
        "post": _op(
            "Create a batch and start it",
            "StartResponse",
            "400",
            "404",
            *_POST,
            body="StartRequest",
        )
    },
    "/batch/{batch_id}/pause": {
        "post": _op("Pause a running batch", "BatchMessage", "404", "409", *_POST, batch=True)
    },
    "/batch/{batch_id}/resume": {
        "post": _op("Resume a paused batch", "BatchMessage", "404", "409", *_POST, batch=True)
    },
    "/batch/{batch_id}/cancel": {
        "post": _op("Cancel a batch", "BatchMessage", "404", "409", *_POST, batch=True)
    },
    "/batch/{batch_id}/status": {
        "get": _op("A batch's status and progress", "BatchStatus", "404", batch=True)
    },
    "/batch/list": {"get": _op("Every batch, oldest first", "BatchList")},
    "/batch/recover": {
        "post": _op("Pause interrupted batches so they can be resumed", "RecoverResponse", *_POST)
    },
    "/batch/cleanup": {
        "post": _op(
            "Forget finished batches older than days_old (files stay)",
            "CleanupResponse",
            "400",
            *_POST,
            body="CleanupRequest",
            required=False,
        )
    },
    "/batch/{batch_id}/retry-failed": {
        "post": _op(
            "Develop the failed photos again", "RetryResponse", "404", "409", *_POST, batch=True
        )
    },
    "/batch/{batch_id}/priority": {
        "post": _op(
            "Change a batch's priority",
            "PriorityResponse",
            "400",
            "404",
            "409",
            *_POST,
            body="PriorityRequest",
            batch=True,
        )
    },
    "/batch/merge": {
        "post": _op(
            "Merge batches into a new one",
            "MergeResponse",
            "400",
            "404",
            "409",
            *_POST,
            body="MergeRequest",
        )
    },
    "/batch/{batch_id}/photos": {
        "get": _op(
            "A page of a batch's photos",
            "PhotoPage",
            "400",
            "404",
            batch=True,
            params=[
                {
                    "name": "offset",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 0, "maximum": MAX_INT},
                },
                {
                    "name": "limit",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
                },
                {"name": "state", "in": "query", "schema": PHOTO_STATE},
            ],
        )
    },
    "/photos/import": {
        "post": _op(
            "Add photos (files or folders, recursive) to the library",
            "ImportResponse",
            "400",
            *_POST,
            body="ImportRequest",
        )
    },
    "/watch": {
        "post": _op(
            "Watch a folder: photos that appear there are developed, each once",
            "WatchResponse",
            "400",
            "404",
            "409",
            *_POST,
            body="WatchRequest",
        ),
        "get": _op("Every watched folder", "WatchList"),
    },
    "/watch/{watch_id}": {
        "delete": _op("Stop watching a folder", "WatchRemoved", "404", *_POST, params=[WATCH_ID])
    },
    "/watch/{watch_id}/pause": {
        "post": _op(
            "Take no new photos from a folder", "WatchResponse", "404", *_POST, params=[WATCH_ID]
        )
    },
    "/watch/{watch_id}/resume": {
        "post": _op(
            "Take new photos from a folder again", "WatchResponse", "404", *_POST, params=[WATCH_ID]
        )
    },
    "/templates": {"get": _op("The saved batch templates", "TemplateList")},
    "/presets": {"get": _op("The presets a batch can use", "PresetList")},
    "/metrics": {"get": _op("Batch metrics", "Metrics")},
    "/farm": {"get": _op("The render farm: connection, live workers, photos queued", "Farm")},
    "/health": {"get": _op("Whether the app answers", "Health")},
    "/batch/events": {
        "get": {
            "summary": "WebSocket of live events (batch_changed, photo_finished, batch_finished, "
            "batch_added, batch_removed), one JSON object per message",
            "parameters": WEBSOCKET_HEADERS,
            "responses": {
                "101": {"description": "Switching to the WebSocket protocol"},
                "400": {"$ref": "#/components/responses/E400"},
                "401": {"$ref": "#/components/responses/E401"},
                "403": {"$ref": "#/components/responses/E403"},
            },
        }
    },
    "/openapi.json": {
        "get": {
            "summary": "This document",
            "responses": {
                "200": {"description": "OK", "content": {JSON: {"schema": {"type": "object"}}}},
                "401": {"$ref": "#/components/responses/E401"},
                "403": {"$ref": "#/components/responses/E403"},
            },
        }
    },
}


def openapi_document(
    preset_names: Sequence[str] = (), formats: Sequence[str] = OUTPUT_FORMATS
) -> dict[str, Any]:
    """The document; `preset_names` and `formats` are what a batch's config may name now."""
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Junmai Batch local API",
            "version": __version__,
            "description": "Control batches from scripts. Listens on 127.0.0.1 only; send "
            "the token from the data folder's api-token file as a bearer token.",
        },
        "servers": [{"url": "http://127.0.0.1:5100"}],
        "security": [{"bearerAuth": []}],
        "paths": PATHS,
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "schemas": {**SCHEMAS, "Config": config_schema(preset_names, formats)},
            "responses": {
                f"E{code}": {"description": text, "content": {JSON: {"schema": ref("Error")}}}
                for code, text in _ERRORS.items()
            },
        },
    }


def openapi_handler(presets: PresetLibrary) -> Handler:
    """`GET /openapi.json`, naming the presets of `presets` at the time of each request."""

    async def handle(request: web.Request) -> web.Response:
        formats = [f for f in OUTPUT_FORMATS if f != "avif" or avif_available()]
        document = openapi_document(presets.names(), formats)
        document["servers"] = [{"url": f"http://{request.host}"}]
        return web.json_response(document)

    return handle
