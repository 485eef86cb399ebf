"""Batch snapshots have the AutoDev contract's field names, types and progress arithmetic."""

from __future__ import annotations

import re
from dataclasses import fields

from junmai_gui.domain.batch import BatchState, BatchSummary, progress_percent
from junmai_gui.domain.clock import new_batch_id, parse_iso, to_iso, utc_now_iso
from junmai_gui.domain.status import BatchStatus, PauseReason

AUTODEV_FIELDS = [
    "batch_id", "session_id", "photo_ids", "processed_photo_ids", "failed_photo_ids", "status",
    "created_at", "started_at", "paused_at", "completed_at", "total_photos", "processed_count",
    "failed_count", "config", "task_ids",
]  # fmt: skip


def _summary(**changes: object) -> BatchSummary:
    values: dict[str, object] = {
        "batch_id": "batch_abc123def456",
        "name": "Wedding",
        "session_id": 123,
        "status": BatchStatus.PAUSED,
        "pause_reason": PauseReason.USER,
        "priority": 1,
        "created_at": "2025-11-09T10:00:00Z",
        "started_at": "2025-11-09T10:00:05Z",
        "paused_at": "2025-11-09T10:15:30Z",
        "completed_at": None,
        "total_photos": 3,
        "processed_count": 1,
        "failed_count": 1,
        "running_count": 0,
        "config": {"preset": "WhiteLayer_v4", "blend": 60},
    }
    values.update(changes)
    return BatchSummary(**values)  # type: ignore[arg-type]


def test_progress_percent_has_one_decimal() -> None:
    assert progress_percent(1, 1, 3) == 66.7
    assert progress_percent(0, 0, 0) == 0.0
    assert progress_percent(5, 0, 5) == 100.0
    assert _summary().progress_percent == 66.7 and _summary().pending_count == 1


def test_status_body_has_the_autodev_fields() -> None:
    body = _summary().status_dict()
    for key in [
        "batch_id", "session_id", "status", "total_photos", "processed_count", "failed_count",
        "progress_percent", "created_at", "started_at", "paused_at", "completed_at",
    ]:  # fmt: skip
        assert key in body
    assert body["status"] == "paused" and body["pause_reason"] == "user"
    assert body["progress_percent"] == 66.7


def test_list_entry_has_the_autodev_fields() -> None:
    entry = _summary(pause_reason=None).list_entry()
    assert {"batch_id", "status", "total_photos", "processed_count", "progress_percent"} <= set(
        entry
    )
    assert entry["pause_reason"] is None


def test_batch_state_has_the_autodev_fields_in_order() -> None:
    names = [f.name for f in fields(BatchState)]
    assert names[: len(AUTODEV_FIELDS)] == AUTODEV_FIELDS
    assert names[len(AUTODEV_FIELDS) :] == ["name", "priority", "pause_reason"]


def test_timestamps_and_ids() -> None:
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", utc_now_iso())
    assert to_iso(parse_iso("2025-11-09T10:00:05Z")) == "2025-11-09T10:00:05Z"
    assert to_iso(parse_iso("2025-11-09T11:00:05+01:00")) == "2025-11-09T10:00:05Z"
    assert parse_iso("2025-11-09T10:00:05").tzinfo is not None
    assert re.fullmatch(r"batch_[0-9a-f]{12}", new_batch_id())
    assert new_batch_id() != new_batch_id()
