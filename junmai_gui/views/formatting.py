"""How numbers, times and states read in the window, the dialogs and the tray, in the
interface's language (translation context "Formatting")."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject

from junmai_gui.controller.progress import Activity, BatchProgress
from junmai_gui.domain.batch import BatchSummary
from junmai_gui.domain.clock import parse_iso
from junmai_gui.domain.errors import BatchError, InvalidBatchError
from junmai_gui.domain.status import BatchStatus, PauseReason
from junmai_gui.domain.wording import PROBLEM, Sentence
from junmai_gui.i18n import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from junmai_gui.controller.farm_status import FarmStatus

CONTEXT = "Formatting"

PAUSE_REASON_TEXT: dict[PauseReason, str] = {
    PauseReason.APP_QUIT: QT_TRANSLATE_NOOP("Formatting", "app was quit"),
    PauseReason.INTERRUPTED: QT_TRANSLATE_NOOP("Formatting", "interrupted"),
    PauseReason.DISK_FULL: QT_TRANSLATE_NOOP("Formatting", "disk full"),
    PauseReason.OUTPUT_UNAVAILABLE: QT_TRANSLATE_NOOP("Formatting", "output folder unavailable"),
    PauseReason.FARM_UNAVAILABLE: QT_TRANSLATE_NOOP("Formatting", "render farm unreachable"),
    PauseReason.OUT_OF_RESOURCES: QT_TRANSLATE_NOOP("Formatting", "computer out of resources"),
}

STATUS_TEXT: dict[BatchStatus, str] = {
    BatchStatus.PENDING: QT_TRANSLATE_NOOP("Formatting", "Not started"),
    BatchStatus.RUNNING: QT_TRANSLATE_NOOP("Formatting", "Running"),
    BatchStatus.PAUSED: QT_TRANSLATE_NOOP("Formatting", "Paused"),
    BatchStatus.COMPLETED: QT_TRANSLATE_NOOP("Formatting", "Completed"),
    BatchStatus.CANCELLED: QT_TRANSLATE_NOOP("Formatting", "Cancelled"),
    BatchStatus.FAILED: QT_TRANSLATE_NOOP("Formatting", "Failed"),
}


def _tr(text: str) -> str:
    """`text`, marked where it is written (QT_TRANSLATE_NOOP), in the interface's language."""
    return QCoreApplication.translate(CONTEXT, text)


class Plurals(QObject):
    """Counted words ("1 computer", "3 computers"): lupdate finds the plural forms of a
    message in a class's `tr()` only, not in `QCoreApplication.translate()`."""

    def computers(self, count: int) -> str:
        return self.tr("%n computer(s)", "", count)

    def workers(self, count: int) -> str:
        return self.tr("%n worker(s)", "", count)


ORDINALS = {
    "st": QT_TRANSLATE_NOOP("Formatting", "{number}st"),
    "nd": QT_TRANSLATE_NOOP("Formatting", "{number}nd"),
    "rd": QT_TRANSLATE_NOOP("Formatting", "{number}rd"),
    "th": QT_TRANSLATE_NOOP("Formatting", "{number}th"),
}


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 22nd … (in English; 1番目, 2番目 … in Japanese)."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return _tr(ORDINALS[suffix]).format(number=number)


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
        waiting = QT_TRANSLATE_NOOP("Formatting", "Waiting for a free worker — {ordinal} in line")
        return _tr(waiting).format(ordinal=ordinal(progress.place_in_line))
    if kind == "completed_with_failures":
        failed = QT_TRANSLATE_NOOP("Formatting", "Completed — {failed} failed")
        return _tr(failed).format(failed=f"{batch.failed_count:,}")
    text = _tr(STATUS_TEXT[batch.status])
    reason = batch.pause_reason
    if batch.status is BatchStatus.PAUSED and reason is not None and reason in PAUSE_REASON_TEXT:
        return f"{text} — {_tr(PAUSE_REASON_TEXT[reason])}"
    return text


def counts_text(progress: BatchProgress) -> str:
    """`12 done, 2 failed, 26 to go` — the words beside the bar's `14 / 40`."""
    to_go = progress.total - progress.finished
    counts = QT_TRANSLATE_NOOP("Formatting", "{done} done, {failed} failed, {to_go} to go")
    return _tr(counts).format(
        done=f"{progress.done:,}", failed=f"{progress.failed:,}", to_go=f"{to_go:,}"
    )


