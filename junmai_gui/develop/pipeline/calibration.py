"""Camera calibration: the Red/Green/Blue primaries' hue and saturation, and the shadows' tint.

Lightroom's Calibration panel edits the camera profile's primaries; here they act on linear
sRGB, first in the pointwise develop (before white balance and exposure). In the chroma
plane of `color` (hue θ: red 0°, green 120°, blue 240°), each primary p ∈ {R, G, B} — the
colour (1, 0, 0), (0, 1, 0) or (0, 0, 1) — has its hue turned by 30°·pHue/100 (positive
towards the next primary: red to yellow, green to cyan, blue to magenta) and its chroma
scaled by 1 + pSaturation/100, keeping its mean. The moved primaries are the columns of a
3×3 matrix M (linear RGB → M·RGB); their chroma is then shifted equally so that M·(1, 1, 1)
= (1, 1, 1): greys stay grey.

ShadowTint s ∈ [−100, 100] tints the shadows green (−) or magenta (+): the green channel
is scaled by exp(−0.15·s/100·(1 − Y)²), Y the sRGB-encoded Rec.709 luminance.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from junmai_gui.develop.pipeline.color import split
from junmai_gui.develop.pipeline.tone import FloatArray, linear_to_srgb, number, srgb_to_linear

PRIMARIES = ("Red", "Green", "Blue")
_LUMA = np.array([0.2126, 0.7152, 0.0722])


def primaries_matrix(settings: Mapping[str, Any]) -> FloatArray | None:
    """M (3×3, applied as rgb @ M.T), or None when the primaries are left alone."""
    hues = np.array([number(settings, f"{p}Hue") for p in PRIMARIES]) / 100.0
    saturations = np.array([number(settings, f"{p}Saturation") for p in PRIMARIES]) / 100.0
    if not (hues.any() or saturations.any()):
        return None
    m, a, b = split(np.eye(3))
    angle = np.arctan2(b, a) + np.radians(30.0) * hues
    rho = np.hypot(a, b) * np.maximum(1.0 + saturations, 0.0)
    a, b = rho * np.cos(angle), rho * np.sin(angle)
    a, b = a - a.mean(), b - b.mean()  # the chroma of M·(1, 1, 1) is their sum: make it 0
    columns = _join_unclipped(m, a, b)
    return np.asarray(columns.T, dtype=np.float64)


def _join_unclipped(m: FloatArray, a: FloatArray, b: FloatArray) -> FloatArray:
    """`color.join` without its clipping: primaries may leave 0..1 on the way."""
    sqrt3 = np.sqrt(3.0)
    return np.stack([m + 2.0 * a / 3.0, m - a / 3.0 + b / sqrt3, m - a / 3.0 - b / sqrt3], 1)


def apply_calibration(rgb: FloatArray, settings: Mapping[str, Any]) -> FloatArray:
    """Encoded RGB (N, 3) through the moved primaries and the shadow tint, in linear light."""
    primaries = primaries_matrix(settings)
    tint = number(settings, "ShadowTint") / 100.0
    if primaries is None and not tint:
        return rgb
    linear = srgb_to_linear(rgb)
    if primaries is not None:
        linear = np.clip(linear @ primaries.T, 0.0, 1.0)
    if tint:
        shadow = (1.0 - linear_to_srgb(linear @ _LUMA)) ** 2
        linear[:, 1] *= np.exp(-0.15 * tint * shadow)
    return linear_to_srgb(linear)
