"""The table of rendered keys, and how loaders sort and coerce raw settings with it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from junmai_gui.develop.errors import PresetError
from junmai_gui.develop.settings_keys import (
    HSL_BANDS,
    METADATA_KEYS,
    RENDERED_KEYS,
    KeyKind,
    sort_settings,
)

BRIEF_KEYS = (
    [
        "Exposure2012",
        "Contrast2012",
        "Highlights2012",
        "Shadows2012",
        "Whites2012",
        "Blacks2012",
        "Clarity2012",
        "Vibrance",
        "Saturation",
        "IncrementalTemperature",
        "IncrementalTint",
        "Temperature",
        "Tint",
        "ToneCurvePV2012",
        "ToneCurvePV2012Red",
        "ToneCurvePV2012Green",
        "ToneCurvePV2012Blue",
        "ParametricShadows",
        "ParametricDarks",
        "ParametricLights",
        "ParametricHighlights",
        "ParametricShadowSplit",
        "ParametricMidtoneSplit",
        "ParametricHighlightSplit",
        "SplitToningShadowHue",
        "SplitToningShadowSaturation",
        "SplitToningHighlightHue",
        "SplitToningHighlightSaturation",
        "SplitToningBalance",
        "ColorGradeBlending",
        "ColorGradeBalance",
        "PostCropVignetteAmount",
        "PostCropVignetteMidpoint",
        "PostCropVignetteFeather",
        "PostCropVignetteRoundness",
        "ConvertToGrayscale",
        # issue 13: what community presets carry
        "Texture",
        "Dehaze",
        "PostCropVignetteStyle",
        "PostCropVignetteHighlightContrast",
        "Sharpness",
        "SharpenRadius",
        "SharpenDetail",
        "SharpenEdgeMasking",
        "LuminanceSmoothing",
        "LuminanceNoiseReductionDetail",
        "LuminanceNoiseReductionContrast",
        "ColorNoiseReduction",
        "ColorNoiseReductionDetail",
        "ColorNoiseReductionSmoothness",
        "GrainAmount",
        "GrainSize",
        "GrainFrequency",
        "GrainRoughness",
        "ShadowTint",
    ]
    + [f"{p}Adjustment{b}" for p in ("Hue", "Saturation", "Luminance") for b in HSL_BANDS]
    + [f"GrayMixer{b}" for b in HSL_BANDS]
    + [f"{p}{part}" for p in ("Red", "Green", "Blue") for part in ("Hue", "Saturation")]
    + [
        f"ColorGrade{zone}{part}"
        for zone in ("Shadow", "Midtone", "Highlight", "Global")
        for part in ("Hue", "Sat", "Lum")
    ]
)


def test_the_table_lists_exactly_the_rendered_keys() -> None:
    assert sorted(RENDERED_KEYS) == sorted(BRIEF_KEYS)
    assert not METADATA_KEYS & set(RENDERED_KEYS)


def test_ranges_and_defaults_are_consistent() -> None:
    for spec in RENDERED_KEYS.values():
        if spec.kind is KeyKind.NUMBER:
            assert spec.minimum < spec.maximum, spec.name
            if spec.default is not None:
                assert isinstance(spec.default, float | int)
                assert spec.minimum <= spec.default <= spec.maximum, spec.name
    assert RENDERED_KEYS["Exposure2012"].minimum == -5
    assert RENDERED_KEYS["Temperature"].raw_only
    assert RENDERED_KEYS["Temperature"].default is None
    assert (RENDERED_KEYS["Tint"].minimum, RENDERED_KEYS["Tint"].maximum) == (-150, 150)
    assert RENDERED_KEYS["ToneCurvePV2012"].default == ((0, 0), (255, 255))


def test_metadata_is_quiet_and_the_rest_is_unsupported() -> None:
    raw = {"UUID": "x", "Defringe": "25", "Vibrance": "+5", "CameraProfile": "Camera Vivid"}
    result = sort_settings(raw, "f")
    assert result.settings == {"Vibrance": 5.0}
    assert result.unsupported_keys == ("CameraProfile", "Defringe")
    assert result.warnings == ()


@pytest.mark.parametrize(
    "raw",
    [
        {"LensProfileEnable": "0", "LensProfileSetup": "LensDefaults", "LensProfileName": "X"},
        {"CurveRefineSaturation": "100", "WhiteBalance": "As Shot", "AutoLateralCA": "0"},
        {"PerspectiveScale": "+100", "PerspectiveVertical": "0.0", "PerspectiveUpright": "0",
         "UprightCenterMode": "0", "UprightFocalMode": "0"},
        {"DefringePurpleAmount": "0", "DefringePurpleHueLo": "30", "DefringePurpleHueHi": "70"},
        {"VignetteAmount": "0", "VignetteMidpoint": "50", "HasCrop": "False", "CropTop": "0"},
        {"EnableDetail": "True", "EnableEffects": "true", "RetouchInfo": []},
        {"WhiteBalance": "Custom", "Temperature": "5600"},
    ],
)  # fmt: skip
def test_keys_at_their_neutral_value_are_not_listed(raw: dict[str, object]) -> None:
    assert sort_settings(raw, "f").unsupported_keys == ()


@pytest.mark.parametrize(
    "raw",
    [
        {"LensProfileEnable": "1", "LensProfileSetup": "Auto"},
        {"DefringePurpleAmount": "3", "DefringePurpleHueLo": "30"},
        {"WhiteBalance": "Daylight"},
        {"EnableDetail": "False"},
        {"CurveRefineSaturation": "80"},
        {"PerspectiveUpright": "1", "UprightCenterMode": "0"},
    ],
)
def test_keys_that_change_the_picture_are_listed(raw: dict[str, object]) -> None:
    """A key is listed when it, or the setting it refines, is away from its neutral value."""
    assert sort_settings(raw, "f").unsupported_keys == tuple(sorted(raw))


@pytest.mark.parametrize("raw", ["True", "true", " False ", True])
def test_booleans(raw: object) -> None:
    value = sort_settings({"ConvertToGrayscale": raw}, "f").settings["ConvertToGrayscale"]
    assert value is (str(raw).strip().lower() == "true")


@pytest.mark.parametrize("raw", ["yes", 1, "nan", "inf", [1, 2]])
def test_unreadable_values_are_errors(raw: object) -> None:
    key = "ConvertToGrayscale" if raw in ("yes", 1) else "Exposure2012"
    with pytest.raises(PresetError) as caught:
        sort_settings({key: raw}, '"x.xmp"')
    assert caught.value.message.startswith('"x.xmp": the setting')


def test_a_curve_needs_two_points() -> None:
    with pytest.raises(PresetError):
        sort_settings({"ToneCurvePV2012": ["0, 0"]}, "f")
    with pytest.raises(PresetError):
        sort_settings({"ToneCurvePV2012": ["0, 0, 4", "255, 255"]}, "f")


@settings(max_examples=40, deadline=None)
@given(
    key=st.sampled_from(sorted(k for k, s in RENDERED_KEYS.items() if s.kind is KeyKind.NUMBER)),
    value=st.floats(-1e6, 1e6, allow_nan=False),
)
def test_any_number_ends_inside_its_range_and_is_warned_about_when_moved(
    key: str, value: float
) -> None:
    spec = RENDERED_KEYS[key]
    result = sort_settings({key: f"{value:+}"}, "f")
    kept = result.settings[key]
    assert spec.minimum <= kept <= spec.maximum
    assert (kept != value) == bool(result.warnings)
