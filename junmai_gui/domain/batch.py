"""Batch snapshots in the AutoDev contract's shapes.

`BatchSummary` is what the controller keeps in memory and the views show: counters, never
photo lists, so a store of 100,000 photos costs a few hundred bytes a batch.
`BatchState` is the AutoDev contract's full `BatchState`, with photo id lists, used for the JSON
export/import format only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from junmai_gui.domain.status import BatchStatus, PauseReason


def progress_percent(processed: int, failed: int, total: int) -> float:
    """100 × (done + failed) / total, one decimal; an empty batch counts as 0."""
    if total <= 0:
        return 0.0
    return round(100.0 * (processed + failed) / total, 1)


@dataclass(frozen=True)
class BatchSummary:
    """One batch without its photo lists."""

    batch_id: str
    name: str
    session_id: int | None
    status: BatchStatus
    pause_reason: PauseReason | None
    priority: int
    created_at: str
    started_at: str | None
    paused_at: str | None
    completed_at: str | None
    total_photos: int
    processed_count: int
    failed_count: int
    running_count: int
    config: dict[str, Any]
    error: str | None = None

    @property
    def pending_count(self) -> int:
        return self.total_photos - self.processed_count - self.failed_count - self.running_count

    @property
    def progress_percent(self) -> float:
        return progress_percent(self.processed_count, self.failed_count, self.total_photos)

    def status_dict(self) -> dict[str, Any]:
        """The AutoDev `GET /batch/{id}/status` body, plus name, priority, pause_reason."""
        return {
            "batch_id": self.batch_id,
            "session_id": self.session_id,
            "status": self.status.value,
            "total_photos": self.total_photos,
            "processed_count": self.processed_count,
            "failed_count": self.failed_count,
            "progress_percent": self.progress_percent,
            "created_at": self.created_at,
            "started_at": self.started_at,
            "paused_at": self.paused_at,
            "completed_at": self.completed_at,
            "name": self.name,
            "priority": self.priority,
            "pause_reason": self.pause_reason.value if self.pause_reason else None,
            "error": self.error,
            "config": self.config,
        }

    def list_entry(self) -> dict[str, Any]:
        """The AutoDev contract's `GET /batch/list` entry, plus name, failed_count, pause_reason."""
        return {
            "batch_id": self.batch_id,
            "status": self.status.value,
            "total_photos": self.total_photos,
            "processed_count": self.processed_count,
            "progress_percent": self.progress_percent,
            "name": self.name,
            "failed_count": self.failed_count,
            "priority": self.priority,
            "pause_reason": self.pause_reason.value if self.pause_reason else None,
            "created_at": self.created_at,
        }


@dataclass
class BatchState:
    """The AutoDev contract's `BatchState`, field for field, plus name, priority, pause_reason."""

    batch_id: str
    session_id: int | None
    photo_ids: list[int]
    processed_photo_ids: list[int]
    failed_photo_ids: list[int]
    status: str
    created_at: str
    started_at: str | None
    paused_at: str | None
    completed_at: str | None
    total_photos: int
    processed_count: int
    failed_count: int
    config: dict[str, Any] | None
    task_ids: list[str] = field(default_factory=list)
    name: str | None = None
    priority: int = 0
    pause_reason: str | None = None
