"""Reading and checking request bodies and query values; anything wrong is a 400 ApiError.

Checks happen before the controller is called, so a malformed request changes nothing.
Numbers are bounded so that nothing a client sends can overflow SQLite's 64-bit integers, and
JSON is nested at most `MAX_DEPTH` levels, so nothing downstream recurses on a client's
structure. An empty body counts as no body; any other body must be a JSON object.
"""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePath
from typing import Any

from aiohttp import web

from junmai_gui.api.errors import ApiError, bad_request

MAX_INT = 2**63 - 1
MAX_PRIORITY = 1_000_000
MAX_DAYS = 36_500
MAX_PAGE = 1000
MAX_NAME = 200
MAX_DEPTH = 32
MAX_BATCH_ID = 200
BATCH_ID_PATTERN = f"^[A-Za-z0-9_-]{{1,{MAX_BATCH_ID}}}$"
# An absolute path without NUL, as `PurePath.is_absolute` sees it on this system.
ABSOLUTE_PATH_PATTERN = (
    r"^(?:[A-Za-z]:[\\/]|[\\/]{2})[^\x00]*$" if os.name == "nt" else r"^/+[^/\x00][^\x00]*$"
)


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


async def json_object(
    request: web.Request, action: str, *, batch_id: str | None = None, required: bool = False
) -> dict[str, Any]:
    """The body as a JSON object; an empty body is `{}` unless `required`."""
    raw = await request.read()
    if not raw:
        if required:
            raise bad_request(action, "The request needs a JSON object as its body", batch_id)
        return {}
    try:
        data = json.loads(raw, parse_constant=_no_constants)
    except (ValueError, UnicodeDecodeError) as exc:
        raise bad_request(action, f"The request body is not valid JSON ({exc})", batch_id) from exc
    except RecursionError as exc:
        raise bad_request(action, _TOO_DEEP, batch_id) from exc
    if not isinstance(data, dict):
        raise bad_request(action, "The request body must be a JSON object", batch_id)
    if _depth(data) > MAX_DEPTH:
        raise bad_request(action, _TOO_DEEP, batch_id)
    return data


_TOO_DEEP = f"The request body is nested too deeply (at most {MAX_DEPTH} levels)"


def _depth(value: Any) -> int:
    """How deeply lists and objects nest in `value` (counted without recursion)."""
    deepest = 0
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, level = pending.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            if level <= MAX_DEPTH:
                children = item.values() if isinstance(item, dict) else item
                pending.extend((child, level + 1) for child in children)
    return deepest


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def int_field(
    data: dict[str, Any],
    key: str,
    action: str,
    *,
    default: int | None = None,
    low: int = -MAX_INT,
    high: int = MAX_INT,
    nullable: bool = False,
    batch_id: str | None = None,
) -> int | None:
    """An optional whole number within [low, high]."""
    if key not in data:
        return default
    value = data[key]
    if value is None and nullable:
        return None
    if not is_int(value) or not low <= value <= high:
        raise bad_request(action, f"{key} must be a whole number from {low} to {high}", batch_id)
    return int(value)


def id_list(data: dict[str, Any], key: str, action: str) -> list[int]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(is_int(v) and 1 <= v <= MAX_INT for v in value):
        raise bad_request(action, f"{key} must be a list of positive whole numbers")
    return [int(v) for v in value]


def str_list(data: dict[str, Any], key: str, action: str) -> list[str]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise bad_request(action, f"{key} must be a list of non-empty strings")
    return list(value)


def photo_path_list(data: dict[str, Any], key: str, action: str) -> list[str]:
    """Absolute paths of photos or folders; a whole disk is refused (it would scan for hours),
    also when the path only reaches it through ".." or a symbolic link ("/tmp/..")."""
    paths = str_list(data, key, action)
    for text in paths:
        if "\x00" in text:
            raise bad_request(action, f"{key} holds a path with a NUL character")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise bad_request(action, f"{key} holds a path that is not valid text") from exc
        if not PurePath(text).is_absolute():
            raise bad_request(action, f"Give absolute paths; {text!r} is relative")
        try:
            resolved = Path(text).resolve()
        except (OSError, RuntimeError) as exc:  # a symbolic-link loop
            raise bad_request(action, f"The path {text!r} cannot be followed") from exc
        if resolved == Path(resolved.anchor):
            raise bad_request(action, f"Choose a folder, not the whole disk {text!r}")
    return paths


def optional_str(
    data: dict[str, Any], key: str, action: str, max_len: int = MAX_NAME
) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > max_len:
        raise bad_request(action, f"{key} must be text of at most {max_len} characters")
    return value


def optional_bool(data: dict[str, Any], key: str, action: str, default: bool) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise bad_request(action, f"{key} must be true or false")
    return value


def optional_object(data: dict[str, Any], key: str, action: str) -> dict[str, Any] | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise bad_request(action, f"{key} must be a JSON object")
    return value


def query_int(
    request: web.Request, key: str, action: str, default: int, low: int, high: int, batch_id: str
) -> int:
    text = request.query.get(key)
    if text is None or text == "":
        return default
    try:
        value = int(text)
    except ValueError as exc:
        raise bad_request(action, f"{key} must be a whole number", batch_id) from exc
    if not low <= value <= high:
        raise bad_request(action, f"{key} must be from {low} to {high}", batch_id)
    return value


def require_only(data: dict[str, Any], allowed: set[str], action: str) -> None:
    """Refuse unknown keys where a stray one could be mistaken for an instruction."""
    extra = sorted(set(data) - allowed)
    if extra:
        raise ApiError(400, action, detail=f"Unknown field(s): {', '.join(extra)}")
