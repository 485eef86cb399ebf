"""Reading a preset file safely: it must exist, be a file, be non-empty and under a size cap."""

from __future__ import annotations

from pathlib import Path

from junmai_gui.develop.errors import PresetError


def file_label(path: Path) -> str:
    """How a message names a file: its name, quoted, as a photographer would recognise it."""
    return f'"{path.name}"'


def read_capped(path: Path, cap_bytes: int, what: str) -> bytes:
    """The file's bytes; a missing, unreadable, empty or oversized file is a `PresetError`."""
    label = file_label(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise PresetError(f"The {what} {label} does not exist.") from None
    except OSError as exc:
        raise PresetError(f"The {what} {label} cannot be read: {exc.strerror}.") from None
    if path.is_dir():
        raise PresetError(f"{label} is a folder, not a {what}.")
    if size == 0:
        raise PresetError(f"The {what} {label} is empty.")
    if size > cap_bytes:
        raise PresetError(
            f"The {what} {label} is too large ({size / 2**20:.1f} MB; "
            f"at most {cap_bytes / 2**20:.0f} MB is accepted)."
        )
    try:
        with path.open("rb") as handle:
            data = handle.read(cap_bytes + 1)
    except OSError as exc:
        raise PresetError(f"The {what} {label} cannot be read: {exc.strerror}.") from None
    if not data:
        raise PresetError(f"The {what} {label} is empty.")
    if len(data) > cap_bytes:
        raise PresetError(f"The {what} {label} is too large.")
    return data


def decode_text(data: bytes, label: str, what: str) -> str:
    """UTF-8 text (a byte-order mark is allowed); anything else is a `PresetError`."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PresetError(f"The {what} {label} is not a text file.") from None
