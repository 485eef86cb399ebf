"""The one error the store raises about its own files (not about batches)."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """A database or data file that cannot be used as it is; the message names the file.

    `damaged` is True when the file is unreadable as a database (as opposed to one of
    another program or of a newer version), so the app may set it aside and start afresh.
    """

    def __init__(
        self, message: str, path: Path | str | None = None, *, damaged: bool = False
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.damaged = damaged
