"""Each rendered key moves the photo the way a photographer expects, and nothing else."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
import pyvips

from junmai_gui.develop.pipeline import apply_preset
from junmai_gui.develop.pipeline.color import split
from junmai_gui.develop.pipeline.tone import monotone_cubic
from junmai_gui.develop.preset import Preset

Pixels = npt.NDArray[np.float64]


def develop(pixels: npt.NDArray[np.uint8], settings: dict[str, Any]) -> Pixels:
    image = pyvips.Image.new_from_array(np.ascontiguousarray(pixels)).copy(interpretation="srgb")
    out: Pixels = apply_preset(image, Preset("test", settings=settings), 100).numpy()
    return out.astype(np.float64)


def grey_ramp() -> npt.NDArray[np.uint8]:
    ramp = np.linspace(10, 245, 64)
    return np.repeat(np.stack([ramp, ramp, ramp], axis=-1)[None], 8, axis=0).astype(np.uint8)


def colour_chart() -> npt.NDArray[np.uint8]:
    """Muted and vivid patches of several hues at several levels."""
    rng = np.random.default_rng(0)
    return rng.integers(30, 226, size=(16, 64, 3)).astype(np.uint8)


def spread(p: Pixels) -> float:
    return float(np.std(p))


def chroma(p: Pixels) -> float:
    return float(np.mean(p.max(axis=-1) - p.min(axis=-1)))


def mean_level(p: Pixels) -> float:
    return float(np.mean(p))


def dark_mean(p: Pixels) -> float:
    return float(np.mean(p[:, :16]))  # the ramp's darkest quarter


def bright_mean(p: Pixels) -> float:
    return float(np.mean(p[:, -16:]))


def mid_mean(p: Pixels) -> float:
    return float(np.mean(p[:, 24:40]))


def channel(index: int) -> Callable[[Pixels], float]:
    return lambda p: float(np.mean(p[..., index]))


# (settings, input, measure, expected sign of measure(after) - measure(before))
CASES: list[tuple[str, dict[str, Any], str, Callable[[Pixels], float], int]] = [
    ("exposure+", {"Exposure2012": 0.7}, "ramp", mean_level, +1),
    ("exposure-", {"Exposure2012": -0.7}, "ramp", mean_level, -1),
    ("contrast+ spreads tones", {"Contrast2012": 60}, "ramp", spread, +1),
    ("contrast- narrows tones", {"Contrast2012": -60}, "ramp", spread, -1),
    ("highlights- darkens brights", {"Highlights2012": -80}, "ramp", bright_mean, -1),
    ("shadows+ lifts darks", {"Shadows2012": 80}, "ramp", dark_mean, +1),
    ("whites+ brightens brights", {"Whites2012": 80}, "ramp", bright_mean, +1),
    ("blacks+ lifts darks", {"Blacks2012": 80}, "ramp", dark_mean, +1),
    ("blacks- deepens darks", {"Blacks2012": -80}, "ramp", dark_mean, -1),
    ("saturation+ raises chroma", {"Saturation": 50}, "chart", chroma, +1),
    ("saturation- lowers chroma", {"Saturation": -50}, "chart", chroma, -1),
    ("vibrance+ raises chroma", {"Vibrance": 60}, "chart", chroma, +1),
    ("temperature+ warms: red up", {"IncrementalTemperature": 40}, "ramp", channel(0), +1),
    ("temperature+ warms: blue down", {"IncrementalTemperature": 40}, "ramp", channel(2), -1),
    ("temperature- cools: blue up", {"IncrementalTemperature": -40}, "ramp", channel(2), +1),
    ("tint+ is magenta: green down", {"IncrementalTint": 40}, "ramp", channel(1), -1),
    ("tint- is green: green up", {"IncrementalTint": -40}, "ramp", channel(1), +1),
    ("tone curve lifting mids", {"ToneCurvePV2012": ((0, 0), (128, 170), (255, 255))}, "ramp",
     mid_mean, +1),
    ("red curve raises red", {"ToneCurvePV2012Red": ((0, 0), (128, 170), (255, 255))}, "ramp",
     channel(0), +1),
    ("blue curve lowers blue", {"ToneCurvePV2012Blue": ((0, 0), (128, 90), (255, 255))}, "ramp",
     channel(2), -1),
    ("parametric darks+", {"ParametricDarks": 80}, "ramp", dark_mean, +1),
    ("parametric highlights-", {"ParametricHighlights": -80}, "ramp", bright_mean, -1),
    ("parametric lights+", {"ParametricLights": 80}, "ramp", mid_mean, +1),
    ("split toning: blue shadows", {"SplitToningShadowHue": 230, "SplitToningShadowSaturation": 60},
     "ramp", lambda p: float(np.mean(p[:, :16, 2] - p[:, :16, 0])), +1),
    ("colour grading: orange highlights",
     {"ColorGradeHighlightHue": 35, "ColorGradeHighlightSat": 60}, "ramp",
     lambda p: float(np.mean(p[:, -16:, 0] - p[:, -16:, 2])), +1),
    ("colour grading: global lum+", {"ColorGradeGlobalLum": 50}, "ramp", mean_level, +1),
    ("colour grading: midtone lum-", {"ColorGradeMidtoneLum": -60}, "ramp", mid_mean, -1),
    ("HSL blue saturation-", {"SaturationAdjustmentBlue": -100}, "blue", chroma, -1),
    ("HSL blue luminance-", {"LuminanceAdjustmentBlue": -100}, "blue", mean_level, -1),
]  # fmt: skip


def blue_patch() -> npt.NDArray[np.uint8]:
    return np.tile(np.array([40, 70, 200], np.uint8), (8, 8, 1))


INPUTS = {"ramp": grey_ramp, "chart": colour_chart, "blue": blue_patch}


@pytest.mark.parametrize(
    ("settings", "kind", "measure", "sign"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_key_moves_the_photo_in_the_expected_direction(
    settings: dict[str, Any], kind: str, measure: Callable[[Pixels], float], sign: int
) -> None:
    pixels = INPUTS[kind]()
    change = measure(develop(pixels, settings)) - measure(pixels.astype(np.float64))
    assert change * sign > 0.5, f"{settings} changed the measure by {change:+.2f}"


def test_vibrance_favours_muted_colours() -> None:
    muted = np.tile(np.array([140, 120, 110], np.uint8), (4, 4, 1))
    vivid = np.tile(np.array([220, 60, 40], np.uint8), (4, 4, 1))
    pixels = np.concatenate([muted, vivid], axis=1)
    out = develop(pixels, {"Vibrance": 80})
    gain_muted = chroma(out[:, :4]) / chroma(pixels[:, :4].astype(np.float64))
    gain_vivid = chroma(out[:, 4:]) / chroma(pixels[:, 4:].astype(np.float64))
    assert gain_muted > gain_vivid > 0.99


def test_grayscale_makes_r_g_b_equal() -> None:
    out = develop(colour_chart(), {"ConvertToGrayscale": True})
    assert np.max(np.abs(out[..., 0] - out[..., 1])) <= 1
    assert np.max(np.abs(out[..., 1] - out[..., 2])) <= 1
    assert np.std(out) > 10  # still a picture, not one grey


def test_hsl_hue_shifts_the_chosen_band_only() -> None:
    red = np.tile(np.array([200, 40, 40], np.uint8), (8, 8, 1))
    blue = np.tile(np.array([40, 60, 200], np.uint8), (8, 8, 1))
    pixels = np.concatenate([red, blue], axis=1)
    out = develop(pixels, {"HueAdjustmentRed": 100})
    assert np.array_equal(out[:, 8:], pixels[:, 8:].astype(np.float64))
    _, a_in, b_in = split(pixels[0, :1].astype(np.float64) / 255)
    _, a_out, b_out = split(out[0, :1] / 255)
    hue_in = np.degrees(np.arctan2(b_in, a_in))[0]
    hue_out = np.degrees(np.arctan2(b_out, a_out))[0]
    assert 15 < hue_out - hue_in < 45  # red moved towards orange


def test_vignette_darkens_corners_and_keeps_the_centre() -> None:
    pixels = np.full((60, 90, 3), 150, np.uint8)
    out = develop(pixels, {"PostCropVignetteAmount": -70})
    assert np.mean(out[:5, :5]) < 120
    assert abs(np.mean(out[25:35, 40:50]) - 150) <= 1
    lighter = develop(pixels, {"PostCropVignetteAmount": 70})
    assert np.mean(lighter[:5, :5]) > 170


def test_vignette_midpoint_and_roundness_change_its_shape() -> None:
    pixels = np.full((60, 90, 3), 150, np.uint8)
    base = {"PostCropVignetteAmount": -70}
    wide = develop(pixels, {**base, "PostCropVignetteMidpoint": 0})
    narrow = develop(pixels, {**base, "PostCropVignetteMidpoint": 100})
    assert np.mean(wide) < np.mean(narrow)
    square = develop(pixels, {**base, "PostCropVignetteRoundness": -100})
    assert not np.array_equal(square, develop(pixels, base))


def test_clarity_raises_local_contrast_in_midtones() -> None:
    y, x = np.mgrid[0:300, 0:300]  # Clarity's radius is 1 % of the long edge: 3 px here
    texture = 128 + 25 * np.sign(np.sin(x / 2.0)) * np.sign(np.sin(y / 2.0))
    pixels = np.repeat(texture[..., None], 3, axis=2).astype(np.uint8)
    assert spread(develop(pixels, {"Clarity2012": 80})) > spread(pixels.astype(np.float64)) + 3
    assert spread(develop(pixels, {"Clarity2012": -80})) < spread(pixels.astype(np.float64)) - 3


def test_monotone_cubic_passes_through_its_points_and_never_turns_back() -> None:
    xs, ys = [0.0, 0.2, 0.5, 0.55, 1.0], [0.0, 0.4, 0.45, 0.9, 1.0]
    at = np.linspace(0, 1, 2001)
    curve = monotone_cubic(xs, ys, at)
    assert np.all(np.diff(curve) >= -1e-12)
    assert np.allclose(monotone_cubic(xs, ys, np.array(xs)), ys)


def test_absolute_temperature_applies_to_raw_only() -> None:
    pixels = grey_ramp()
    image = pyvips.Image.new_from_array(pixels).copy(interpretation="srgb")
    warm = Preset("warm", settings={"Temperature": 7500.0, "Tint": 0.0})
    raw: Pixels = apply_preset(image, warm, 100, is_raw=True).numpy().astype(np.float64)
    assert np.mean(raw[..., 0]) > np.mean(pixels[..., 0]) + 2
    assert np.mean(raw[..., 2]) < np.mean(pixels[..., 2]) - 2
    not_raw = apply_preset(image, warm, 100).numpy()
    assert np.array_equal(not_raw, pixels)


def hue_of(pixels: Pixels) -> float:
    _, a, b = split(pixels.reshape(-1, 3)[:1] / 255.0)
    return float(np.degrees(np.arctan2(b, a))[0])


RED = np.tile(np.array([200, 45, 40], np.uint8), (8, 8, 1))
GREY = np.tile(np.array([120, 120, 120], np.uint8), (8, 8, 1))


def test_gray_mixer_red_lightens_reds_in_black_and_white() -> None:
    pixels = np.concatenate([RED, GREY], axis=1)
    lighter = develop(pixels, {"ConvertToGrayscale": True, "GrayMixerRed": 100})
    darker = develop(pixels, {"ConvertToGrayscale": True, "GrayMixerRed": -100})
    plain = develop(pixels, {"ConvertToGrayscale": True})
    assert mean_level(lighter[:, :8]) > mean_level(plain[:, :8]) + 20
    assert mean_level(darker[:, :8]) < mean_level(plain[:, :8]) - 20
    assert np.array_equal(lighter[:, 8:], plain[:, 8:])  # greys are not moved
    assert np.array_equal(lighter[..., 0], lighter[..., 2])  # still black and white


def test_gray_mixer_applies_only_to_black_and_white() -> None:
    assert np.array_equal(develop(RED, {"GrayMixerRed": 100}), RED.astype(np.float64))


@pytest.mark.parametrize(("hue", "direction"), [(60, +1), (-60, -1)])
def test_red_primary_hue_turns_reds_towards_yellow_or_magenta(hue: int, direction: int) -> None:
    shifted = develop(RED, {"RedHue": hue})
    change = hue_of(shifted) - hue_of(RED.astype(np.float64))
    assert change * direction > 5  # positive: towards yellow (60°), negative: towards magenta
    assert np.array_equal(develop(GREY, {"RedHue": hue}), GREY.astype(np.float64))


def test_primary_saturation_and_shadow_tint() -> None:
    blue = np.tile(np.array([40, 60, 190], np.uint8), (8, 8, 1))
    assert chroma(develop(blue, {"BlueSaturation": 80})) > chroma(blue.astype(np.float64)) + 5
    assert chroma(develop(blue, {"BlueSaturation": -80})) < chroma(blue.astype(np.float64)) - 5
    dark = np.tile(np.array([40, 40, 40], np.uint8), (8, 8, 1))
    magenta = develop(dark, {"ShadowTint": 100})
    assert magenta[..., 1].mean() < magenta[..., 0].mean() - 1  # green pulled down
    green = develop(dark, {"ShadowTint": -100})
    assert green[..., 1].mean() > green[..., 0].mean() + 1
