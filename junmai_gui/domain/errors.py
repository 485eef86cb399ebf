"""Errors of the batch rules. Each carries a sentence a photographer understands."""

from __future__ import annotations

from collections.abc import Sequence


class BatchError(Exception):
    """Base of the errors the controller raises to its callers (views, API)."""

    def __init__(self, message: str, batch_id: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.batch_id = batch_id


class BatchNotFoundError(BatchError):
    """No batch with this id (API: 404)."""

    def __init__(self, batch_id: str) -> None:
        super().__init__(f"No batch with id {batch_id}", batch_id)


class PhotoNotFoundError(BatchError):
    """A photo id that the store does not know (API: 404)."""

    def __init__(self, photo_ids: list[int]) -> None:
        shown = ", ".join(str(p) for p in photo_ids[:10])
        more = "…" if len(photo_ids) > 10 else ""
        super().__init__(f"Unknown photo id(s): {shown}{more}")
        self.photo_ids = photo_ids


class IllegalTransitionError(BatchError):
    """A status change the state machine does not allow (API: 409)."""

    def __init__(
        self, batch_id: str, current: str, requested: str, detail: str | None = None
    ) -> None:
        text = f"Batch {batch_id} is {current} and cannot become {requested}"
        if detail:
            text = f"{text}: {detail}"
        super().__init__(text, batch_id)
        self.current = current
        self.requested = requested


class InvalidBatchError(BatchError):
    """A batch request that cannot be carried out as given (API: 400). `problems` holds its
    sentences one by one (the message joins them), for a window to show each."""

    def __init__(
        self, message: str, batch_id: str | None = None, *, problems: Sequence[str] = ()
    ) -> None:
        super().__init__(message, batch_id)
        self.problems = list(problems) or [message]


class NotFoundError(BatchError):
    """Something a request names does not exist: a folder, a template, a watch (API: 404)."""


class ConflictError(BatchError):
    """A request that clashes with what exists, such as watching a folder twice (API: 409)."""


class TemplateNotFoundError(NotFoundError):
    """No template with this name (API: 404)."""

    def __init__(self, name: str) -> None:
        super().__init__(f"There is no template named {name[:100]!r}")
        self.name = name


class WatchNotFoundError(NotFoundError):
    """No watched folder with this id (API: 404)."""

    def __init__(self, watch_id: int) -> None:
        super().__init__(f"No watched folder with id {watch_id}")
        self.watch_id = watch_id
