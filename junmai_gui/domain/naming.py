"""The rules of output naming templates: which fields exist and what makes a template usable.

Fields: `{stem}` (the photo's name without extension), `{preset}`, `{batch}`, `{seq}`
(1-based position, zero-padded to the width of the batch size), `{date}` (YYYY-MM-DD);
`{stem}` or `{seq}` must appear as it is. A field may carry a width, an alignment and a
fill character, and a precision that cuts it short (`{seq:0>5}`, `{stem:_<12}`,
`{preset:.10}`); widths and precisions are at most `MAX_FIELD_WIDTH`. Nothing else is
accepted — no `{date:%Y}`, no `{stem.attr}`, no `{seq!r}` — and a template is at most
`MAX_TEMPLATE_LENGTH` characters, so a template can never make naming slow or big
(`{seq:>300000000}` would build a 300 MB name per photo). `develop.naming` fills the fields
in; this module only says whether a template can be used.
"""

from __future__ import annotations

import re
import string

TEMPLATE_FIELDS = frozenset({"stem", "preset", "batch", "seq", "date"})
DEFAULT_NAMING = "{stem}_{preset}"
MAX_FIELD_WIDTH = 200  # the longest file name we write
MAX_TEMPLATE_LENGTH = 500
# [[fill]align][width][.precision]: what Python's str format takes, without its sign, "#",
# "0", "," or type letters (every field is text); numbers have no leading zero
_FIELD_SPEC = re.compile(
    r"(?:(?P<fill>[^{}])?(?P<align>[<>^]))?(?P<width>[1-9]\d*)?(?:\.(?P<precision>0|[1-9]\d*))?"
)
_UP_TO_200 = r"(?:[1-9][0-9]?|1[0-9]{2}|200)"
_SPEC = rf"(?::(?:[^{{}}]?[<>^])?{_UP_TO_200}?(?:\.(?:0|{_UP_TO_200}))?)?"
_TOKEN = rf"[^{{}}]|\{{\{{|\}}\}}|\{{(?:stem|preset|batch|seq|date){_SPEC}\}}"
# What `template_problem` accepts (but its length), as one regular expression for the API's
# document: tokens, one of which is a plain {stem} or {seq}. A format string splits into
# tokens one way only, so the regular expression matches exactly those templates.
TEMPLATE_PATTERN = rf"^(?:{_TOKEN})*\{{(?:stem|seq)\}}(?:{_TOKEN})*$"


def template_fields(naming: str) -> set[str]:
    """The field names a template uses; ValueError when it is malformed."""
    return {name for _, name, _, _ in string.Formatter().parse(naming) if name is not None}


def template_problem(naming: object) -> str | None:
    """Why a naming template cannot be used, as a sentence; None when it can.

    Costs time in proportion to the template's length, never to the widths it asks for."""
    if not isinstance(naming, str):
        return "The naming template must be text, for example {stem}_{preset}"
    if len(naming) > MAX_TEMPLATE_LENGTH:
        return (
            f"The naming template is {len(naming)} characters long; "
            f"at most {MAX_TEMPLATE_LENGTH} are accepted"
        )
    try:
        parts = list(string.Formatter().parse(naming))
    except ValueError as exc:
        return f"The naming template {naming[:60]!r} is malformed: {exc}"
    used = {name for _, name, _, _ in parts if name is not None}
    unknown = used - TEMPLATE_FIELDS
    if unknown:
        names = ", ".join("{" + u[:40] + "}" for u in sorted(unknown))
        return f"The naming template uses unknown fields {names}"
    for _, name, spec, conversion in parts:
        if name is not None:
            problem = _field_problem(name, spec or "", conversion)
            if problem:
                return problem
    if not any(name in ("stem", "seq") and not spec for _, name, spec, _ in parts):
        return "The naming template must contain {stem} or {seq}, or every photo gets the same name"
    return None


def _field_problem(name: str, spec: str, conversion: str | None) -> str | None:
    shown = (
        "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
    )
    match = _FIELD_SPEC.fullmatch(spec)
    if conversion or match is None:
        return (
            f"The naming field {shown[:60]} has a format Junmai does not understand; a field "
            "takes only a width, an alignment and a precision, such as {seq:>4} or {stem:.20}"
        )
    for part in ("width", "precision"):
        value = match.group(part)
        if value is not None and (len(value) > 4 or int(value) > MAX_FIELD_WIDTH):
            return (
                f"The naming field {shown[:60]} asks for a {part} of {value[:24]}; "
                f"at most {MAX_FIELD_WIDTH} characters is accepted"
            )
    return None


def check_template(naming: str) -> None:
    """ValueError with a sentence when a template is unusable."""
    problem = template_problem(naming)
    if problem is not None:
        raise ValueError(problem)
