"""The one error the store raises about its own files (not about batches)."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """A database or data file that cannot be used as it is; the message names the file."""

    def __init__(self, message: str, path: Path | str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
