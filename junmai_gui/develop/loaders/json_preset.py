"""Junmai's own preset format: a small JSON file, optionally pointing at a .cube next to it.

```json
{"format": "junmai-preset", "version": 1, "name": "WhiteLayer_v4", "description": "…",
 "default_blend": 60, "settings": {"Exposure2012": 0.45, "ToneCurvePV2012": [[0, 0], …]},
 "lut": "WhiteLayer_v4.cube"}
```

`settings` uses the Camera Raw names of `settings_keys` and is sorted and clamped exactly like
an .xmp preset's. `lut` is a file name relative to the preset's folder (no absolute path, no
`..`). The built-in presets are in this format and are read through `importlib.resources`,
which is why parsing takes bytes and a function that reads the LUT beside it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from junmai_gui.develop.errors import PresetError
from junmai_gui.develop.loaders._files import (
    LutReader,
    decode_text,
    file_label,
    parse_directly,
    read_capped,
)
from junmai_gui.develop.loaders.cube import CUBE_SIZE_CAP, read_cube_bytes
from junmai_gui.develop.preset import Lut3D, Preset
from junmai_gui.develop.settings_keys import sort_settings

JSON_SIZE_CAP = 2**20
FORMAT = "junmai-preset"
VERSION = 1
WHAT = "Junmai preset"

ReferencedLutReader = Callable[[str], tuple[Lut3D, list[str]]]  # a .cube by its name


def load_json_preset(path: Path, luts: LutReader = parse_directly) -> Preset:
    data = read_capped(path, JSON_SIZE_CAP, WHAT)
    label = file_label(path)

    def read_lut(reference: str) -> tuple[Lut3D, list[str]]:
        lut_path = path.parent / reference
        return read_cube_bytes(
            read_capped(lut_path, CUBE_SIZE_CAP, "LUT file"), file_label(lut_path), luts
        )

    return parse_json_preset(data, label=label, stem=path.stem, source=str(path), read_lut=read_lut)


def read_json_document(data: bytes, label: str) -> dict[str, Any]:
    """The JSON object of a Junmai preset's bytes; a `PresetError` for anything else.

    Numbers with thousands of digits, NaN and nesting deeper than Python can follow are
    refused here, with the rest of damaged JSON.
    """
    text = decode_text(data, label, WHAT)
    try:
        document = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise PresetError(
            f"{label} is not a readable Junmai preset: its JSON is damaged at line {exc.lineno}."
        ) from None
    except ValueError:  # a number with more digits than Python converts, or NaN/Infinity
        raise PresetError(
            f"{label} is not a readable Junmai preset: it holds a number that is not usable."
        ) from None
    except RecursionError:
        raise PresetError(
            f"{label} is not a readable Junmai preset: its JSON is nested too deeply."
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise PresetError(f"{label} is a JSON file but not a Junmai preset.")
    return document


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def check_lut_reference(reference: Any, label: str) -> str:
    """`reference` if it names a .cube beside the preset; otherwise a `PresetError`."""
    if not isinstance(reference, str) or not reference.strip() or "\x00" in reference:
        raise PresetError(f'{label}: "lut" should be the file name of a .cube beside the preset.')
    pure = PurePosixPath(reference.replace("\\", "/"))
    if pure.is_absolute() or ".." in pure.parts or ":" in reference:
        raise PresetError(
            f'{label}: "lut" must name a file in the preset\'s own folder, not {reference!r}.'
        )
    if pure.suffix.lower() != ".cube":
        raise PresetError(f'{label}: "lut" must name a .cube file, not {reference!r}.')
    return str(pure)


def parse_json_preset(
    data: bytes, *, label: str, stem: str, source: str, read_lut: ReferencedLutReader | None
) -> Preset:
    """A `Preset` from the bytes of a Junmai preset; `read_lut` reads the referenced .cube."""
    document = read_json_document(data, label)
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise PresetError(f"{label}: the preset's format version is missing or not a number.")
    if version > VERSION:
        raise PresetError(
            f"{label} was made by a newer version of Junmai (preset format "
            f"{version if version < 10**6 else 'unknown'}); "
            "update Junmai to use it."
        )
    warnings: list[str] = []
    name = _text_field(document, "name", label) or stem
    description = _text_field(document, "description", label)
    blend = _blend(document.get("default_blend", 100), label, warnings)
    settings = document.get("settings", {})
    if not isinstance(settings, Mapping):
        raise PresetError(f'{label}: "settings" should be a list of named settings.')
    sorted_settings = sort_settings(settings, label)
    lut = None
    if document.get("lut") is not None:
        reference = check_lut_reference(document["lut"], label)
        if read_lut is None:
            raise PresetError(f"{label}: its LUT {reference} cannot be read from here.")
        lut, lut_warnings = read_lut(reference)
        warnings += lut_warnings
    return Preset(
        name=name,
        settings=sorted_settings.settings,
        lut=lut,
        default_blend=blend,
        source=source,
        unsupported_keys=sorted_settings.unsupported_keys,
        warnings=tuple(warnings) + sorted_settings.warnings,
        description=description,
    )


def preset_to_json(preset: Preset, *, lut_file: str | None = None) -> str:
    """The JSON text of a preset in this format (settings as they are; `lut_file` if given)."""
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "name": preset.name,
        "description": preset.description,
        "default_blend": preset.default_blend,
        "settings": dict(preset.settings),
    }
    if lut_file is not None:
        document["lut"] = lut_file
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _text_field(document: Mapping[str, Any], key: str, label: str) -> str:
    value = document.get(key, "")
    if not isinstance(value, str):
        raise PresetError(f'{label}: "{key}" should be text.')
    return value.strip()


def _blend(value: Any, label: str, warnings: list[str]) -> float:
    try:
        blend = float(value) if not isinstance(value, bool | str) else math.nan
    except (TypeError, OverflowError):
        blend = math.nan
    if not math.isfinite(blend):
        raise PresetError(f'{label}: "default_blend" should be a number from 0 to 100.')
    if not 0.0 <= blend <= 100.0:
        clamped = min(max(blend, 0.0), 100.0)
        warnings.append(f"default_blend is {blend:g}, outside 0..100; it was set to {clamped:g}.")
        blend = clamped
    return blend
