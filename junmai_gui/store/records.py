"""Plain records the store takes and returns (no behaviour, no SQL)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from junmai_gui.domain.photo import PhotoRecord
from junmai_gui.domain.status import BatchStatus, PhotoState
from junmai_gui.domain.workflows import TemplateRecord, WatchRecord

__all__ = [
    "ImportReport",
    "NewBatch",
    "NewBatchPhoto",
    "PhotoRecord",
    "PhotoTask",
    "RecoveryCounts",
    "TemplateRecord",
    "WatchRecord",
]


@dataclass(frozen=True)
class NewBatchPhoto:
    """One photo of a batch about to be created; `output_path` "" means not planned yet.
    `extra_outputs`: the paths of its other outputs, when its batch writes several."""

    photo_id: int
    output_path: str
    state: PhotoState = PhotoState.PENDING
    extra_outputs: tuple[str, ...] = ()

    @property
    def output_paths(self) -> tuple[str, ...]:
        return (self.output_path, *self.extra_outputs)


@dataclass(frozen=True)
class NewBatch:
    """Everything `Store.create_batch` writes in one transaction; photos keep their order."""

    batch_id: str
    name: str
    session_id: int | None
    priority: int
    config: dict[str, Any]
    status: BatchStatus
    photos: list[NewBatchPhoto]
    created_at: str
    task_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PhotoTask:
    """A photo handed to a worker: where to read it and where to write the results."""

    batch_id: str
    photo_id: int
    source_path: str
    output_path: str
    attempts: int
    extra_outputs: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecoveryCounts:
    """What `recover_running_photos` did: photos back to pending, photos failed, batches touched."""

    returned: int
    failed: int
    batches: list[str]


@dataclass(frozen=True)
class ImportReport:
    """What `import_states` did: batches imported, already present, files set aside.

    `corrupt` holds (file name, reason) pairs."""

    imported: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    corrupt: list[tuple[str, str]] = field(default_factory=list)
