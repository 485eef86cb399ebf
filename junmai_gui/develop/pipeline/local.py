"""The post-crop vignette (after the pointwise develop), prepared here and applied per pixel
by `kernels.develop_rows`. (Clarity and the other steps before the develop: `detail`.)

Shape: with u, v the pixel's offset from the centre over half the width and height,
roundness r ∈ [−1, 1] (PostCropVignetteRoundness/100) makes the shape rounder (axes pulled
towards their geometric mean) or more rectangular (a superellipse of exponent p = 2(1 + 3|r|)).
d = (|u|ᵖ + |v|ᵖ)^(1/p); t = smoothstep(c − w, c + w, d) with c = 0.35 + 0.8·Midpoint/100 and
w = 0.02 + 0.5·Feather/100. The per-pixel work is one table lookup: |u|ᵖ per column and |v|ᵖ
per row are precomputed, and t (and the factor below) as a function of their sum.

Amount a = PostCropVignetteAmount/100, on the developed value x of each channel, by
PostCropVignetteStyle:

- 3, Paint Overlay: mixes with black, x·(1 + a·t), when a < 0 and with white,
  x + (1 − x)·a·t, when a > 0 — flat, as Lightroom describes it.
- 1, Highlight Priority (Lightroom's default) and 2, Color Priority: an exposure change of
  2a·t stops, i.e. × f = 2^(2a·t/2.2) on sRGB-encoded values. When darkening, bright values
  are protected: × f + (1 − f)·q with q = h·smoothstep(0.55, 1, ·). Highlight Priority
  protects each channel by its own value, h = 0.3 + 0.7·HighlightContrast/100 (highlights
  recover; colours may shift in the darkened corners); Color Priority protects all three by
  the pixel's lightness Y, h = 0.7·HighlightContrast/100 (hues stay).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from junmai_gui.develop.pipeline.tone import number

F32 = npt.NDArray[np.float32]
FALLOFF_SAMPLES = 4096


HIGHLIGHT_PRIORITY = 1  # PostCropVignetteStyle: 2 is Color Priority, 3 Paint Overlay


@dataclass(frozen=True)
class Vignette:
    amount: float  # −1..1
    style: int  # 1, 2 or 3
    protection: float  # h
    column_term: F32
    row_term: F32
    falloff: F32  # t
    factor: F32  # f, for the exposure-like styles
    falloff_scale: float


def vignette_for(settings: Mapping[str, Any], width: int, height: int) -> Vignette | None:
    """The vignette's precomputed terms, or None when the preset has no vignette."""
    amount = number(settings, "PostCropVignetteAmount") / 100.0
    if amount == 0.0:
        return None
    midpoint = number(settings, "PostCropVignetteMidpoint", 50.0) / 100.0
    feather = number(settings, "PostCropVignetteFeather", 50.0) / 100.0
    roundness = number(settings, "PostCropVignetteRoundness") / 100.0
    half_w, half_h = width / 2.0, height / 2.0
    power = 2.0 * (1.0 + 3.0 * max(-roundness, 0.0))
    mean = float(np.sqrt(half_w * half_h))
    round_part = max(roundness, 0.0)
    axis_w = half_w + (mean - half_w) * round_part
    axis_h = half_h + (mean - half_h) * round_part
    columns = np.abs((np.arange(width) + 0.5 - half_w) / axis_w) ** power
    rows = np.abs((np.arange(height) + 0.5 - half_h) / axis_h) ** power
    top = float(columns.max() + rows.max())
    sums = np.linspace(0.0, top, FALLOFF_SAMPLES)
    distance = sums ** (1.0 / power)
    centre, half_width = 0.35 + 0.8 * midpoint, 0.02 + 0.5 * feather
    t = np.clip((distance - (centre - half_width)) / (2.0 * half_width), 0.0, 1.0)
    falloff = t * t * (3.0 - 2.0 * t)
    style = min(max(round(number(settings, "PostCropVignetteStyle", 1.0)), 1), 3)
    contrast = number(settings, "PostCropVignetteHighlightContrast") / 100.0
    protection = 0.3 + 0.7 * contrast if style == HIGHLIGHT_PRIORITY else 0.7 * contrast
    return Vignette(
        amount,
        style,
        protection,
        columns.astype(np.float32),
        rows.astype(np.float32),
        falloff.astype(np.float32),
        np.exp2(2.0 * amount * falloff / 2.2).astype(np.float32),
        (FALLOFF_SAMPLES - 1) / top if top > 0 else 0.0,
    )
