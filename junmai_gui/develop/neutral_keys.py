"""Settings the pipeline does not render, at values where they change nothing.

A preset lists a key as not rendered (`settings_keys.sort_settings`) only when its value
would change the picture in Lightroom. Most exported presets carry every slider, most of
them at their neutral value (`Dehaze="0"`, lens corrections switched off, masks whose
adjustments are all 0); naming those would tell the photographer that a preset is not
rendered when it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Keys the pipeline does not render, at the value with which Lightroom leaves the picture as
# it is. Numbers compare as numbers ("+0" is 0), text and booleans case-insensitively.
_ENABLED = "True"  # Lightroom's panel switches (EnableDetail, …) are on unless turned off
NEUTRAL_VALUES: Mapping[str, float | str] = {
    "CurveRefineSaturation": 100,
    "WhiteBalance": "As Shot",
    "LensProfileEnable": 0,
    "LensManualDistortionAmount": 0,
    "AutoLateralCA": 0,
    "ChromaticAberrationR": 0,
    "ChromaticAberrationB": 0,
    "VignetteAmount": 0,
    "Defringe": 0,
    "DefringePurpleAmount": 0,
    "DefringeGreenAmount": 0,
    "PerspectiveVertical": 0,
    "PerspectiveHorizontal": 0,
    "PerspectiveRotate": 0,
    "PerspectiveScale": 100,
    "PerspectiveAspect": 0,
    "PerspectiveX": 0,
    "PerspectiveY": 0,
    "PerspectiveUpright": 0,
    "HasCrop": "False",
    "CropAngle": 0,
    "HDREditMode": 0,
    "AutoExposure": "False",
    "AutoContrast": "False",
    "AutoBrightness": "False",
    "AutoShadows": "False",
    "AutoTone": "False",
    "MoireFilter": "Off",
    **{
        f"Enable{panel}": _ENABLED
        for panel in (
            "Calibration",
            "ColorAdjustments",
            "Detail",
            "Effects",
            "GrayscaleMix",
            "LensCorrections",
            "RedEye",
            "Retouch",
            "SplitToning",
            "ToneCurve",
            "Transform",
            "CircularGradientBasedCorrections",
            "GradientBasedCorrections",
            "PaintBasedCorrections",
            "MaskGroupBasedCorrections",
        )
    },
}

# Keys that only refine another setting: whatever their value, they change nothing while
# that setting is at its neutral value (a key absent from the preset counts as neutral).
ONLY_WITH: Mapping[str, str] = {
    "VignetteMidpoint": "VignetteAmount",
    "DefringePurpleHueLo": "DefringePurpleAmount",
    "DefringePurpleHueHi": "DefringePurpleAmount",
    "DefringeGreenHueLo": "DefringeGreenAmount",
    "DefringeGreenHueHi": "DefringeGreenAmount",
    "LensProfileSetup": "LensProfileEnable",
    "LensProfileName": "LensProfileEnable",
    "LensProfileFilename": "LensProfileEnable",
    "LensProfileDistortionScale": "LensProfileEnable",
    "LensProfileChromaticAberrationScale": "LensProfileEnable",
    "LensProfileVignettingScale": "LensProfileEnable",
    "LensProfileIsEmbedded": "LensProfileEnable",
    "CropTop": "HasCrop",
    "CropLeft": "HasCrop",
    "CropBottom": "HasCrop",
    "CropRight": "HasCrop",
    "CropWidth": "HasCrop",
    "CropHeight": "HasCrop",
    "CropUnit": "HasCrop",
    "CropUnits": "HasCrop",
    "CropConstrainToWarp": "HasCrop",
    "CropConstrainToUnitSquare": "HasCrop",
}


def _same_value(raw: Any, neutral: float | str) -> bool:
    text = raw.strip() if isinstance(raw, str) else raw
    if isinstance(neutral, str):
        return isinstance(text, str | bool) and str(text).lower() == neutral.lower()
    try:
        return not isinstance(text, bool) and float(text) == neutral
    except (TypeError, ValueError):
        return False


def is_neutral(key: str, raw: Any, preset: Mapping[str, Any]) -> bool:
    """True when `key` (not rendered) at `raw` leaves the picture as Lightroom would find it.

    `preset` holds the file's other raw values, for keys that only refine another setting
    (`ONLY_WITH`); a white balance other than "As Shot" is neutral only as "Custom" with the
    Temperature/Tint it names, which are rendered.
    """
    if key in NEUTRAL_VALUES and _same_value(raw, NEUTRAL_VALUES[key]):
        return True
    if isinstance(raw, list | tuple) and not raw:  # no spots, no red-eye fixes
        return True
    if key == "WhiteBalance" and _same_value(raw, "Custom"):
        return "Temperature" in preset or "IncrementalTemperature" in preset
    if key.startswith("Upright"):
        return not _differs(preset, "PerspectiveUpright")
    master = ONLY_WITH.get(key)
    return master is not None and not _differs(preset, master)


def local_adjustment_is_neutral(key: str, raw: Any) -> bool:
    """True for a mask's `Local…` adjustment that changes nothing (0; Refine Saturation 100).

    The toning hue only says which colour a toning saturation would add, so it is neutral by
    itself."""
    if key == "LocalToningHue":
        return True
    return _same_value(raw, 100 if key == "LocalCurveRefineSaturation" else 0)


def _differs(preset: Mapping[str, Any], key: str) -> bool:
    return key in preset and not _same_value(preset[key], NEUTRAL_VALUES[key])
