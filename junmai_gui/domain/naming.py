"""The rules of output naming templates: which fields exist and what makes a template usable.

Fields: `{stem}` (the photo's name without extension), `{preset}`, `{batch}`, `{seq}`
(1-based position, zero-padded to the width of the batch size), and from the photo itself
`{date}` (EXIF DateTimeOriginal, else the file's time; `{date:%Y-%m-%d}` takes strftime codes
from `DATE_CODES` and the characters `DATE_LITERALS`; plain `{date}` is `%Y-%m-%d`),
`{camera}`, `{lens}`, `{iso}` and `{rating}`. A `/` in the template's own text makes
subfolders inside the output folder (a `/` a field brings is replaced, and a folder may not
be `.` or `..`). Every other field may carry a width, an alignment and a fill character,
a `0` that pads on the left with zeros, and a precision that cuts it short (`{seq:04}`,
`{seq:0>5}`, `{stem:_<12}`, `{preset:.10}`); widths and precisions are at most
`MAX_FIELD_WIDTH`. The file name (after the last `/`) must hold `{stem}` or `{seq}` without
a precision, or every photo would get the same name. Nothing else is accepted — no
`{stem.attr}`, no `{seq!r}`, no `{date:%c}` — and a template is at most
`MAX_TEMPLATE_LENGTH` characters, so a template can never make naming slow or big
(`{seq:>300000000}` would build a 300 MB name per photo). `develop.naming` fills the fields
in; this module only says whether a template can be used.
"""

from __future__ import annotations

import re
import string

from junmai_gui.domain.wording import QT_TRANSLATE_NOOP, Sentence

METADATA_FIELDS = frozenset({"date", "camera", "lens", "iso", "rating"})
TEMPLATE_FIELDS = frozenset({"stem", "preset", "batch", "seq"}) | METADATA_FIELDS
DEFAULT_NAMING = "{stem}_{preset}"
DEFAULT_DATE_FORMAT = "%Y-%m-%d"
DATE_CODES = "YymdHMSjbBaA"  # year, month, day, hour, minute, second, day of year, names
DATE_LITERALS = "-_. "
MAX_FIELD_WIDTH = 200  # the longest file name we write
MAX_TEMPLATE_LENGTH = 500
FOLDER_SEPARATOR = "/"
# [[fill]align][0][width][.precision]: what Python's str format takes, without its sign, "#",
# "," or type letters (every field is text); numbers have no leading zero but the "0" flag
_FIELD_SPEC = re.compile(
    r"(?:(?P<fill>[^{}])?(?P<align>[<>^]))?(?P<zero>0)?(?P<width>[1-9]\d*)?"
    r"(?:\.(?P<precision>0|[1-9]\d*))?"
)
_DATE_CHARS = "[A-Za-z0-9_. -]"  # DATE_LITERALS, letters and digits, as a character class
_DATE_SPEC = re.compile(rf"(?:{_DATE_CHARS}|%[{DATE_CODES}])*")
_UP_TO_200 = r"(?:[1-9][0-9]?|1[0-9]{2}|200)"
_ALIGN = r"(?:[^{}]?[<>^])?"
_TEXT_SPEC = rf"(?::{_ALIGN}(?:0?{_UP_TO_200})?(?:\.(?:0|{_UP_TO_200}))?)?"
_WHOLE_SPEC = rf"(?::{_ALIGN}(?:0?{_UP_TO_200})?)?"  # no precision: nothing is cut away
_DATE = rf"date(?::(?:{_DATE_CHARS}|%[{DATE_CODES}])*)?"
_FIELD = rf"\{{(?:(?:stem|preset|batch|seq|camera|lens|iso|rating){_TEXT_SPEC}|{_DATE})\}}"
_TOKEN = rf"[^{{}}]|\{{\{{|\}}\}}|{_FIELD}"
_NAME_TOKEN = rf"[^{{}}/]|\{{\{{|\}}\}}|{_FIELD}"
# What `template_problem` accepts (but its length), as one regular expression for the API's
# document: no folder named "." or "..", then tokens, one of which — after the last "/" of
# the text — is {stem} or {seq} without a precision. A format string splits into tokens one
# way only, and a "/" inside a field is a fill character (always followed by its
# alignment), so the regular expression matches exactly those templates.
TEMPLATE_PATTERN = (
    rf"^(?![\s\S]*?(?:^|/)\.{{1,2}}(?:/|$))(?:{_TOKEN})*"
    rf"(?:{_NAME_TOKEN})*\{{(?:stem|seq){_WHOLE_SPEC}\}}(?:{_NAME_TOKEN})*$"
)


def text_format_spec(spec: str) -> str:
    """A checked text field's spec as Python's str format spec: the "0" flag (`{seq:04}`)
    pads on the left with zeros, which Python's own "0" does not do for text."""
    match = _FIELD_SPEC.fullmatch(spec)
    if match is None or not match.group("zero"):
        return spec
    precision = match.group("precision")
    suffix = f".{precision}" if precision is not None else ""
    return f"0{match.group('align') or '>'}{match.group('width')}{suffix}"


