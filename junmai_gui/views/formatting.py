"""How numbers, times and states read in the window, the dialogs and the tray."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from junmai_gui.domain.batch import BatchSummary
from junmai_gui.domain.clock import parse_iso
from junmai_gui.domain.status import BatchStatus, PauseReason

if TYPE_CHECKING:
    from junmai_gui.controller.farm_status import FarmStatus

PAUSE_REASON_TEXT: dict[PauseReason, str] = {
    PauseReason.APP_QUIT: "app was quit",
    PauseReason.INTERRUPTED: "interrupted",
    PauseReason.DISK_FULL: "disk full",
    PauseReason.OUTPUT_UNAVAILABLE: "output folder unavailable",
    PauseReason.FARM_UNAVAILABLE: "render farm unreachable",
    PauseReason.OUT_OF_RESOURCES: "computer out of resources",
}

STATUS_TEXT: dict[BatchStatus, str] = {
    BatchStatus.PENDING: "Waiting",
    BatchStatus.RUNNING: "Running",
    BatchStatus.PAUSED: "Paused",
    BatchStatus.COMPLETED: "Completed",
    BatchStatus.CANCELLED: "Cancelled",
    BatchStatus.FAILED: "Failed",
}


def status_text(batch: BatchSummary) -> str:
    """`Running`, `Paused` (by the user), `Paused — interrupted`, `Completed`, …"""
    text = STATUS_TEXT[batch.status]
    reason = batch.pause_reason
    if batch.status is BatchStatus.PAUSED and reason is not None and reason in PAUSE_REASON_TEXT:
        return f"{text} — {PAUSE_REASON_TEXT[reason]}"
    return text


def duration_text(seconds: float | None) -> str:
    """`45 s`, `12 min`, `2 h 05 min`; empty when unknown."""
    if seconds is None or seconds < 0:
        return ""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes = round(whole / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min"


def speed_text(photos_per_minute: float | None) -> str:
    if not photos_per_minute:
        return ""
    if photos_per_minute < 10:
        return f"{photos_per_minute:.1f}/min"
    return f"{photos_per_minute:,.0f}/min"


def local_time_text(iso: str | None) -> str:
    """A stored UTC timestamp in the local time zone, to the minute."""
    if not iso:
        return ""
    try:
        moment = parse_iso(iso)
    except ValueError:
        return iso
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def local_datetime(iso: str | None) -> datetime | None:
    if not iso:
        return None
    try:
        return parse_iso(iso)
    except ValueError:
        return None


def preset_text(config: dict[str, object]) -> str:
    """`WhiteLayer_v4 (60 %)`."""
    name = str(config.get("preset", ""))
    blend = config.get("blend", 100)
    if isinstance(blend, int | float):
        return f"{name} ({blend:g} %)"
    return name


def progress_text(finished: int, total: int, percent: float) -> str:
    return f"{finished:,} / {total:,}  ({percent:.1f} %)"


def path_text(path: str | None) -> str:
    """A path as a person reads it: under the home folder it starts with `~`."""
    if not path:
        return ""
    home = str(Path.home())
    if path == home or path.startswith(home.rstrip(os.sep) + os.sep):
        return "~" + path[len(home.rstrip(os.sep)) :]
    return path


def developed_by_text(developed_by: str | None) -> str:
    """Which computer developed a photo: "This computer", a farm worker's name, or ""."""
    if developed_by is None:
        return ""
    return "This computer" if developed_by == "local" else developed_by


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def farm_text(status: FarmStatus | None) -> str:
    """ "Farm: 3 computers · 12 workers" (workers: photos the farm develops at once)."""
    if status is None:
        return "No render farm: photos are developed on this computer."
    if not status.connected:
        return f"Farm: not connected. {status.problem or 'Connecting…'}"
    text = f"Farm: {_count(status.computers, 'computer')} · {_count(status.concurrency, 'worker')}"
    return text + (f" · {status.queued} queued" if status.queued else "")
