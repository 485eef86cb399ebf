"""schemathesis hooks (loaded through SCHEMATHESIS_HOOKS) that keep every path inside a sandbox.

The API scans the photo folders it is given and creates the output folders it is told to,
so a fuzzer sending "/etc" or "/var/out" would scan or write the real disk. Before each call,
every string in the body that looks like an absolute path outside the sandbox folder (named
by JUNMAI_FUZZ_SANDBOX) is replaced by a path inside it, chosen by the string's hash so the
same input always gives the same path: an `output_dir` becomes a new folder under
sandbox/out, any other path the sandbox's photo folder or one of its photos (a path the
document allows is then one the server can use). Relative paths and other text are left
alone: the server refuses those itself. The case is edited in place, so schemathesis checks
what was really sent.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any

import schemathesis

SANDBOX = Path(os.environ.get("JUNMAI_FUZZ_SANDBOX", "/nonexistent-junmai-sandbox"))
_ABSOLUTE = re.compile(r"^(?:/|\\\\|[A-Za-z]:[\\/])")


def _photo_paths() -> list[str]:
    photos = sorted(str(p) for p in (SANDBOX / "photos").rglob("*.jpg"))
    return [str(SANDBOX / "photos"), *photos]


def _inside(text: str) -> bool:
    clean = os.path.normpath(text)
    return clean == str(SANDBOX) or clean.startswith(str(SANDBOX) + os.sep)


def sandboxed(value: Any, key: str = "") -> Any:
    """`value` with every absolute path outside the sandbox moved into it."""
    if isinstance(value, str):
        if not _ABSOLUTE.match(value) or _inside(value):
            return value
        digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
        if key == "output_dir":
            return str(SANDBOX / "out" / digest[:12])
        targets = _photo_paths()
        return targets[int(digest, 16) % len(targets)]
    if isinstance(value, list):
        return [sandboxed(item, key) for item in value]
    if isinstance(value, dict):
        return {name: sandboxed(item, str(name)) for name, item in value.items()}
    return value


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    if isinstance(case.body, dict | list | str):
        case.body = sandboxed(case.body)
