"""The two spatial steps: Clarity2012 (before the pointwise develop) and the post-crop vignette
(after it). Here they are only prepared; `kernels.develop_pixels` applies them per pixel.

Clarity: local contrast on lightness, an unsharp mask with a large radius. With L the
input's Rec.709 lightness (encoded values) and B = L blurred by a Gaussian of σ = 1 % of the
long edge, every channel gets + k·(L − B)·4L(1 − L), with k = 0.6·Clarity/100: detail against
the surroundings is amplified (or, negative, softened) in the midtones and left alone near
black and white. B is computed at reduced size (the long edge shrunk to about 800 pixels,
then blurred with σ scaled alike) and interpolated bilinearly back, which costs a few
milliseconds instead of a full-size blur.

Vignette: with u, v the pixel's offset from the centre over half the width and height,
roundness r ∈ [−1, 1] (PostCropVignetteRoundness/100) makes the shape rounder (axes pulled
towards their geometric mean) or more rectangular (a superellipse of exponent p = 2(1 + 3|r|)).
d = (|u|ᵖ + |v|ᵖ)^(1/p); t = smoothstep(c − w, c + w, d) with c = 0.35 + 0.8·Midpoint/100 and
w = 0.02 + 0.5·Feather/100. Amount a = PostCropVignetteAmount/100 darkens by × (1 + a·t)
when negative and pulls towards white by (1 − x)·a·t when positive. The per-pixel work is one
table lookup: |u|ᵖ per column and |v|ᵖ per row are precomputed, and t as a function of their
sum.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyvips

from junmai_gui.develop.pipeline.tone import number

F32 = npt.NDArray[np.float32]
_CLARITY_STRENGTH = 0.6
_BLUR_FRACTION = 0.01
_BLUR_LONG_EDGE = 800
_FALLOFF_SAMPLES = 4096


@dataclass(frozen=True)
class Clarity:
    amount: float  # −0.6..0.6
    blur: F32  # blurred lightness, 0..1, at 1/scale of the photo's size
    scale: float


@dataclass(frozen=True)
class Vignette:
    amount: float  # −1..1
    column_term: F32
    row_term: F32
    falloff: F32
    falloff_scale: float


def clarity_for(
    settings: Mapping[str, Any], image: pyvips.Image, max_value: float
) -> Clarity | None:
    """The blurred lightness Clarity needs, or None when the preset has no Clarity."""
    amount = _CLARITY_STRENGTH * number(settings, "Clarity2012") / 100.0
    if amount == 0.0:
        return None
    long_edge = max(image.width, image.height)
    factor = max(1, long_edge // _BLUR_LONG_EDGE)
    small = image.shrink(factor, factor) if factor > 1 else image
    lightness = small.recomb([[0.2126, 0.7152, 0.0722]]) / max_value
    sigma = max(_BLUR_FRACTION * long_edge / factor, 0.5)
    blurred = lightness.gaussblur(sigma, precision="float")
    plane = np.ascontiguousarray(blurred.numpy().reshape(blurred.height, blurred.width))
    scale = image.width / blurred.width
    return Clarity(amount, plane.astype(np.float32), float(scale))


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
    sums = np.linspace(0.0, top, _FALLOFF_SAMPLES)
    distance = sums ** (1.0 / power)
    centre, half_width = 0.35 + 0.8 * midpoint, 0.02 + 0.5 * feather
    t = np.clip((distance - (centre - half_width)) / (2.0 * half_width), 0.0, 1.0)
    falloff = t * t * (3.0 - 2.0 * t)
    return Vignette(
        amount,
        columns.astype(np.float32),
        rows.astype(np.float32),
        falloff.astype(np.float32),
        (_FALLOFF_SAMPLES - 1) / top if top > 0 else 0.0,
    )
