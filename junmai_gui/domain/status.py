"""Batch status, photo state and pause reason, with the one table of legal transitions."""

from __future__ import annotations

from enum import StrEnum

from junmai_gui.domain.errors import IllegalTransitionError


class BatchStatus(StrEnum):
    """A batch's status; the values are the wire strings of the AutoDev contract."""

    PENDING = "pending"
    RUNNING = "running"
    PAUSED = "paused"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    FAILED = "failed"

    @property
    def is_finished(self) -> bool:
        return self in FINISHED_STATUSES


class PhotoState(StrEnum):
    """Where one photo of a batch stands."""

    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class PauseReason(StrEnum):
    """Why a batch is paused: by the user, or by the app on its behalf."""

    USER = "user"
    APP_QUIT = "app_quit"
    INTERRUPTED = "interrupted"
    DISK_FULL = "disk_full"
    OUTPUT_UNAVAILABLE = "output_unavailable"
    FARM_UNAVAILABLE = "farm_unavailable"
    OUT_OF_RESOURCES = "out_of_resources"  # too many open files, or memory, on this computer


FINISHED_STATUSES = frozenset({BatchStatus.COMPLETED, BatchStatus.CANCELLED, BatchStatus.FAILED})

# The state machine drawn in docs/architecture.md. "retry" (completed|failed -> running) is
# legal only when some photos failed; that condition is checked by `check_retry`.
TRANSITIONS: dict[BatchStatus, frozenset[BatchStatus]] = {
    BatchStatus.PENDING: frozenset({BatchStatus.RUNNING, BatchStatus.CANCELLED}),
    BatchStatus.RUNNING: frozenset(
        {BatchStatus.PAUSED, BatchStatus.COMPLETED, BatchStatus.CANCELLED, BatchStatus.FAILED}
    ),
    BatchStatus.PAUSED: frozenset({BatchStatus.RUNNING, BatchStatus.CANCELLED}),
    BatchStatus.COMPLETED: frozenset({BatchStatus.RUNNING}),
    BatchStatus.FAILED: frozenset({BatchStatus.RUNNING}),
    BatchStatus.CANCELLED: frozenset(),
}


# What "resume" and "retry failed" may start from (both lead to running).
RESUMABLE = frozenset({BatchStatus.PAUSED, BatchStatus.PENDING})
RETRYABLE = frozenset({BatchStatus.COMPLETED, BatchStatus.FAILED})
_WHY_NOT = {
    RESUMABLE: "only a paused or pending batch can be resumed",
    RETRYABLE: "only a finished batch with failed photos can retry them",
}


def can_transition(current: BatchStatus, requested: BatchStatus) -> bool:
    return requested in TRANSITIONS[current]


def check_transition(
    batch_id: str,
    current: BatchStatus,
    requested: BatchStatus,
    only_from: frozenset[BatchStatus] | None = None,
) -> None:
    """Raise `IllegalTransitionError` unless `current -> requested` is drawn in docs/architecture.md
    (and, with `only_from` — RESUMABLE or RETRYABLE — `current` is one of those)."""
    if not can_transition(current, requested) or (
        only_from is not None and current not in only_from
    ):
        detail = _WHY_NOT.get(only_from) if only_from is not None else None
        raise IllegalTransitionError(batch_id, current.value, requested.value, detail=detail)


def check_retry(batch_id: str, current: BatchStatus, failed_count: int) -> None:
    """Retrying failures is legal from completed or failed, and only when a photo failed."""
    if current not in (BatchStatus.COMPLETED, BatchStatus.FAILED) or failed_count == 0:
        raise IllegalTransitionError(
            batch_id,
            current.value,
            BatchStatus.RUNNING.value,
            detail="only a finished batch with failed photos can retry them",
        )
