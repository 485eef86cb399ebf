"""The API's error bodies, `{"error": ..., "batch_id": ..., "detail": ...}`, and their status codes.

The AutoDev contract's endpoints keep its wording in `error` ("Failed to pause batch") so clients
written against it still match; the reason a photographer can act on is in `detail`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from aiohttp import web

from junmai_gui.domain.errors import (
    BatchError,
    BatchNotFoundError,
    ConflictError,
    IllegalTransitionError,
    NotFoundError,
    PhotoNotFoundError,
)


class ApiError(Exception):
    """A refused request: answered with `status` and a JSON error body, nothing changed."""

    def __init__(
        self,
        status: int,
        error: str,
        *,
        batch_id: str | None = None,
        detail: str | None = None,
    ) -> None:
        super().__init__(error if detail is None else f"{error}: {detail}")
        self.status = status
        self.error = error
        self.batch_id = batch_id
        self.detail = detail

    def body(self) -> dict[str, Any]:
        data: dict[str, Any] = {"error": self.error}
        if self.batch_id is not None:
            data["batch_id"] = self.batch_id
        if self.detail is not None:
            data["detail"] = self.detail
        return data

    def response(self) -> web.Response:
        response = web.json_response(self.body(), status=self.status)
        if self.status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="junmai-batch"'
        return response


def status_for(exc: BatchError) -> int:
    """The HTTP status of a controller error kind."""
    if isinstance(exc, BatchNotFoundError | PhotoNotFoundError | NotFoundError):
        return 404
    if isinstance(exc, IllegalTransitionError | ConflictError):
        return 409
    return 400  # InvalidBatchError and any other refusal of the request's content


def from_batch_error(exc: BatchError, action: str, batch_id: str | None = None) -> ApiError:
    """`action` is the AutoDev contract's wording ("Failed to pause batch"); the reason goes
    to detail."""
    return ApiError(status_for(exc), action, batch_id=exc.batch_id or batch_id, detail=exc.message)


@contextmanager
def refused_as(action: str, batch_id: str | None = None) -> Iterator[None]:
    """Turn a controller refusal raised inside the block into the API error for `action`."""
    try:
        yield
    except BatchError as exc:
        raise from_batch_error(exc, action, batch_id) from exc


def bad_request(action: str, detail: str, batch_id: str | None = None) -> ApiError:
    return ApiError(400, action, batch_id=batch_id, detail=detail)