def activity_text(activity: Activity) -> str:
    """`2 running · 139/min · about 4 min left`, or `Nothing running`."""
    if not activity.running:
        return _tr(QT_TRANSLATE_NOOP("Formatting", "Nothing running"))
    speed = speed_text(activity.rate) or _tr(QT_TRANSLATE_NOOP("Formatting", "starting"))
    eta = duration_text(activity.eta_seconds)
    if eta:
        text = QT_TRANSLATE_NOOP("Formatting", "{running} running · {speed} · about {eta} left")
        return _tr(text).format(running=activity.running, speed=speed, eta=eta)
    text = QT_TRANSLATE_NOOP("Formatting", "{running} running · {speed}")
    return _tr(text).format(running=activity.running, speed=speed)


def title_text(activity: Activity) -> str:
    """The window title: `Junmai Batch — 42 % · 3 min left` while batches run."""
    if not activity.running:
        return "Junmai Batch"
    eta = duration_text(activity.eta_seconds)
    percent = f"{activity.percent:.0f} %"
    if eta:
        text = QT_TRANSLATE_NOOP("Formatting", "Junmai Batch — {percent} · {eta} left")
        return _tr(text).format(percent=percent, eta=eta)
    return f"Junmai Batch — {percent}"


def duration_text(seconds: float | None) -> str:
    """`45 s`, `12 min`, `2 h 05 min`; empty when unknown."""
    if seconds is None or seconds < 0:
        return ""
    whole = round(seconds)
    if whole < 60:
        return _tr(QT_TRANSLATE_NOOP("Formatting", "{seconds} s")).format(seconds=whole)
    minutes = round(whole / 60)
    if minutes < 60:
        return _tr(QT_TRANSLATE_NOOP("Formatting", "{minutes} min")).format(minutes=minutes)
    hours, rest = divmod(minutes, 60)
    text = QT_TRANSLATE_NOOP("Formatting", "{hours} h {minutes} min")
    return _tr(text).format(hours=hours, minutes=f"{rest:02d}")


def speed_text(photos_per_minute: float | None) -> str:
    if not photos_per_minute:
        return ""
    rate = f"{photos_per_minute:.1f}" if photos_per_minute < 10 else f"{photos_per_minute:,.0f}"
    return _tr(QT_TRANSLATE_NOOP("Formatting", "{rate}/min")).format(rate=rate)


def local_time_text(iso: str | None) -> str:
    """A stored UTC timestamp in the local time zone, to the minute."""
    if not iso:
        return ""
    try:
        moment = parse_iso(iso)
    except ValueError:
        return iso
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


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
    if developed_by == "local":
        return _tr(QT_TRANSLATE_NOOP("Formatting", "This computer"))
    return developed_by


def farm_text(status: FarmStatus | None) -> str:
    """ "Farm: 3 computers · 12 workers" (workers: photos the farm develops at once)."""
    if status is None:
        return _tr(
            QT_TRANSLATE_NOOP(
                "Formatting", "No render farm: photos are developed on this computer."
            )
        )
    if not status.connected:
        problem = status.problem or _tr(QT_TRANSLATE_NOOP("Formatting", "Connecting…"))
        return _tr(QT_TRANSLATE_NOOP("Formatting", "Farm: not connected. {problem}")).format(
            problem=problem
        )
    text = _tr(QT_TRANSLATE_NOOP("Formatting", "Farm: {computers} · {workers}")).format(
        computers=Plurals().computers(status.computers),
        workers=Plurals().workers(status.concurrency),
    )
    if status.queued:
        text += _tr(QT_TRANSLATE_NOOP("Formatting", " · {queued} queued")).format(
            queued=status.queued
        )
    return text


def sentence_text(text: str) -> str:
    """A sentence of the batch rules (`domain.wording.Sentence`) in the interface's language;
    any other text as it is."""
    if not isinstance(text, Sentence):
        return text
    values = {
        name: sentence_text(v) if isinstance(v, str) else v for name, v in text.values.items()
    }
    return QCoreApplication.translate(PROBLEM, text.wording).format(**values)


def error_text(error: BatchError) -> str:
    """What a refusal says, in the interface's language where the rules wrote it."""
    if isinstance(error, InvalidBatchError):
        return "; ".join(sentence_text(problem) for problem in error.problems)
    return sentence_text(error.message)
