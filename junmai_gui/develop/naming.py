"""Output file names from a template, with the conflict policy applied.

The fields and what makes a template usable are the domain's (`domain.naming`); here they
are filled in. The extension comes from the output format. Characters that are illegal in file
names on Windows, macOS or Linux are replaced by `_`, so a template cannot reach another folder.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from pathlib import Path

from junmai_gui.domain.config import CONFLICT_POLICIES, FORMAT_EXTENSIONS
from junmai_gui.domain.naming import TEMPLATE_FIELDS, check_template, template_fields

__all__ = [
    "TEMPLATE_FIELDS",
    "check_template",
    "plan_output_paths",
    "sanitize_file_name",
    "template_fields",
]

_ILLEGAL = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)
_MAX_NAME = 200


def sanitize_file_name(name: str) -> str:
    """`name` made safe as a single file name on every desktop system."""
    clean = _ILLEGAL.sub("_", name).strip().rstrip(".")
    clean = clean.lstrip(".")  # no hidden files, no "." or ".."
    if not clean:
        clean = "photo"
    if _RESERVED.match(clean):
        clean = f"_{clean}"
    return clean[:_MAX_NAME]


def _key(path: str | os.PathLike[str]) -> str:
    """Names compare case-insensitively: the output folder may be on a drive that does."""
    return os.path.abspath(path).casefold()


class _Listing:
    """Which names exist in a folder, read once (one scandir instead of a stat per photo)."""

    def __init__(self) -> None:
        self._folders: dict[str, set[str]] = {}

    def exists(self, path: Path) -> bool:
        folder = str(path.parent)
        names = self._folders.get(folder)
        if names is None:
            try:
                names = {entry.name.casefold() for entry in os.scandir(folder)}
            except OSError:
                names = set()
            self._folders[folder] = names
        return path.name.casefold() in names


def plan_output_paths(
    sources: Sequence[str | os.PathLike[str]],
    *,
    output_dir: str | os.PathLike[str],
    naming: str,
    format: str,
    preset_name: str,
    batch_id: str,
    on_conflict: str = "unique",
    date: dt.date | None = None,
) -> list[Path | None]:
    """One output path per source, in order.

    `on_conflict`: "unique" adds " (2)", " (3)"… against existing files and the batch's other
    outputs; "overwrite" replaces existing files but still keeps the batch's outputs distinct;
    "skip" gives None for a photo whose output already exists. No policy ever returns the path
    of an input file: an input is never overwritten.
    """
    check_template(naming)
    if on_conflict not in CONFLICT_POLICIES:
        raise ValueError(f"Unknown conflict policy {on_conflict!r}")
    try:
        ext = FORMAT_EXTENSIONS[format]
    except KeyError:
        raise ValueError(f"Unknown output format {format!r}") from None
    folder = Path(os.path.abspath(output_dir))
    day = (date or dt.date.today()).isoformat()
    width = len(str(len(sources)))
    inputs = {_key(s) for s in sources}
    taken: set[str] = set()  # keys of the names already given to this batch
    planned: list[Path | None] = []
    listing = _Listing()

    def free(candidate: Path, *, allow_existing: bool) -> bool:
        key = _key(candidate)
        if key in taken or key in inputs:
            return False
        return allow_existing or not listing.exists(candidate)

    for seq, source in enumerate(sources, start=1):
        stem = sanitize_file_name(
            naming.format(
                stem=Path(source).stem,
                preset=preset_name,
                batch=batch_id,
                seq=str(seq).zfill(width),
                date=day,
            )
        )
        candidate = folder / f"{stem}{ext}"
        if on_conflict == "skip" and listing.exists(candidate) and _key(candidate) not in inputs:
            planned.append(None)
            continue
        allow_existing = on_conflict == "overwrite"
        n = 1
        while not free(candidate, allow_existing=allow_existing):
            n += 1
            candidate = folder / f"{stem} ({n}){ext}"
        taken.add(_key(candidate))
        planned.append(candidate)
    return planned
