"""How numbers, times and states read in the window, the dialogs and the tray."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from junmai_gui.controller.progress import Activity, BatchProgress
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
    BatchStatus.PENDING: "Not started",
    BatchStatus.RUNNING: "Running",
    BatchStatus.PAUSED: "Paused",
    BatchStatus.COMPLETED: "Completed",
    BatchStatus.CANCELLED: "Cancelled",
    BatchStatus.FAILED: "Failed",
}


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 22nd …"""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def status_kind(batch: BatchSummary, progress: BatchProgress | None = None) -> str:
    """Which state a batch shows, as the icons name them: running, waiting (running, but no
    worker is free for it), paused, not_started, completed, completed_with_failures,
    cancelled, failed."""
    status = batch.status
    if status is BatchStatus.RUNNING and progress is not None and progress.place_in_line:
        return "waiting"
    if status is BatchStatus.COMPLETED and batch.failed_count:
        return "completed_with_failures"
    if status is BatchStatus.PENDING:
        return "not_started"
    return status.value


def status_text(batch: BatchSummary, progress: BatchProgress | None = None) -> str:
    """`Running`, `Waiting for a free worker — 2nd in line`, `Paused — interrupted`,
    `Completed — 2 failed`, `Not started`, …"""
    kind = status_kind(batch, progress)
    if kind == "waiting":
        assert progress is not None
        return f"Waiting for a free worker — {ordinal(progress.place_in_line)} in line"
    if kind == "completed_with_failures":
        return f"Completed — {batch.failed_count:,} failed"
    text = STATUS_TEXT[batch.status]
    reason = batch.pause_reason
    if batch.status is BatchStatus.PAUSED and reason is not None and reason in PAUSE_REASON_TEXT:
        return f"{text} — {PAUSE_REASON_TEXT[reason]}"
    return text


def counts_text(progress: BatchProgress) -> str:
    """`12 done, 2 failed, 26 to go` — the words beside the bar's `14 / 40`."""
    to_go = progress.total - progress.finished
    return f"{progress.done:,} done, {progress.failed:,} failed, {to_go:,} to go"


def activity_text(activity: Activity) -> str:
    """`2 running · 139/min · about 4 min left`, or `Nothing running`."""
    if not activity.running:
        return "Nothing running"
    speed = speed_text(activity.rate) or "starting"
    eta = duration_text(activity.eta_seconds)
    if eta:
        return f"{activity.running} running · {speed} · about {eta} left"
    return f"{activity.running} running · {speed}"


def title_text(activity: Activity) -> str:
    """The window title: `Junmai Batch — 42 % · 3 min left` while batches run."""
    if not activity.running:
        return "Junmai Batch"
    eta = duration_text(activity.eta_seconds)
    percent = f"{activity.percent:.0f} %"
    if eta:
        return f"Junmai Batch — {percent} · {eta} left"
    return f"Junmai Batch — {percent}"


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


def progress_text(progress: BatchProgress) -> str:
    """The bar's text: photos finished (done or failed) of all, and the percentage."""
    return f"{progress.finished:,} / {progress.total:,}  ({progress.percent:.1f} %)"


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