def template_fields(naming: str) -> set[str]:
    """The field names a template uses; ValueError when it is malformed."""
    return {name for _, name, _, _ in string.Formatter().parse(naming) if name is not None}


def template_problem(naming: object) -> str | None:
    """Why a naming template cannot be used, as a sentence; None when it can.

    Costs time in proportion to the template's length, never to the widths it asks for."""
    if not isinstance(naming, str):
        return Sentence(
            QT_TRANSLATE_NOOP("Problem", "The naming template must be text, for example {example}"),
            example="{stem}_{preset}",
        )
    if len(naming) > MAX_TEMPLATE_LENGTH:
        return Sentence(
            QT_TRANSLATE_NOOP(
                "Problem",
                "The naming template is {length} characters long; at most {limit} are accepted",
            ),
            length=len(naming),
            limit=MAX_TEMPLATE_LENGTH,
        )
    try:
        parts = list(string.Formatter().parse(naming))
    except ValueError as exc:
        return Sentence(
            QT_TRANSLATE_NOOP("Problem", "The naming template {template} is malformed: {reason}"),
            template=repr(naming[:60]),
            reason=exc,
        )
    used = {name for _, name, _, _ in parts if name is not None}
    unknown = used - TEMPLATE_FIELDS
    if unknown:
        names = ", ".join("{" + u[:40] + "}" for u in sorted(unknown))
        return Sentence(
            QT_TRANSLATE_NOOP("Problem", "The naming template uses unknown fields {names}"),
            names=names,
        )
    for _, name, spec, conversion in parts:
        if name is not None:
            problem = _field_problem(name, spec or "", conversion)
            if problem:
                return problem
    return _folder_problem(parts)


def _folder_problem(parts: list[tuple[str, str | None, str | None, str | None]]) -> str | None:
    """Folders named "." or "..", or a file name without {stem} or {seq}."""
    component = ""  # the literal text of the current folder or file name, fields as "{}"
    naming_field = False  # {stem} or {seq} without a precision, in the current component
    for literal, name, spec, _ in parts:
        for index, piece in enumerate(literal.split(FOLDER_SEPARATOR)):
            if index:
                if component in (".", ".."):
                    return _dot_folder(component)
                component, naming_field = "", False
            component += piece
        if name is not None:
            component += "{}"
            match = _FIELD_SPEC.fullmatch(spec or "")
            if name in ("stem", "seq") and match is not None and not match.group("precision"):
                naming_field = True
    if component in (".", ".."):
        return _dot_folder(component)
    if not naming_field:
        return Sentence(
            QT_TRANSLATE_NOOP(
                "Problem",
                "The file name in the naming template (after the last /) must contain {stem} "
                "or {seq}, or every photo gets the same name",
            ),
            stem="{stem}",
            seq="{seq}",
        )
    return None


_WIDTH = Sentence(QT_TRANSLATE_NOOP("Problem", "width"))
_PRECISION = Sentence(QT_TRANSLATE_NOOP("Problem", "precision"))


def _dot_folder(component: str) -> str:
    return Sentence(
        QT_TRANSLATE_NOOP("Problem", "A folder in the naming template cannot be {name}"),
        name=repr(component),
    )


def _field_problem(name: str, spec: str, conversion: str | None) -> str | None:
    shown = (
        "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
    )
    if name == "date":
        if conversion or not _DATE_SPEC.fullmatch(spec):
            return Sentence(
                QT_TRANSLATE_NOOP(
                    "Problem",
                    "The naming field {field} has a format Junmai does not understand; a date "
                    "takes the codes {codes} and the characters {characters} and spaces, such "
                    "as {example}",
                ),
                field=shown[:60],
                codes=" ".join("%" + c for c in DATE_CODES),
                characters=repr(DATE_LITERALS.strip()),
                example="{date:%Y-%m-%d}",
            )
        return None
    match = _FIELD_SPEC.fullmatch(spec)
    if conversion or match is None or (match.group("zero") and not match.group("width")):
        return Sentence(
            QT_TRANSLATE_NOOP(
                "Problem",
                "The naming field {field} has a format Junmai does not understand; a field "
                "takes only a width, an alignment and a precision, such as {example} or {other}",
            ),
            field=shown[:60],
            example="{seq:04}",
            other="{stem:.20}",
        )
    for part in ("width", "precision"):
        value = match.group(part)
        if value is not None and (len(value) > 4 or int(value) > MAX_FIELD_WIDTH):
            return Sentence(
                QT_TRANSLATE_NOOP(
                    "Problem",
                    "The naming field {field} asks for a {part} of {value}; at most {limit} "
                    "characters is accepted",
                ),
                field=shown[:60],
                part=_WIDTH if part == "width" else _PRECISION,
                value=value[:24],
                limit=MAX_FIELD_WIDTH,
            )
    return None


def check_template(naming: str) -> None:
    """ValueError with a sentence when a template is unusable."""
    problem = template_problem(naming)
    if problem is not None:
        raise ValueError(problem)
