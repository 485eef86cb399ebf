"""The AutoDev contract's `batch_states/{batch_id}.json` format: read, check, write.

Only a format for import and export; the store itself keeps batches in SQLite. A file that
cannot be read as a batch state (truncated, empty, wrongly typed, inconsistent lists) is
renamed `*.corrupt` with the reason logged, so the rest of the folder still imports and the
damaged file is kept for a person to look at.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from junmai_gui.domain.batch import BatchState
from junmai_gui.domain.clock import parse_iso
from junmai_gui.domain.status import BatchStatus, PauseReason
from junmai_gui.durable import fsync_folder

log = logging.getLogger(__name__)

STATES_FOLDER = "batch_states"
CORRUPT_SUFFIX = ".corrupt"

# The AutoDev contract's keys, in the AutoDev contract's order.
AUTODEV_KEYS = (
    "batch_id",
    "session_id",
    "photo_ids",
    "processed_photo_ids",
    "failed_photo_ids",
    "status",
    "created_at",
    "started_at",
    "paused_at",
    "completed_at",
    "total_photos",
    "processed_count",
    "failed_count",
    "config",
    "task_ids",
)
EXTRA_KEYS = ("name", "priority", "pause_reason")


class StateFileError(ValueError):
    """A state file that cannot be imported; the message says why."""


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _id_list(data: dict[str, Any], key: str) -> list[int]:
    value = data.get(key)
    if not isinstance(value, list) or not all(_is_int(v) for v in value):
        raise StateFileError(f"{key} must be a list of whole numbers")
    return list(value)


def _optional_time(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise StateFileError(f"{key} must be a timestamp or null")
    try:
        parse_iso(value)
    except ValueError as exc:
        raise StateFileError(f"{key} is not a timestamp: {value!r}") from exc
    return value


def state_from_dict(data: object) -> BatchState:
    """Check one decoded state file and build the `BatchState`; `StateFileError` says why not."""
    if not isinstance(data, dict):
        raise StateFileError("the file does not hold a JSON object")
    missing = [k for k in AUTODEV_KEYS if k not in data and k != "task_ids"]
    if missing:
        raise StateFileError(f"missing field(s): {', '.join(missing)}")
    batch_id = data["batch_id"]
    if not isinstance(batch_id, str) or not batch_id.strip():
        raise StateFileError("batch_id must be a non-empty string")
    session_id = data["session_id"]
    if session_id is not None and not _is_int(session_id):
        raise StateFileError("session_id must be a whole number or null")
    photo_ids = _id_list(data, "photo_ids")
    processed = _id_list(data, "processed_photo_ids")
    failed = _id_list(data, "failed_photo_ids")
    if len(set(photo_ids)) != len(photo_ids):
        raise StateFileError("photo_ids lists a photo more than once")
    known = set(photo_ids)
    if not set(processed) <= known or not set(failed) <= known:
        raise StateFileError("processed or failed photos are not in photo_ids")
    if set(processed) & set(failed):
        raise StateFileError("a photo is listed as both processed and failed")
    status = data["status"]
    if status not in {s.value for s in BatchStatus}:
        raise StateFileError(f"unknown status {status!r}")
    created_at = _optional_time(data, "created_at")
    if created_at is None:
        raise StateFileError("created_at must be a timestamp")
    for key in ("total_photos", "processed_count", "failed_count"):
        if not _is_int(data[key]):
            raise StateFileError(f"{key} must be a whole number")
    config = data["config"]
    if config is not None and not isinstance(config, dict):
        raise StateFileError("config must be an object or null")
    task_ids = data.get("task_ids", [])
    if not isinstance(task_ids, list) or not all(isinstance(t, str) for t in task_ids):
        raise StateFileError("task_ids must be a list of strings")
    name = data.get("name")
    if name is not None and not isinstance(name, str):
        raise StateFileError("name must be a string")
    priority = data.get("priority", 0)
    if not _is_int(priority):
        raise StateFileError("priority must be a whole number")
    pause_reason = data.get("pause_reason")
    if pause_reason is not None and pause_reason not in {r.value for r in PauseReason}:
        raise StateFileError(f"unknown pause_reason {pause_reason!r}")
    counts = (data["total_photos"], data["processed_count"], data["failed_count"])
    if counts != (len(photo_ids), len(processed), len(failed)):
        log.warning(
            "State file counters disagree with its photo lists; the lists are used | batch_id=%s",
            batch_id,
        )
    return BatchState(
        batch_id=batch_id,
        session_id=session_id,
        photo_ids=photo_ids,
        processed_photo_ids=processed,
        failed_photo_ids=failed,
        status=status,
        created_at=created_at,
        started_at=_optional_time(data, "started_at"),
        paused_at=_optional_time(data, "paused_at"),
        completed_at=_optional_time(data, "completed_at"),
        total_photos=len(photo_ids),
        processed_count=len(processed),
        failed_count=len(failed),
        config=config,
        task_ids=list(task_ids),
        name=name,
        priority=priority,
        pause_reason=pause_reason,
    )


def state_to_dict(state: BatchState, *, include_extras: bool = False) -> dict[str, Any]:
    """The AutoDev contract's JSON object, keys in its order; `include_extras` adds name,
    priority and pause_reason (AutoDev's own loader would not accept them)."""
    out: dict[str, Any] = {
        "batch_id": state.batch_id,
        "session_id": state.session_id,
        "photo_ids": list(state.photo_ids),
        "processed_photo_ids": list(state.processed_photo_ids),
        "failed_photo_ids": list(state.failed_photo_ids),
        "status": state.status,
        "created_at": state.created_at,
        "started_at": state.started_at,
        "paused_at": state.paused_at,
        "completed_at": state.completed_at,
        "total_photos": state.total_photos,
        "processed_count": state.processed_count,
        "failed_count": state.failed_count,
        "config": state.config,
        "task_ids": list(state.task_ids),
    }
    if include_extras:
        out["name"] = state.name
        out["priority"] = state.priority
        out["pause_reason"] = state.pause_reason
    return out


def write_json_atomically(path: Path, data: object, *, indent: int | None = 2) -> None:
    """Write JSON to a temporary file beside `path`, fsync it, rename it over `path`, and
    fsync the folder, so a reader sees the old or the new file, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=indent)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    fsync_folder(path.parent)


def write_state_file(state: BatchState, folder: Path, *, include_extras: bool = False) -> Path:
    """Write `folder/{batch_id}.json` atomically, in the AutoDev contract's format."""
    path = folder / f"{state.batch_id}.json"
    write_json_atomically(path, state_to_dict(state, include_extras=include_extras))
    return path


def set_aside(path: Path, reason: str, *, companions: tuple[str, ...] = ()) -> Path:
    """Rename a damaged file to `*.corrupt` (numbered if that exists) and log why.

    `companions` are suffixes of files that belong to it (a database's `-wal`, `-shm`):
    they move along under the same new name, so nothing is deleted or separated.
    """
    target = path.with_name(path.name + CORRUPT_SUFFIX)
    n = 1
    while target.exists():
        target = path.with_name(f"{path.name}{CORRUPT_SUFFIX}.{n}")
        n += 1
    os.replace(path, target)
    for suffix in companions:
        part = path.with_name(path.name + suffix)
        if part.exists():
            os.replace(part, target.with_name(target.name + suffix))
    log.warning("Set aside damaged file %s as %s: %s", path, target.name, reason)
    return target


def states_folder(folder: Path) -> Path:
    """`folder/batch_states` when it exists, else `folder` itself."""
    inner = folder / STATES_FOLDER
    return inner if inner.is_dir() else folder


def read_state_files(folder: Path) -> Iterator[tuple[Path, BatchState | None, str | None]]:
    """Yield (file, state, None) for each readable `*.json`, or (file, None, reason) after
    setting a damaged one aside."""
    for path in sorted(states_folder(folder).glob("*.json")):
        try:
            text = path.read_text(encoding="utf-8")
            if not text.strip():
                raise StateFileError("the file is empty")
            state = state_from_dict(json.loads(text))
        except (StateFileError, ValueError, UnicodeDecodeError) as exc:
            reason = str(exc) if isinstance(exc, StateFileError) else f"not valid JSON ({exc})"
            set_aside(path, reason)
            yield path, None, reason
            continue
        except OSError as exc:
            log.warning("Could not read state file %s: %s", path, exc)
            yield path, None, f"could not be read ({exc})"
            continue
        yield path, state, None
