"""Timestamps and ids in the forms the AutoDev contract uses on the wire."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)


def to_iso(moment: datetime) -> str:
    """ISO 8601 in UTC with a `Z`, to the second, as AutoDev writes it: `2025-11-09T10:00:05Z`."""
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def utc_now_iso() -> str:
    return to_iso(utc_now())


def parse_iso(text: str) -> datetime:
    """Parse an ISO 8601 timestamp; a naive one is taken as UTC."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def new_batch_id() -> str:
    """`batch_` followed by 12 hex characters, as in the AutoDev contract."""
    return "batch_" + secrets.token_hex(6)
