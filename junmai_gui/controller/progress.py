"""One definition of progress, speed and time left, read alike by the batch table, the
detail pane, the status bar, the tray, the window title and the API.

- done, failed, total: the batch's counters; finished = done + failed; percent as
  `domain.batch.progress_percent`.
- rate: photos a minute of one batch, over the last minute; the overall rate is the sum of
  the running batches' rates (so the status bar and the rows always add up).
- time left: photos go to the running batches in dispatch order (priority, then age), so a
  batch is done when the photos of the batches before it and its own are: its ETA is that
  many photos at the overall rate; the overall ETA is the last batch's.
- place in line: a running batch with photos to develop and none in flight waits for a
  free worker (others have them all); it is the n-th in line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from junmai_gui.domain.batch import BatchSummary, progress_percent
from junmai_gui.domain.status import BatchStatus


@dataclass(frozen=True)
class BatchProgress:
    done: int
    failed: int
    total: int
    rate: float = 0.0  # photos a minute; 0 when the batch is not developing
    eta_seconds: float | None = None  # None: not running, or not known yet
    place_in_line: int = 0  # n > 0: running, but waiting for a free worker, n-th in line

    @property
    def finished(self) -> int:
        return self.done + self.failed

    @property
    def percent(self) -> float:
        return progress_percent(self.done, self.failed, self.total)

    @classmethod
    def of(cls, summary: BatchSummary) -> BatchProgress:
        return cls(summary.processed_count, summary.failed_count, summary.total_photos)


@dataclass(frozen=True)
class Activity:
    """Everything at once, over the running batches."""

    workers: int = 0
    workers_busy: int = 0
    running: int = 0  # batches running, developing or waiting for a worker
    paused: int = 0
    done: int = 0
    failed: int = 0
    total: int = 0
    rate: float = 0.0
    eta_seconds: float | None = None

    @property
    def finished(self) -> int:
        return self.done + self.failed

    @property
    def percent(self) -> float:
        return progress_percent(self.done, self.failed, self.total)


@dataclass(frozen=True)
class Snapshot:
    """The progress of every running batch and the activity, computed at one moment."""

    batches: dict[str, BatchProgress] = field(default_factory=dict)
    activity: Activity = Activity()


def take_snapshot(
    batches: Sequence[BatchSummary],
    *,
    in_flight: Callable[[str], int],
    rate: Callable[[str], float],
    workers: int,
    workers_busy: int,
) -> Snapshot:
    """`batches`: every batch, the running ones in dispatch order."""
    running = [b for b in batches if b.status is BatchStatus.RUNNING]
    waiting = {b.batch_id for b in running if b.pending_count > 0 and in_flight(b.batch_id) == 0}
    rates = {b.batch_id: 0.0 if b.batch_id in waiting else rate(b.batch_id) for b in running}
    overall = round(sum(rates.values()), 2)
    progress: dict[str, BatchProgress] = {}
    ahead = 0  # photos to develop in this batch and the batches before it
    line = 0
    for batch in running:
        ahead += batch.pending_count + batch.running_count
        line += batch.batch_id in waiting
        progress[batch.batch_id] = BatchProgress(
            batch.processed_count,
            batch.failed_count,
            batch.total_photos,
            rate=rates[batch.batch_id],
            eta_seconds=_eta(ahead, overall),
            place_in_line=line if batch.batch_id in waiting else 0,
        )
    activity = Activity(
        workers=workers,
        workers_busy=workers_busy,
        running=len(running),
        paused=sum(1 for b in batches if b.status is BatchStatus.PAUSED),
        done=sum(b.processed_count for b in running),
        failed=sum(b.failed_count for b in running),
        total=sum(b.total_photos for b in running),
        rate=overall,
        eta_seconds=_eta(ahead, overall) if running else None,
    )
    return Snapshot(progress, activity)


def _eta(photos: int, per_minute: float) -> float | None:
    if photos <= 0:
        return 0.0
    if per_minute <= 0:
        return None
    return round(photos * 60.0 / per_minute, 1)
