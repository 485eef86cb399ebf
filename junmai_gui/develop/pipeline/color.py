"""Colour: white balance, HSL, vibrance/saturation, greyscale and colour grading.

The colour steps work on sRGB-encoded values split into a mean m = (r+g+b)/3 and a chroma
vector (a, b) in the plane orthogonal to grey: a = r − (g+b)/2, b = (√3/2)(g − b). Its angle
θ = atan2(b, a) is the photographer's hue (red 0°, yellow 60°, green 120°, aqua 180°, blue
240°, magenta 300°) and its length ρ the chroma; greys have ρ = 0, so no step below tints them
unless it says so.

Order (after tone, see the package docstring):

1. `white_balance_gains` (applied earlier, in linear light): IncrementalTemperature t moves
   colour temperature by Δ = 1.2·t mired (Temperature/Tint for RAW: Δ = 10⁶/5500 − 10⁶/T
   against the decode's as-shot balance); gains R = e^{0.0032Δ}, B = e^{−0.0032Δ},
   G = e^{−0.003·tint}, divided by their Rec.709 luminance so brightness stays put.
2. `apply_hsl`: the eight bands (centres 0, 30, 60, 120, 180, 240, 270, 300°) weigh each
   pixel by a tent between neighbouring centres (weights sum to 1). Hue rotates θ by
   Σwᵢ·Hᵢ/100·30°; saturation scales ρ by 1 + ΣwᵢSᵢ/100; luminance scales m by
   2^(0.8·ΣwᵢLᵢ/100·min(2ρ, 1)).
3. Vibrance v scales ρ by 1 + v/100·(1 − min(ρ, 1))²·(1 − 0.5·w_orange) (muted colours most,
   skin least); Saturation s scales ρ by 1 + s/100.
4. `to_grayscale` (ConvertToGrayscale): R = G = B = the encoded Rec.709 luminance Y, with
   the B&W mix: the linear luminance is scaled by 2^(1.5·ΣwᵢMᵢ/100·min(2ρ, 1)) for the
   GrayMixer bands Mᵢ (weights wᵢ of the pixel's hue as in step 2, ρ its chroma), so
   GrayMixerRed +100 renders reds up to 1.5 stops lighter and greys are not moved. As in
   Lightroom, where the B&W mix takes the place of the HSL panel, steps 2 and 3 are skipped
   for a black-and-white preset.
5. `apply_color_grading`: t = smoothstep(p − w, p + w, Y') with pivot p = 0.5 − 0.4·balance
   and width w = 0.1 + 0.5·blending; shadow, midtone and highlight weights (1−t)², 2t(1−t),
   t²; each zone (and Global, weight 1) adds 0.25·sat/100·(cos H, sin H) to (a, b) and
   0.25·lum/100 to m. ColorGrade* keys win over the older SplitToning* keys for shadows and
   highlights.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from junmai_gui.develop.pipeline.tone import FloatArray, linear_to_srgb, number, srgb_to_linear

HSL_BANDS = ("Red", "Orange", "Yellow", "Green", "Aqua", "Blue", "Purple", "Magenta")
_BAND_CENTRES = np.array([0.0, 30.0, 60.0, 120.0, 180.0, 240.0, 270.0, 300.0])
_LUMA = np.array([0.2126, 0.7152, 0.0722])
_SQRT3 = np.sqrt(3.0)


def white_balance_gains(settings: Mapping[str, Any], *, is_raw: bool) -> FloatArray:
    """Linear-light channel gains for the preset's white balance (all 1 when neutral)."""
    mired = 1.2 * number(settings, "IncrementalTemperature")
    tint = number(settings, "IncrementalTint")
    if is_raw:
        kelvin = settings.get("Temperature")
        if isinstance(kelvin, int | float) and not isinstance(kelvin, bool) and kelvin > 0:
            mired += 1e6 / 5500.0 - 1e6 / float(kelvin)
        tint += number(settings, "Tint")
    gains = np.array([np.exp(0.0032 * mired), np.exp(-0.003 * tint), np.exp(-0.0032 * mired)])
    return np.asarray(gains / float(gains @ _LUMA), dtype=np.float64)


