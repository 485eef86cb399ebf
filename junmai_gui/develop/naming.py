"""Output file names and folders from templates, with the conflict policy applied.

The fields and what makes a template usable are the domain's (`domain.naming`); here they
are filled in (`NameTemplate`). The extension comes from the output format. Each folder and
file name a template makes is cleaned of characters that are illegal on Windows, macOS or
Linux (replaced by `_`); only a `/` in the template's own text makes a folder, so neither a
field nor a template can reach outside the output folder. A photo's own facts (date,
camera, …) are read from its header only when a template asks for one (`photo_facts`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import string
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from junmai_gui.develop.photo_facts import read_photo_facts
from junmai_gui.domain.config import CONFLICT_POLICIES, FORMAT_EXTENSIONS
from junmai_gui.domain.naming import (
    DEFAULT_DATE_FORMAT,
    FOLDER_SEPARATOR,
    MAX_FIELD_WIDTH,
    MAX_TEMPLATE_LENGTH,
    METADATA_FIELDS,
    TEMPLATE_FIELDS,
    TEMPLATE_PATTERN,
    check_template,
    template_fields,
    text_format_spec,
)
from junmai_gui.pacing import no_pacing

__all__ = [
    "MAX_FIELD_WIDTH",
    "MAX_TEMPLATE_LENGTH",
    "TEMPLATE_FIELDS",
    "TEMPLATE_PATTERN",
    "NameTemplate",
    "OutputConflictError",
    "OutputNaming",
    "PlannedOutputs",
    "check_template",
    "example_names",
    "plan_output_paths",
    "plan_outputs",
    "sanitize_file_name",
    "template_fields",
]

_ILLEGAL = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)
_MAX_NAME = MAX_FIELD_WIDTH
_SEP = "\x00"  # marks the template's own "/" while a name is built: no value carries one
UNKNOWN = "unknown"  # a fact the photo does not tell (no camera, no lens in its EXIF)


def sanitize_file_name(name: str) -> str:
    """`name` made safe as a single file name on every desktop system."""
    clean = _ILLEGAL.sub("_", name).strip().rstrip(".")
    clean = clean.lstrip(".")  # no hidden files, no "." or ".."
    if not clean:
        clean = "photo"
    if _RESERVED.match(clean):
        clean = f"_{clean}"
    return clean[:_MAX_NAME]


class NameTemplate:
    """A checked naming template, parsed once and filled in for each photo."""

    def __init__(self, naming: str) -> None:
        check_template(naming)
        self.naming = naming
        self._parts = [
            (
                literal.replace(FOLDER_SEPARATOR, _SEP),
                name,
                (spec or "") if name == "date" else text_format_spec(spec or ""),
            )
            for literal, name, spec, _ in string.Formatter().parse(naming)
        ]
        self._folders = _SEP in "".join(part[0] for part in self._parts)
        fields = template_fields(naming)
        self.needs_facts = bool(fields & METADATA_FIELDS)
        self.needs_rating = "rating" in fields

    def render(self, values: Mapping[str, str], taken: dt.datetime) -> list[str]:
        """The folders and the file name (without extension) for one photo, each cleaned."""
        pieces: list[str] = []
        for literal, name, spec in self._parts:
            pieces.append(literal)
            if name is None:
                continue
            if name == "date":
                value = taken.strftime(spec or DEFAULT_DATE_FORMAT)
            else:
                value = format(values[name], spec)
            pieces.append(value.replace(_SEP, "_") if self._folders else value)
        if not self._folders:
            return [sanitize_file_name("".join(pieces))]
        components = [part for part in "".join(pieces).split(_SEP) if part]
        return [sanitize_file_name(part) for part in components] or ["photo"]


@dataclass(frozen=True)
class OutputNaming:
    """How one output of a photo is named: a template (folders included) and an extension."""

    naming: str
    extension: str


class PlannedOutputs(NamedTuple):
    """Each output's path for each photo, the positions of the photos the `skip` policy found
    developed already (every output exists; the paths are the existing files), and the
    folders the outputs go into. Plain lists of strings, one list per output: planning
    100,000 photos leaves no objects for the garbage collector to walk."""

    by_output: list[list[str]]
    skipped: set[int]
    folders: set[str]

    @property
    def paths(self) -> list[str]:
        """The first output of each photo."""
        return self.by_output[0]


class OutputConflictError(ValueError):
    """An output another batch still has to write (policy `overwrite` refuses to share it)."""


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


def _same_file_as_an_input(path: str, inputs: set[tuple[int, int]] | None) -> bool:
    """Whether an existing file is one of the inputs under another name (a hard link)."""
    if not inputs:
        return False
    try:
        info = os.stat(path)
    except OSError:
        return False
    return (info.st_dev, info.st_ino) in inputs


class _Namer:
    """Fills in the templates of every output for one photo after another."""

    def __init__(
        self,
        outputs: Sequence[OutputNaming],
        *,
        preset_name: str,
        batch_id: str,
        date: dt.date | None,
        width: int,
    ) -> None:
        self.templates = [NameTemplate(output.naming) for output in outputs]
        self._facts = any(t.needs_facts for t in self.templates)
        self._rating = any(t.needs_rating for t in self.templates)
        day = date or dt.date.today()
        self._fallback = dt.datetime(day.year, day.month, day.day)
        self._values = {"preset": preset_name, "batch": batch_id}
        self._width = width

    def names(self, source: str, seq: int) -> list[list[str]]:
        """Per output: the folders and file name (no extension) of `source`."""
        values = dict(self._values)
        values["stem"] = os.path.splitext(os.path.basename(source))[0]
        values["seq"] = str(seq).zfill(self._width)
        taken = self._fallback
        if self._facts:  # the photo's header is read only for a template that asks
            facts = read_photo_facts(source, rating=self._rating)
            values["camera"] = facts.camera or UNKNOWN
            values["lens"] = facts.lens or UNKNOWN
            values["iso"] = str(facts.iso) if facts.iso is not None else UNKNOWN
            values["rating"] = str(facts.rating or 0)
            taken = facts.taken or taken
        return [template.render(values, taken) for template in self.templates]


def plan_outputs(
    sources: Sequence[str],
    *,
    output_dir: str,
    outputs: Sequence[OutputNaming],
    preset_name: str,
    batch_id: str,
    on_conflict: str = "unique",
    date: dt.date | None = None,
    protected: Iterable[str] = (),
    reserved: Mapping[str, str] | None = None,
    taken: Iterable[str] = (),
    first_seq: int = 1,
    pace: Callable[[], None] = no_pacing,
) -> PlannedOutputs:
    """Every output of every source, in order, as strings (fast for 100,000 photos).

    `output_dir` is used resolved (a symbolic link to the input folder is the input folder).
    `on_conflict`: "unique" adds " (2)", " (3)"… against existing files, the batch's other
    outputs, `taken` ones (paths the batch holds already) and `reserved` ones; "overwrite"
    replaces existing files but still keeps the batch's outputs distinct, and refuses
    (`OutputConflictError`) a name in `reserved` (casefolded path -> the batch that holds
    it); "skip" keeps an output that already exists (its path the existing file), and a
    photo whose every output exists is marked skipped. No policy ever returns the path of an
    input: the batch's `sources` and `protected` (the inputs of other active batches),
    compared resolved and, for files that exist, by identity on disk. `first_seq` numbers
    the first source (photos added to a batch that has some). `date` stands in for a photo
    whose date cannot be read at all.
    """
    if on_conflict not in CONFLICT_POLICIES:
        raise ValueError(f"Unknown conflict policy {on_conflict!r}")
    root = os.path.realpath(output_dir)
    namer = _Namer(
        outputs,
        preset_name=preset_name,
        batch_id=batch_id,
        date=date,
        width=len(str(first_seq - 1 + len(sources))),
    )
    inputs = {s.casefold() for s in sources}
    inputs.update(p.casefold() for p in protected)
    held = reserved or {}
    input_ids: set[tuple[int, int]] | None = None
    given = {path.casefold() for path in taken}  # paths already given to this batch
    planned = PlannedOutputs([[] for _ in outputs], set(), set())
    listing = _Listing()

    def is_input(path: str, key: str, folder: str, name: str) -> bool:
        nonlocal input_ids
        if key in inputs:
            return True
        if not listing.exists(folder, name):
            return False
        if input_ids is None:  # only when some output name exists already: stat the inputs
            input_ids = set()
            for source in [*sources, *protected]:
                with contextlib.suppress(OSError):
                    info = os.stat(source)
                    input_ids.add((info.st_dev, info.st_ino))
        return _same_file_as_an_input(path, input_ids)

    for index, source in enumerate(sources):
        pace()
        all_exist = True
        for output, names, paths in zip(
            outputs, namer.names(source, first_seq + index), planned.by_output, strict=True
        ):
            folder = os.path.join(root, *names[:-1]) if len(names) > 1 else root
            stem, ext = names[-1], output.extension
            planned.folders.add(folder)
            n = 1
            name = stem + ext
            candidate = os.path.join(folder, name)
            while True:
                key = candidate.casefold()
                exists = listing.exists(folder, name)
                if key not in given and not is_input(candidate, key, folder, name):
                    if on_conflict == "skip" and exists:
                        break
                    other = held.get(key)
                    if other is not None and on_conflict == "overwrite":
                        raise OutputConflictError(
                            f"{name} is also an output of {other}, which has not finished; "
                            'with "replace" one batch would overwrite the other. Choose '
                            "another output folder or naming, or keep both."
                        )
                    if other is None and (on_conflict == "overwrite" or not exists):
                        break
                n += 1
                name = f"{stem} ({n}){ext}"
                candidate = os.path.join(folder, name)
            all_exist = all_exist and on_conflict == "skip" and exists and key not in given
            given.add(key)
            paths.append(candidate)
        if all_exist:
            planned.skipped.add(index)
    return planned


def example_names(
    source: str,
    outputs: Sequence[OutputNaming],
    *,
    preset_name: str,
    batch_id: str,
    seq: int = 1,
    total: int = 1,
) -> list[str]:
    """Each output's path for `source` inside the output folder, as "folder/name.ext" (what
    New Batch shows while a template is typed; existing files are not looked at)."""
    namer = _Namer(
        outputs, preset_name=preset_name, batch_id=batch_id, date=None, width=len(str(total))
    )
    return [
        "/".join([*names[:-1], names[-1] + output.extension])
        for output, names in zip(outputs, namer.names(source, seq), strict=True)
    ]


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
    """`plan_outputs` of one output for a few paths, as `Path`s (the command line's use)."""
    try:
        extension = FORMAT_EXTENSIONS[format]
    except KeyError:
        raise ValueError(f"Unknown output format {format!r}") from None
    planned = plan_outputs(
        [os.path.realpath(s) for s in sources],
        output_dir=os.fspath(output_dir),
        outputs=[OutputNaming(naming, extension)],
        preset_name=preset_name,
        batch_id=batch_id,
        on_conflict=on_conflict,
        date=date,
    )
    return [None if i in planned.skipped else Path(path) for i, path in enumerate(planned.paths)]
