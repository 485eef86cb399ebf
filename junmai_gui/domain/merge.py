"""When batches may be merged into one: the same settings apart from the output folder.

The rule lives here once; the controller refuses a merge with this sentence, and the window
disables Merge and shows the same sentence beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from junmai_gui.domain.batch import BatchSummary
from junmai_gui.domain.wording import QT_TRANSLATE_NOOP, Sentence

# Each setting of a batch's config as a photographer calls it.
SETTING_WORDS = {
    "preset": Sentence(QT_TRANSLATE_NOOP("Problem", "preset")),
    "blend": Sentence(QT_TRANSLATE_NOOP("Problem", "blend")),
    "format": Sentence(QT_TRANSLATE_NOOP("Problem", "format")),
    "quality": Sentence(QT_TRANSLATE_NOOP("Problem", "quality")),
    "bit_depth": Sentence(QT_TRANSLATE_NOOP("Problem", "bit depth")),
    "naming": Sentence(QT_TRANSLATE_NOOP("Problem", "file names")),
    "on_conflict": Sentence(QT_TRANSLATE_NOOP("Problem", "what happens to existing files")),
    "long_edge": Sentence(QT_TRANSLATE_NOOP("Problem", "size")),
    "xmp_sidecar": Sentence(QT_TRANSLATE_NOOP("Problem", "XMP sidecar")),
    "keep_profile": Sentence(QT_TRANSLATE_NOOP("Problem", "colour profile")),
    "outputs": Sentence(QT_TRANSLATE_NOOP("Problem", "outputs")),
    "after": Sentence(QT_TRANSLATE_NOOP("Problem", "after-batch actions")),
}
IGNORED = frozenset({"output_dir"})  # each photo keeps the output path planned for it


_NONE = Sentence(QT_TRANSLATE_NOOP("Problem", "none"))
_ON = Sentence(QT_TRANSLATE_NOOP("Problem", "on"))
_OFF = Sentence(QT_TRANSLATE_NOOP("Problem", "off"))


def _shown(value: Any) -> str:
    if value is None:
        return _NONE
    if isinstance(value, bool):
        return _ON if value else _OFF
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def merge_problem(batches: Sequence[BatchSummary]) -> str | None:
    """Why `batches` cannot become one batch, naming them and the setting that differs;
    None when their settings allow it (their states are checked where they change)."""
    if len(batches) < 2:
        return Sentence(QT_TRANSLATE_NOOP("Problem", "Choose at least two batches to merge."))
    first = batches[0]
    for other in batches[1:]:
        keys = sorted((set(first.config) | set(other.config)) - IGNORED)
        for key in keys:
            mine, theirs = first.config.get(key), other.config.get(key)
            if mine != theirs:
                word = SETTING_WORDS.get(key, key)
                if isinstance(mine, list | dict) or isinstance(theirs, list | dict):
                    return Sentence(  # outputs or actions: too long to show as values
                        QT_TRANSLATE_NOOP(
                            "Problem",
                            "{first} and {other} differ in {setting}: only batches with the "
                            "same settings can be merged.",
                        ),
                        first=first.name or first.batch_id,
                        other=other.name or other.batch_id,
                        setting=word,
                    )
                return Sentence(
                    QT_TRANSLATE_NOOP(
                        "Problem",
                        "{first} and {other} differ in {setting} ({mine} and {theirs}): only "
                        "batches with the same settings can be merged.",
                    ),
                    first=first.name or first.batch_id,
                    other=other.name or other.batch_id,
                    setting=word,
                    mine=_shown(mine),
                    theirs=_shown(theirs),
                )
    return None
