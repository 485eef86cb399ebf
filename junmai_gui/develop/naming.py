"""Output file names from a template, with the conflict policy applied.

Template fields: `{stem}` (the photo's name without extension), `{preset}`, `{batch}`,
`{seq}` (1-based position, zero-padded to the width of the batch size), `{date}`
(YYYY-MM-DD); `{stem}` or `{seq}` must appear as it is. A field may carry a width, an
alignment and a fill character, and a precision that cuts it short (`{seq:0>5}`,
`{stem:_<12}`, `{preset:.10}`); widths and precisions are at most `MAX_FIELD_WIDTH`. Nothing
else is accepted — no `{date:%Y}`, no `{stem.attr}`, no `{seq!r}` — and a template is at
most `MAX_TEMPLATE_LENGTH` characters, so a template can never make naming slow or big
(`{seq:>300000000}` would build a 300 MB name per photo). The extension comes from the
output format. Characters that are illegal in file names on
Windows, macOS or Linux are replaced by `_`, so a template cannot reach another folder.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import string
from collections.abc import Sequence
from pathlib import Path

FORMAT_EXTENSIONS = {
    "jpeg": ".jpg",
    "tiff": ".tif",
    "png": ".png",
    "webp": ".webp",
    "avif": ".avif",
}
CONFLICT_POLICIES = ("unique", "overwrite", "skip")
TEMPLATE_FIELDS = frozenset({"stem", "preset", "batch", "seq", "date"})

_ILLEGAL = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)
_MAX_NAME = 200
MAX_FIELD_WIDTH = _MAX_NAME
MAX_TEMPLATE_LENGTH = 500
# [[fill]align][width][.precision]: what Python's str format takes, without its sign, "#",
# "0", "," or type letters (every field is text); numbers have no leading zero
_FIELD_SPEC = re.compile(
    r"(?:(?P<fill>[^{}])?(?P<align>[<>^]))?(?P<width>[1-9]\d*)?(?:\.(?P<precision>0|[1-9]\d*))?"
)
_UP_TO_200 = r"(?:[1-9][0-9]?|1[0-9]{2}|200)"
_SPEC = rf"(?::(?:[^{{}}]?[<>^])?{_UP_TO_200}?(?:\.(?:0|{_UP_TO_200}))?)?"
_TOKEN = rf"[^{{}}]|\{{\{{|\}}\}}|\{{(?:stem|preset|batch|seq|date){_SPEC}\}}"
# What `check_template` accepts (but its length), as one regular expression for the API's
# document: tokens, one of which is a plain {stem} or {seq}. A format string splits into
# tokens one way only, so the regular expression matches exactly those templates.
TEMPLATE_PATTERN = rf"^(?:{_TOKEN})*\{{(?:stem|seq)\}}(?:{_TOKEN})*$"


def sanitize_file_name(name: str) -> str:
    """`name` made safe as a single file name on every desktop system."""
    clean = _ILLEGAL.sub("_", name).strip().rstrip(".")
    clean = clean.lstrip(".")  # no hidden files, no "." or ".."
    if not clean:
        clean = "photo"
    if _RESERVED.match(clean):
        clean = f"_{clean}"
    return clean[:_MAX_NAME]


def check_template(naming: str) -> None:
    """ValueError with a sentence when a template is unusable (see the module's docstring).

    Costs time in proportion to the template's length, never to the widths it asks for.
    """
    if len(naming) > MAX_TEMPLATE_LENGTH:
        raise ValueError(
            f"The naming template is {len(naming)} characters long; "
            f"at most {MAX_TEMPLATE_LENGTH} are accepted"
        )
    try:
        parts = list(string.Formatter().parse(naming))
    except ValueError as exc:
        raise ValueError(f"The naming template {naming!r} is malformed: {exc}") from exc
    used = {name for _, name, _, _ in parts if name is not None}
    unknown = used - TEMPLATE_FIELDS
    if unknown:
        names = ", ".join("{" + u + "}" for u in sorted(unknown))
        raise ValueError(f"The naming template uses unknown fields {names}")
    for _, name, spec, conversion in parts:
        if name is not None:
            _check_field(name, spec or "", conversion)
    if not any(name in ("stem", "seq") and not spec for _, name, spec, _ in parts):
        raise ValueError("The naming template must contain {stem} or {seq}")


def _check_field(name: str, spec: str, conversion: str | None) -> None:
    shown = (
        "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
    )
    match = _FIELD_SPEC.fullmatch(spec)
    if conversion or match is None:
        raise ValueError(
            f"The naming field {shown[:60]} has a format Junmai does not understand; a field "
            "takes only a width, an alignment and a precision, such as {seq:>4} or {stem:.20}"
        )
    for part in ("width", "precision"):
        value = match.group(part)
        if value is not None and (len(value) > 4 or int(value) > MAX_FIELD_WIDTH):
            raise ValueError(
                f"The naming field {shown[:60]} asks for a {part} of {value[:24]}; "
                f"at most {MAX_FIELD_WIDTH} characters is accepted"
            )


def _key(path: str | os.PathLike[str]) -> str:
    """Names compare case-insensitively: the output folder may be on a drive that does."""
    return os.path.abspath(path).casefold()


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

    def free(candidate: Path, *, allow_existing: bool) -> bool:
        key = _key(candidate)
        if key in taken or key in inputs:
            return False
        return allow_existing or not candidate.exists()

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
        if on_conflict == "skip" and candidate.exists() and _key(candidate) not in inputs:
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
