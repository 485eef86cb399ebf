"""The Camera Raw settings the pipeline renders, with each key's kind, valid range and default.

This table is the contract between the preset loaders and the pipeline: a loader keeps a key
in `Preset.settings` only when it is listed in `RENDERED_KEYS` (coerced to its kind and clamped
to its range), and the pipeline renders exactly these keys, treating a missing key as its
`default` (a `None` default means "leave the photo as it is": Temperature/Tint keep the
camera's white balance).

Every other key a preset file carries falls in one of two groups:

- `METADATA_KEYS`: administrative fields that describe the preset rather than change pixels
  (names, UUID, version numbers, "Supports…"/"Show…" flags, the tone-curve label). They are
  ignored quietly.
- anything else (masks with real adjustments, lens corrections, the camera profile, …)
  changes pixels in Lightroom but not here: the loader lists it in `Preset.unsupported_keys`
  so the photographer is told, never silently dropped — unless its value is the one at which
  Lightroom leaves the picture alone (`neutral_keys`: `LensProfileEnable="0"`,
  `CurveRefineSaturation="100"`, the purple-fringe hue range while the purple amount is 0,
  …). A key is listed only when its value would change the picture.
  `CameraProfile` is not neutral on purpose: a different profile changes the colours.

Values: numbers are `float`; booleans are `bool` (XMP writes "True"/"False"); tone curves
are tuples of `(x, y)` float pairs, 0..255, x strictly increasing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from junmai_gui.develop.errors import PresetError
from junmai_gui.develop.neutral_keys import is_neutral


class KeyKind(StrEnum):
    NUMBER = "number"
    BOOL = "bool"
    CURVE = "curve"


Curve = tuple[tuple[float, float], ...]
IDENTITY_CURVE: Curve = ((0.0, 0.0), (255.0, 255.0))


@dataclass(frozen=True)
class SettingKey:
    """One rendered key: what kind of value it takes, its valid range and its neutral value."""

    name: str
    kind: KeyKind
    minimum: float = 0.0
    maximum: float = 0.0
    default: float | bool | Curve | None = 0.0
    raw_only: bool = False  # rendered for camera RAW files only (absolute white balance)


HSL_BANDS = ("Red", "Orange", "Yellow", "Green", "Aqua", "Blue", "Purple", "Magenta")


def _number(name: str, lo: float, hi: float, default: float | None = 0.0) -> SettingKey:
    return SettingKey(name, KeyKind.NUMBER, lo, hi, default)


def _build_table() -> dict[str, SettingKey]:
    keys: list[SettingKey] = [_number("Exposure2012", -5.0, 5.0)]
    for name in ("Contrast2012", "Highlights2012", "Shadows2012", "Whites2012", "Blacks2012"):
        keys.append(_number(name, -100, 100))
    for name in ("Clarity2012", "Texture", "Dehaze", "Vibrance", "Saturation"):
        keys.append(_number(name, -100, 100))
    keys += [
        _number("IncrementalTemperature", -100, 100),
        _number("IncrementalTint", -100, 100),
        SettingKey("Temperature", KeyKind.NUMBER, 2000, 50000, None, raw_only=True),
        SettingKey("Tint", KeyKind.NUMBER, -150, 150, None, raw_only=True),
    ]
    for suffix in ("", "Red", "Green", "Blue"):
        keys.append(SettingKey(f"ToneCurvePV2012{suffix}", KeyKind.CURVE, 0, 255, IDENTITY_CURVE))
    for name in ("Shadows", "Darks", "Lights", "Highlights"):
        keys.append(_number(f"Parametric{name}", -100, 100))
    keys += [
        _number("ParametricShadowSplit", 0, 100, 25),
        _number("ParametricMidtoneSplit", 0, 100, 50),
        _number("ParametricHighlightSplit", 0, 100, 75),
    ]
    for prefix in ("HueAdjustment", "SaturationAdjustment", "LuminanceAdjustment"):
        keys += [_number(f"{prefix}{band}", -100, 100) for band in HSL_BANDS]
    keys += [
        _number("SplitToningShadowHue", 0, 360),
        _number("SplitToningShadowSaturation", 0, 100),
        _number("SplitToningHighlightHue", 0, 360),
        _number("SplitToningHighlightSaturation", 0, 100),
        _number("SplitToningBalance", -100, 100),
    ]
    for zone in ("Shadow", "Midtone", "Highlight", "Global"):
        keys += [
            _number(f"ColorGrade{zone}Hue", 0, 360),
            _number(f"ColorGrade{zone}Sat", 0, 100),
            _number(f"ColorGrade{zone}Lum", -100, 100),
        ]
    keys += [
        _number("ColorGradeBlending", 0, 100, 50),
        _number("ColorGradeBalance", -100, 100),
        _number("PostCropVignetteAmount", -100, 100),
        _number("PostCropVignetteMidpoint", 0, 100, 50),
        _number("PostCropVignetteFeather", 0, 100, 50),
        _number("PostCropVignetteRoundness", -100, 100),
        # 1 highlight priority (Lightroom's default), 2 colour priority, 3 paint overlay
        _number("PostCropVignetteStyle", 1, 3, 1),
        _number("PostCropVignetteHighlightContrast", 0, 100),
        SettingKey("ConvertToGrayscale", KeyKind.BOOL, default=False),
    ]
    keys += [_number(f"GrayMixer{band}", -100, 100) for band in HSL_BANDS]
    for primary in ("Red", "Green", "Blue"):
        keys += [_number(f"{primary}Hue", -100, 100), _number(f"{primary}Saturation", -100, 100)]
    keys += [
        _number("ShadowTint", -100, 100),
        _number("Sharpness", 0, 150),
        _number("SharpenRadius", 0.5, 3.0, 1.0),
        _number("SharpenDetail", 0, 100, 25),
        _number("SharpenEdgeMasking", 0, 100),
        _number("LuminanceSmoothing", 0, 100),
        _number("LuminanceNoiseReductionDetail", 0, 100, 50),
        _number("LuminanceNoiseReductionContrast", 0, 100),
        _number("ColorNoiseReduction", 0, 100),
        _number("ColorNoiseReductionDetail", 0, 100, 50),
        _number("ColorNoiseReductionSmoothness", 0, 100, 50),
        _number("GrainAmount", 0, 100),
        _number("GrainSize", 0, 100, 25),
        # Lightroom's Roughness slider is stored as GrainFrequency; some preset makers write
        # GrainRoughness instead, which is read when GrainFrequency is absent.
        _number("GrainFrequency", 0, 100, 50),
        _number("GrainRoughness", 0, 100, 50),
    ]
    return {key.name: key for key in keys}


RENDERED_KEYS: Mapping[str, SettingKey] = _build_table()

# Fields that describe a preset (or how Lightroom shows it) and never change pixels.
METADATA_KEYS: frozenset[str] = frozenset(
    {
        "Version",
        "ProcessVersion",
        "CompatibleVersion",
        "PresetType",
        "UUID",
        "Cluster",
        "Group",
        "Name",
        "ShortName",
        "SortName",
        "Description",
        "Copyright",
        "ContactInfo",
        "HasSettings",
        "CameraModelRestriction",
        "ShowInPresets",
        "ShowInQuickActions",
        "RequiresRGBTables",
        "RequiresRenditionBehavior",
        "SupportsAmount",
        "SupportsAmount2",
        "SupportsColor",
        "SupportsMonochrome",
        "SupportsHighDynamicRange",
        "SupportsNormalDynamicRange",
        "SupportsSceneReferred",
        "SupportsOutputReferred",
        "ToneCurveName",
        "ToneCurveName2012",
        "Treatment",  # mirrors ConvertToGrayscale, which is the key that is rendered
        "OverrideLookVignette",  # only meaningful with a Look, and Looks are ignored
        "AutoWhiteVersion",
        "UprightVersion",
        "CameraProfileDigest",
        "LensProfileDigest",
    }
)


def is_rendered(key: str) -> bool:
    return key in RENDERED_KEYS


def _format_number(value: float) -> str:
    return f"{value:g}"


def _shown(raw: Any) -> str:
    """A value as a message quotes it: short, and never a deep structure printed out."""
    if isinstance(raw, str):
        return raw.strip()[:40]
    if isinstance(raw, bool | float) or (isinstance(raw, int) and abs(raw) < 10**40):
        return str(raw)
    if isinstance(raw, list) and len(raw) <= 4 and all(isinstance(v, int | float) for v in raw):
        return ", ".join(_shown(v) for v in raw)
    return {list: "a list", dict: "a group of settings", int: "a huge number"}.get(
        type(raw), "an unreadable value"
    )


def _parse_number(key: str, raw: Any, origin: str) -> float:
    if isinstance(raw, bool):
        raise PresetError(f'{origin}: the setting {key} should be a number, not "{raw}".')
    if isinstance(raw, int | float):
        try:
            value = float(raw)
        except OverflowError:  # an integer with hundreds of digits
            value = math.inf
    elif isinstance(raw, str):
        try:
            value = float(raw.strip())
        except ValueError:
            raise PresetError(
                f'{origin}: the setting {key} should be a number, not "{_shown(raw)}".'
            ) from None
    else:
        raise PresetError(f"{origin}: the setting {key} should be a number.")
    if not math.isfinite(value):
        raise PresetError(f'{origin}: the setting {key} should be a number, not "{_shown(raw)}".')
    return value


def _parse_bool(key: str, raw: Any, origin: str) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in ("true", "false"):
        return raw.strip().lower() == "true"
    raise PresetError(f'{origin}: the setting {key} should be True or False, not "{_shown(raw)}".')


def _parse_point(key: str, raw: Any, origin: str) -> tuple[float, float]:
    parts: list[Any]
    if isinstance(raw, str):
        parts = [p for p in raw.replace(",", " ").split() if p]
    elif isinstance(raw, list | tuple):
        parts = list(raw)
    else:
        parts = []
    if len(parts) != 2:
        raise PresetError(
            f'{origin}: the tone curve {key} has a point "{_shown(raw)}" that is not a pair "x, y".'
        )
    x = _parse_number(key, parts[0], origin)
    y = _parse_number(key, parts[1], origin)
    return x, y


def _coerce_curve(key: str, raw: Any, origin: str, warnings: list[str]) -> Curve:
    if not isinstance(raw, list | tuple):
        raise PresetError(f"{origin}: the tone curve {key} should be a list of points.")
    points = [_parse_point(key, item, origin) for item in raw]
    clamped = [(min(max(x, 0.0), 255.0), min(max(y, 0.0), 255.0)) for x, y in points]
    if clamped != points:
        warnings.append(f"{key}: points outside 0..255 were moved onto the edge.")
    by_x: dict[float, float] = {}
    for x, y in clamped:
        by_x[x] = y  # a repeated x keeps its last y, as Lightroom does when it redraws
    curve = tuple(sorted(by_x.items()))
    if len(curve) < 2:
        raise PresetError(f"{origin}: the tone curve {key} needs at least two points.")
    if len(curve) != len(clamped) or list(curve) != clamped:
        warnings.append(f"{key}: the curve points were put in order and repeats removed.")
    return curve


def coerce_setting(key: str, raw: Any, origin: str, warnings: list[str]) -> Any:
    """Convert one rendered key's raw value (string or JSON value) to its kind, within range.

    An unreadable value raises `PresetError` (naming `origin`, the file); a value outside the
    key's range is clamped and a warning naming the key, the value and the range is appended.
    """
    spec = RENDERED_KEYS[key]
    if spec.kind is KeyKind.BOOL:
        return _parse_bool(key, raw, origin)
    if spec.kind is KeyKind.CURVE:
        return _coerce_curve(key, raw, origin, warnings)
    value = _parse_number(key, raw, origin)
    if value < spec.minimum or value > spec.maximum:
        clamped = min(max(value, spec.minimum), spec.maximum)
        lo, hi = _format_number(spec.minimum), _format_number(spec.maximum)
        warnings.append(
            f"{key} is {_format_number(value)}, outside its range {lo}..{hi}; "
            f"it was set to {_format_number(clamped)}."
        )
        value = clamped
    return value


@dataclass(frozen=True)
class SortedSettings:
    """Raw key/value pairs sorted into what is rendered, what is not, and notes from sorting."""

    settings: dict[str, Any]
    unsupported_keys: tuple[str, ...]
    warnings: tuple[str, ...]


def sort_settings(raw: Mapping[str, Any], origin: str) -> SortedSettings:
    """Keep and coerce the rendered keys; list the rest as unsupported, except metadata and
    keys at a neutral value (`is_neutral`)."""
    settings: dict[str, Any] = {}
    unsupported: set[str] = set()
    warnings: list[str] = []
    for key, value in raw.items():
        if key in RENDERED_KEYS:
            settings[key] = coerce_setting(key, value, origin, warnings)
        elif key not in METADATA_KEYS and not is_neutral(key, value, raw):
            unsupported.add(key)
    return SortedSettings(settings, tuple(sorted(unsupported)), tuple(warnings))