def split(rgb: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Mean and chroma coordinates (m, a, b) of encoded RGB of shape (N, 3)."""
    r, g, b = rgb[:, 0], rgb[:, 1], rgb[:, 2]
    return (r + g + b) / 3.0, r - (g + b) / 2.0, (_SQRT3 / 2.0) * (g - b)


def join(m: FloatArray, a: FloatArray, b: FloatArray) -> FloatArray:
    """The inverse of `split`, clipped to 0..1."""
    r = m + 2.0 * a / 3.0
    g = m - a / 3.0 + b / _SQRT3
    bl = m - a / 3.0 - b / _SQRT3
    joined: FloatArray = np.clip(np.stack([r, g, bl], axis=1), 0.0, 1.0)
    return joined


def band_weights(hue_deg: FloatArray) -> FloatArray:
    """Tent weights (N, 8) of each pixel's hue in the eight HSL bands; rows sum to 1."""
    h = np.mod(hue_deg, 360.0)
    centres = np.append(_BAND_CENTRES, 360.0)
    k = np.clip(np.searchsorted(centres, h, side="right") - 1, 0, 7)
    span = centres[k + 1] - centres[k]
    t = (h - centres[k]) / span
    weights = np.zeros((h.size, 8))
    rows = np.arange(h.size)
    weights[rows, k] = 1.0 - t
    weights[rows, (k + 1) % 8] += t
    return weights


def _has_any(settings: Mapping[str, Any], prefixes: tuple[str, ...]) -> bool:
    return any(number(settings, f"{p}{band}") for p in prefixes for band in HSL_BANDS)


def apply_hsl(rgb: FloatArray, settings: Mapping[str, Any]) -> FloatArray:
    """Steps 2 and 3: per-band hue/saturation/luminance, then vibrance and saturation."""
    vibrance = number(settings, "Vibrance") / 100.0
    saturation = number(settings, "Saturation") / 100.0
    has_hsl = _has_any(settings, ("HueAdjustment", "SaturationAdjustment", "LuminanceAdjustment"))
    if not (has_hsl or vibrance or saturation):
        return rgb
    m, a, b = split(rgb)
    rho = np.hypot(a, b)
    theta = np.degrees(np.arctan2(b, a))
    weights = band_weights(theta)
    if has_hsl:
        hue = np.array([number(settings, f"HueAdjustment{n}") for n in HSL_BANDS]) / 100.0
        sat = np.array([number(settings, f"SaturationAdjustment{n}") for n in HSL_BANDS]) / 100
        lum = np.array([number(settings, f"LuminanceAdjustment{n}") for n in HSL_BANDS]) / 100
        theta = theta + 30.0 * (weights @ hue)
        m = m * np.power(2.0, 0.8 * (weights @ lum) * np.minimum(2.0 * rho, 1.0))
        rho = rho * np.maximum(1.0 + weights @ sat, 0.0)
    if vibrance:
        muted = (1.0 - np.minimum(rho, 1.0)) ** 2
        rho = rho * np.maximum(1.0 + vibrance * muted * (1.0 - 0.5 * weights[:, 1]), 0.0)
    rho = rho * max(1.0 + saturation, 0.0)
    rad = np.radians(theta)
    return join(m, rho * np.cos(rad), rho * np.sin(rad))


def to_grayscale(rgb: FloatArray, settings: Mapping[str, Any]) -> FloatArray:
    """Step 4: every channel becomes the encoded luminance, after the B&W mix."""
    luminance = srgb_to_linear(rgb) @ _LUMA
    mix = np.array([number(settings, f"GrayMixer{band}") for band in HSL_BANDS]) / 100.0
    if mix.any():
        _, a, b = split(rgb)
        weights = band_weights(np.degrees(np.arctan2(b, a)))
        strength = np.minimum(2.0 * np.hypot(a, b), 1.0)
        luminance = luminance * np.exp2(1.5 * (weights @ mix) * strength)
    y = linear_to_srgb(luminance)
    return np.repeat(y[:, None], 3, axis=1)


def _zone(settings: Mapping[str, Any], zone: str, legacy: str | None) -> tuple[float, float, float]:
    """(hue, sat, lum) of a grading zone; SplitToning* fills in when ColorGrade* is absent."""
    hue_key, sat_key = f"ColorGrade{zone}Hue", f"ColorGrade{zone}Sat"
    if legacy and sat_key not in settings and hue_key not in settings:
        hue = number(settings, f"SplitToning{legacy}Hue")
        sat = number(settings, f"SplitToning{legacy}Saturation")
    else:
        hue, sat = number(settings, hue_key), number(settings, sat_key)
    return hue, sat, number(settings, f"ColorGrade{zone}Lum")


def apply_color_grading(rgb: FloatArray, settings: Mapping[str, Any]) -> FloatArray:
    """Step 5: tint and brighten shadows, midtones, highlights and everything."""
    zones = {
        "Shadow": _zone(settings, "Shadow", "Shadow"),
        "Midtone": _zone(settings, "Midtone", None),
        "Highlight": _zone(settings, "Highlight", "Highlight"),
        "Global": _zone(settings, "Global", None),
    }
    if not any(sat or lum for _, sat, lum in zones.values()):
        return rgb
    balance_key = "ColorGradeBalance" if "ColorGradeBalance" in settings else "SplitToningBalance"
    balance = number(settings, balance_key) / 100.0
    blending = number(settings, "ColorGradeBlending", 50.0) / 100.0
    pivot = 0.5 - 0.4 * balance
    width = 0.1 + 0.5 * blending
    luma = linear_to_srgb(srgb_to_linear(rgb) @ _LUMA)
    t = np.clip((luma - (pivot - width)) / (2.0 * width), 0.0, 1.0)
    t = t * t * (3.0 - 2.0 * t)
    weights = {
        "Shadow": (1.0 - t) ** 2,
        "Midtone": 2.0 * t * (1.0 - t),
        "Highlight": t**2,
        "Global": np.ones_like(t),
    }
    m, a, b = split(rgb)
    for name, (hue, sat, lum) in zones.items():
        w = weights[name]
        amp = 0.25 * sat / 100.0 * w
        a = a + amp * np.cos(np.radians(hue))
        b = b + amp * np.sin(np.radians(hue))
        m = m + 0.25 * lum / 100.0 * w
    return join(m, a, b)
