"""Reading a preset file safely: it must exist, be a file, be non-empty and under a size cap.

`LutReader` is how a loader turns a LUT file's bytes into a `Lut3D`: `parse_directly` parses
them every time; the preset library passes its `LutCache` instead, which parses each content
once and keeps the result.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from junmai_gui.develop.errors import PresetError
from junmai_gui.develop.preset import Lut3D

ParsedLut = tuple[Lut3D, list[str]]  # the LUT and the warnings from reading it
LutParser = Callable[[bytes], ParsedLut]


class LutReader(Protocol):
    def __call__(self, data: bytes, label: str, parse: LutParser) -> ParsedLut: ...


def parse_directly(data: bytes, label: str, parse: LutParser) -> ParsedLut:
    """The `LutReader` without a cache."""
    return parse(data)


def file_label(path: Path) -> str:
    """How a message names a file: its name, quoted, as a photographer would recognise it."""
    return f'"{path.name}"'


def read_capped(path: Path, cap_bytes: int, what: str) -> bytes:
    """The file's bytes; a missing, unreadable, empty or oversized file is a `PresetError`."""
    label = file_label(path)
    try:
        size = path.stat().st_size
        is_dir = path.is_dir()
    except FileNotFoundError:
        raise PresetError(f"The {what} {label} does not exist.") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        raise PresetError(f"The {what} {label} cannot be read: {_reason(exc)}.") from None
    if is_dir:
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
        raise PresetError(f"The {what} {label} cannot be read: {_reason(exc)}.") from None
    if not data:
        raise PresetError(f"The {what} {label} is empty.")
    if len(data) > cap_bytes:
        raise PresetError(f"The {what} {label} is too large.")
    return data


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return "its name is not a usable file name" if isinstance(exc, ValueError) else str(exc)


def decode_text(data: bytes, label: str, what: str) -> str:
    """UTF-8 text (a byte-order mark is allowed); anything else is a `PresetError`."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PresetError(f"The {what} {label} is not a text file.") from None
