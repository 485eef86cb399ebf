"""Film grain (GrainAmount, GrainSize, GrainFrequency — Lightroom's Roughness, which some
presets write as GrainRoughness), prepared for `kernels.develop_rows`, which adds it after
the vignette.

Maths: n is white noise, uniform in [−½, ½), one value per pixel from an integer hash of
(seed, x, y) (`rows.noise_row`). N = n blurred by a Gaussian of σ pixels and scaled to unit
standard deviation is the grain's shape; with roughness ρ = Roughness/100 the grain is
G = ((1 − ρ/2)·N + ρ/2·n/σₙ)/s, part smooth clumps and part pixel-sharp specks, s making its
standard deviation 1 again. Each channel then gets + a·w(Y)·G with a = 0.09·Amount/100 (in
0..1 units) and w(Y) = 0.3 + 2.8·Y(1 − Y) on the developed lightness Y: film grain shows
most in the midtones.

Size is relative to the frame, like the grain of one film stock: σ = (0.3 + 0.045·Size)·
long edge/6000 pixels (1.4 px at Size 25 on a 24-MP photo). Where σ falls below half a
pixel (a preview), the grain is drawn at σ = ½ and its smooth part scaled by min(1, 2√π·σ),
which is what averaging grain of σ into larger pixels does to its standard deviation; the
pixel-sharp part, one full-size pixel wide, is scaled by `scale` (the preview's size over
the photo's) for the same reason.

Determinism: the seed comes from the photo's identity (its file name, size and the hash of
its first 64 KiB, computed by the engine — not its path, which differs between computers)
with the preset's settings and the blend, never from a clock; the noise is integer
arithmetic. The same photo, preset and blend give the same grain on every run, and another
machine draws the same noise.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from junmai_gui.develop.pipeline.detail import F32, gaussian_weights
from junmai_gui.develop.pipeline.tone import number

GRAIN_STRENGTH = 0.09
_NOISE_STD = 1.0 / np.sqrt(12.0)


@dataclass(frozen=True)
class Grain:
    amount: float  # a
    weights: F32  # the Gaussian that shapes N
    smooth: float  # (1 − ρ/2)/(σₙ·Σw²·s): multiplies the blurred noise
    rough: float  # (ρ/2)/(σₙ·s): multiplies the pixel's own noise
    seed: int  # 0..2³²−1


def has_grain(settings: Mapping[str, Any]) -> bool:
    """True when the preset adds grain (only then is the photo's identity needed)."""
    return number(settings, "GrainAmount") > 0.0


def grain_for(
    settings: Mapping[str, Any],
    width: int,
    height: int,
    photo_seed: int,
    blend: float,
    *,
    scale: float = 1.0,
) -> Grain | None:
    """The grain's parameters for an image of width × height (`scale` times the photo's
    size) developed at `blend` (0..1), or None without grain."""
    if not has_grain(settings):
        return None
    amount = GRAIN_STRENGTH * number(settings, "GrainAmount") / 100.0
    size = number(settings, "GrainSize", 25.0)
    roughness_key = "GrainFrequency" if "GrainFrequency" in settings else "GrainRoughness"
    roughness = number(settings, roughness_key, 50.0) / 100.0
    sigma = (0.3 + 0.045 * size) * max(width, height) / 6000.0
    smooth_share = min(1.0, 2.0 * np.sqrt(np.pi) * sigma)
    sigma = max(sigma, 0.5)
    weights = gaussian_weights(sigma)
    spread = float(np.sum(weights.astype(np.float64) ** 2))  # std of the blurred noise / σₙ
    centre = float(weights[weights.size // 2]) ** 2 / spread  # its correlation with n
    alpha, beta = 1.0 - roughness / 2.0, roughness / 2.0
    std = float(np.sqrt(alpha**2 + beta**2 + 2.0 * alpha * beta * centre))
    return Grain(
        amount=amount,
        weights=weights,
        smooth=smooth_share * alpha / (_NOISE_STD * spread * std),
        rough=min(scale, 1.0) * beta / (_NOISE_STD * std),
        seed=grain_seed(photo_seed, settings, blend),
    )


def grain_seed(photo_seed: int, settings: Mapping[str, Any], blend: float) -> int:
    """A 32-bit seed from the photo's identity, the preset's settings and the blend."""
    recipe = json.dumps(
        {"photo": photo_seed, "settings": dict(settings), "blend": round(float(blend), 6)},
        sort_keys=True,
        default=str,
    )
    return int.from_bytes(hashlib.blake2b(recipe.encode(), digest_size=4).digest(), "little")
