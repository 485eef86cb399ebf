"""Tone: the one-dimensional steps of the pipeline, as functions on arrays of values in 0..1.

Order inside the pointwise stage (see the package docstring for the whole pipeline):

1. `srgb_to_linear`, then white balance and `Exposure2012` as gains in linear light
   (`exposure_gain` = 2^EV, so +1 EV doubles linear light exactly), clipped to 0..1, then
   `linear_to_srgb`. Everything after works on sRGB-encoded values, as a photographer's
   sliders and curves do.
2. `basic_tone` — Contrast, Highlights, Shadows, Whites, Blacks, each a monotone map of the
   encoded value v, applied per channel in that order:
   - Contrast c: v − a·sin(2πv)/2π with a = 0.5·c/100: an S-curve pivoting on 0.5 that keeps
     0 and 1 fixed; slope 1 + a at mid-grey, 1 − a at the ends.
   - Shadows s and Highlights h: v + 0.12·s/100·(27/4)·v(1−v)² and v + 0.12·h/100·(27/4)·v²(1−v),
     bumps that peak at v = 1/3 and 2/3 and keep the ends fixed.
   - Whites w: v + 0.2·w/100·v³ (moves the white end); Blacks k: v + 0.1·k/100·(1−v)³ (moves
     the black end). The amplitudes keep every slope positive, so tones never cross.
3. `parametric_curve` — ParametricShadows/Darks/Lights/Highlights bend four regions split at
   ParametricShadowSplit/MidtoneSplit/HighlightSplit (25/50/75 %): each adds
   0.12·p/100·(1 − t²)² with t the distance from its region's centre over its region's width.
4. `point_curve` — ToneCurvePV2012 (all channels), then ToneCurvePV2012Red/Green/Blue: points
   (x, y) in 0..255, monotone cubic (Fritsch–Carlson) interpolation, flat beyond the end points.

Each curve is tabulated once on `CURVE_SAMPLES` points and applied with linear interpolation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

CURVE_SAMPLES = 4096
_GRID: FloatArray = np.linspace(0.0, 1.0, CURVE_SAMPLES)


def number(settings: Mapping[str, Any], key: str, default: float = 0.0) -> float:
    """A numeric setting, or its neutral value when the preset does not carry it."""
    value = settings.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    return float(value)


def srgb_to_linear(v: FloatArray) -> FloatArray:
    """The sRGB transfer function, inverse direction (IEC 61966-2-1)."""
    v = np.clip(v, 0.0, 1.0)
    return np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4)


def linear_to_srgb(v: FloatArray) -> FloatArray:
    """The sRGB transfer function, forward direction."""
    v = np.clip(v, 0.0, 1.0)
    return np.where(v <= 0.0031308, v * 12.92, 1.055 * np.power(v, 1.0 / 2.4) - 0.055)


def exposure_gain(settings: Mapping[str, Any]) -> float:
    return float(2.0 ** number(settings, "Exposure2012"))


def _basic_tone(v: FloatArray, settings: Mapping[str, Any]) -> FloatArray:
    contrast = 0.5 * number(settings, "Contrast2012") / 100.0
    v = v - contrast * np.sin(2.0 * np.pi * v) / (2.0 * np.pi)
    shadows = 0.12 * number(settings, "Shadows2012") / 100.0
    highlights = 0.12 * number(settings, "Highlights2012") / 100.0
    v = v + 6.75 * (shadows * v * (1.0 - v) ** 2 + highlights * v**2 * (1.0 - v))
    whites = 0.2 * number(settings, "Whites2012") / 100.0
    blacks = 0.1 * number(settings, "Blacks2012") / 100.0
    v = v + whites * v**3 + blacks * (1.0 - v) ** 3
    return np.clip(v, 0.0, 1.0)


def _parametric(v: FloatArray, settings: Mapping[str, Any]) -> FloatArray:
    amounts = [
        number(settings, f"Parametric{name}")
        for name in ("Shadows", "Darks", "Lights", "Highlights")
    ]
    if not any(amounts):
        return v
    splits = [
        number(settings, "ParametricShadowSplit", 25.0) / 100.0,
        number(settings, "ParametricMidtoneSplit", 50.0) / 100.0,
        number(settings, "ParametricHighlightSplit", 75.0) / 100.0,
    ]
    edges = [0.0, *sorted(splits), 1.0]
    out = v.copy()
    for i, amount in enumerate(amounts):
        lo, hi = edges[i], edges[i + 1]
        width = max(hi - lo, 0.05)
        t = (v - (lo + hi) / 2.0) / width
        bump = np.where(np.abs(t) < 1.0, (1.0 - t**2) ** 2, 0.0)
        out = out + 0.12 * amount / 100.0 * bump
    # Keep the curve a function that never reverses, whatever the sliders say.
    return np.clip(np.maximum.accumulate(np.clip(out, 0.0, 1.0)), 0.0, 1.0)


def monotone_cubic(xs: Sequence[float], ys: Sequence[float], at: FloatArray) -> FloatArray:
    """Fritsch–Carlson monotone cubic interpolation of (xs, ys) at `at`; flat outside xs."""
    x = np.asarray(xs, dtype=np.float64)
    y = np.asarray(ys, dtype=np.float64)
    if x.size < 2:
        return np.full_like(at, y[0] if y.size else 0.0)
    h = np.diff(x)
    delta = np.diff(y) / h
    m = np.empty_like(x)
    m[0], m[-1] = delta[0], delta[-1]
    m[1:-1] = (delta[:-1] + delta[1:]) / 2.0
    for i in range(delta.size):
        if delta[i] == 0.0:
            m[i] = m[i + 1] = 0.0
    for i in range(delta.size):
        if delta[i] == 0.0:
            continue
        a, b = m[i] / delta[i], m[i + 1] / delta[i]
        if a < 0.0:
            m[i], a = 0.0, 0.0
        if b < 0.0:
            m[i + 1], b = 0.0, 0.0
        norm = a * a + b * b
        if norm > 9.0:
            tau = 3.0 / np.sqrt(norm)
            m[i], m[i + 1] = tau * a * delta[i], tau * b * delta[i]
    q = np.clip(at, x[0], x[-1])
    k = np.clip(np.searchsorted(x, q, side="right") - 1, 0, x.size - 2)
    t = (q - x[k]) / h[k]
    t2, t3 = t * t, t * t * t
    result: FloatArray = (
        (2 * t3 - 3 * t2 + 1) * y[k]
        + (t3 - 2 * t2 + t) * h[k] * m[k]
        + (-2 * t3 + 3 * t2) * y[k + 1]
        + (t3 - t2) * h[k] * m[k + 1]
    )
    return result


def _curve_table(points: Any) -> FloatArray | None:
    """A point curve tabulated on `_GRID`, or None when it is absent or the identity."""
    if not isinstance(points, list | tuple) or len(points) < 2:
        return None
    pairs = sorted((float(p[0]), float(p[1])) for p in points)
    if all(abs(x - y) < 1e-9 for x, y in pairs) and pairs[0][0] == 0 and pairs[-1][0] == 255:
        return None
    xs = [p[0] / 255.0 for p in pairs]
    ys = [p[1] / 255.0 for p in pairs]
    return np.clip(monotone_cubic(xs, ys, _GRID), 0.0, 1.0)


def master_tone_table(settings: Mapping[str, Any]) -> FloatArray:
    """Basic tone, parametric curve and the master point curve, tabulated on `_GRID`."""
    table = _parametric(_basic_tone(_GRID.copy(), settings), settings)
    master = _curve_table(settings.get("ToneCurvePV2012"))
    if master is not None:
        table = np.interp(table, _GRID, master)
    return table


def channel_tone_tables(settings: Mapping[str, Any]) -> list[FloatArray | None]:
    """The Red, Green and Blue point curves (None where a channel has none)."""
    return [_curve_table(settings.get(f"ToneCurvePV2012{c}")) for c in ("Red", "Green", "Blue")]


def apply_tone(rgb: FloatArray, settings: Mapping[str, Any]) -> FloatArray:
    """Steps 2–4 on encoded RGB values of shape (..., 3)."""
    out = np.interp(rgb, _GRID, master_tone_table(settings))
    for channel, table in enumerate(channel_tone_tables(settings)):
        if table is not None:
            out[..., channel] = np.interp(out[..., channel], _GRID, table)
    return out
