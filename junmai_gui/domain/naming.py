"""The rules of output naming templates: which fields exist and what makes a template usable.

Fields: `{stem}` (the photo's name without extension), `{preset}`, `{batch}`, `{seq}`
(1-based position, zero-padded to the width of the batch size), `{date}` (YYYY-MM-DD).
`develop.naming` fills them in; this module only says whether a template can be used.
"""

from __future__ import annotations

import string

TEMPLATE_FIELDS = frozenset({"stem", "preset", "batch", "seq", "date"})
DEFAULT_NAMING = "{stem}_{preset}"


def template_fields(naming: str) -> set[str]:
    """The field names a template uses; ValueError when it is malformed."""
    return {name for _, name, _, _ in string.Formatter().parse(naming) if name is not None}


def template_problem(naming: object) -> str | None:
    """Why a naming template cannot be used, as a sentence; None when it can."""
    if not isinstance(naming, str):
        return "The naming template must be text, for example {stem}_{preset}"
    try:
        used = template_fields(naming)
    except ValueError as exc:
        return f"The naming template {naming!r} is malformed: {exc}"
    unknown = used - TEMPLATE_FIELDS
    if unknown:
        names = ", ".join("{" + u + "}" for u in sorted(unknown))
        return f"The naming template uses unknown fields {names}"
    if not used & {"stem", "seq"}:
        return "The naming template must contain {stem} or {seq}, or every photo gets the same name"
    return None


def check_template(naming: str) -> None:
    """ValueError with a sentence when a template is unusable."""
    problem = template_problem(naming)
    if problem is not None:
        raise ValueError(problem)
