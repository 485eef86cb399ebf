"""When batches may be merged into one: the same settings apart from the output folder.

The rule lives here once; the controller refuses a merge with this sentence, and the window
disables Merge and shows the same sentence beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from junmai_gui.domain.batch import BatchSummary

# Each setting of a batch's config as a photographer calls it.
SETTING_WORDS = {
    "preset": "preset",
    "blend": "blend",
    "format": "format",
    "quality": "quality",
    "bit_depth": "bit depth",
    "naming": "file names",
    "on_conflict": "what happens to existing files",
    "long_edge": "size",
    "xmp_sidecar": "XMP sidecar",
    "keep_profile": "colour profile",
}
IGNORED = frozenset({"output_dir"})  # each photo keeps the output path planned for it


def _shown(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def merge_problem(batches: Sequence[BatchSummary]) -> str | None:
    """Why `batches` cannot become one batch, naming them and the setting that differs;
    None when their settings allow it (their states are checked where they change)."""
    if len(batches) < 2:
        return "Choose at least two batches to merge."
    first = batches[0]
    for other in batches[1:]:
        keys = sorted((set(first.config) | set(other.config)) - IGNORED)
        for key in keys:
            mine, theirs = first.config.get(key), other.config.get(key)
            if mine != theirs:
                word = SETTING_WORDS.get(key, key)
                return (
                    f"{first.name or first.batch_id} and {other.name or other.batch_id} differ "
                    f"in {word} ({_shown(mine)} and {_shown(theirs)}): only batches with the "
                    "same settings can be merged."
                )
    return None
