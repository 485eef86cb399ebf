"""What the workflows around batches keep: named templates and watched folders (the store
keeps them; the controller and the views read them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TemplateRecord:
    """A named template: New Batch settings saved to start batches (and watches) from."""

    name: str
    config: dict[str, Any]
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class WatchRecord:
    """A watched folder: new photos there go to its batch of the day, developed with
    `config` (or the template named `template`, with `config` over it)."""

    watch_id: int
    name: str
    folder: str
    config: dict[str, Any] | None
    template: str | None
    paused: bool
    batch_id: str | None  # the batch of `day` (local date, YYYY-MM-DD) it adds photos to
    day: str | None
    error: str | None  # why it could not take photos the last time it tried
    created_at: str

    def batch_of(self, day: str) -> str | None:
        """Its batch of `day` (a `local_day()`), if it has made one."""
        return self.batch_id if self.day == day else None


def local_day() -> str:
    """Today on this computer's calendar: a watch's photos of one day make one batch."""
    return dt.date.today().isoformat()
