"""Output file names from a template, with the conflict policy applied.

The fields and what makes a template usable are the domain's (`domain.naming`); here they
are filled in. The extension comes from the output format. Characters that are illegal in file
names on Windows, macOS or Linux are replaced by `_`, so a template cannot reach another folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from junmai_gui.domain.config import CONFLICT_POLICIES, FORMAT_EXTENSIONS
from junmai_gui.domain.naming import (
    MAX_FIELD_WIDTH,
    MAX_TEMPLATE_LENGTH,
    TEMPLATE_FIELDS,
    TEMPLATE_PATTERN,
    check_template,
    template_fields,
)
from junmai_gui.pacing import no_pacing

__all__ = [
    "MAX_FIELD_WIDTH",
    "MAX_TEMPLATE_LENGTH",
    "TEMPLATE_FIELDS",
    "TEMPLATE_PATTERN",
    "OutputConflictError",
    "PlannedOutputs",
    "check_template",
    "plan_output_paths",
    "plan_outputs",
    "sanitize_file_name",
    "template_fields",
]

_ILLEGAL = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)
_MAX_NAME = MAX_FIELD_WIDTH


def sanitize_file_name(name: str) -> str:
    """`name` made safe as a single file name on every desktop system."""
    clean = _ILLEGAL.sub("_", name).strip().rstrip(".")
    clean = clean.lstrip(".")  # no hidden files, no "." or ".."
    if not clean:
        clean = "photo"
    if _RESERVED.match(clean):
        clean = f"_{clean}"
    return clean[:_MAX_NAME]


class _Listing:
    """Which names exist in a folder, read once (one scandir instead of a stat per photo)."""

    def __init__(self) -> None:
        self._folders: dict[str, set[str]] = {}

    def exists(self, folder: str, name: str) -> bool:
        names = self._folders.get(folder)
        if names is None:
            try:
                names = {entry.name.casefold() for entry in os.scandir(folder)}
            except OSError:
                names = set()
            self._folders[folder] = names
        return name.casefold() in names


class PlannedOutputs(NamedTuple):
    """Each photo's output path, and the positions of the photos the `skip` policy found
    developed already (their path is the existing file). Plain lists of strings: planning
    100,000 photos leaves no objects for the garbage collector to walk."""

    paths: list[str]
    skipped: set[int]


class OutputConflictError(ValueError):
    """An output another batch still has to write (policy `overwrite` refuses to share it)."""


def _same_file_as_an_input(path: str, inputs: set[tuple[int, int]] | None) -> bool:
    """Whether an existing file is one of the inputs under another name (a hard link)."""
    if not inputs:
        return False
    try:
        info = os.stat(path)
    except OSError:
        return False
    return (info.st_dev, info.st_ino) in inputs


def plan_outputs(
    sources: Sequence[str],
    *,
    output_dir: str,
    naming: str,
    format: str,
    preset_name: str,
    batch_id: str,
    on_conflict: str = "unique",
    date: dt.date | None = None,
    protected: Iterable[str] = (),
    reserved: Mapping[str, str] | None = None,
    pace: Callable[[], None] = no_pacing,
) -> PlannedOutputs:
    """One output per source, in order, as strings (fast for 100,000 photos).

    `output_dir` is used resolved (a symbolic link to the input folder is the input folder).
    `on_conflict`: "unique" adds " (2)", " (3)"… against existing files, the batch's other
    outputs and `reserved` ones; "overwrite" replaces existing files but still keeps the
    batch's outputs distinct, and refuses (`OutputConflictError`) a name in `reserved`
    (casefolded path -> the batch that holds it); "skip" marks a photo whose output already
    exists (`skip=True`, its path the existing file). No policy ever returns the path of an
    input: the batch's `sources` and `protected` (the inputs of other active batches),
    compared resolved and, for files that exist, by identity on disk.
    """
    check_template(naming)
    if on_conflict not in CONFLICT_POLICIES:
        raise ValueError(f"Unknown conflict policy {on_conflict!r}")
    try:
        ext = FORMAT_EXTENSIONS[format]
    except KeyError:
        raise ValueError(f"Unknown output format {format!r}") from None
    folder = os.path.realpath(output_dir)
    day = (date or dt.date.today()).isoformat()
    width = len(str(len(sources)))
    inputs = {s.casefold() for s in sources}
    inputs.update(p.casefold() for p in protected)
    held = reserved or {}
    input_ids: set[tuple[int, int]] | None = None
    taken: set[str] = set()  # casefolded paths already given to this batch
    planned = PlannedOutputs([], set())
    listing = _Listing()

    def is_input(path: str, key: str) -> bool:
        nonlocal input_ids
        if key in inputs:
            return True
        if not listing.exists(folder, os.path.basename(path)):
            return False
        if input_ids is None:  # only when some output name exists already: stat the inputs
            input_ids = set()
            for source in [*sources, *protected]:
                with contextlib.suppress(OSError):
                    info = os.stat(source)
                    input_ids.add((info.st_dev, info.st_ino))
        return _same_file_as_an_input(path, input_ids)

    for seq, source in enumerate(sources, start=1):
        pace()
        stem = sanitize_file_name(
            naming.format(
                stem=os.path.splitext(os.path.basename(source))[0],
                preset=preset_name,
                batch=batch_id,
                seq=str(seq).zfill(width),
                date=day,
            )
        )
        n = 1
        candidate = os.path.join(folder, stem + ext)
        while True:
            key = candidate.casefold()
            exists = listing.exists(folder, os.path.basename(candidate))
            if key not in taken and not is_input(candidate, key):
                if on_conflict == "skip" and exists:
                    break
                other = held.get(key)
                if other is not None and on_conflict == "overwrite":
                    raise OutputConflictError(
                        f"{os.path.basename(candidate)} is also an output of {other}, which has "
                        'not finished; with "replace" one batch would overwrite the other. '
                        "Choose another output folder or naming, or keep both."
                    )
                if other is None and (on_conflict == "overwrite" or not exists):
                    break
            n += 1
            candidate = os.path.join(folder, f"{stem} ({n}){ext}")
        if on_conflict == "skip" and exists and key not in taken:
            planned.skipped.add(seq - 1)
        taken.add(key)
        planned.paths.append(candidate)
    return planned


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
    """`plan_outputs` for a few paths, as `Path`s (the command line's use)."""
    planned = plan_outputs(
        [os.path.realpath(s) for s in sources],
        output_dir=os.fspath(output_dir),
        naming=naming,
        format=format,
        preset_name=preset_name,
        batch_id=batch_id,
        on_conflict=on_conflict,
        date=date,
    )
    return [None if i in planned.skipped else Path(path) for i, path in enumerate(planned.paths)]
