"""Everything the compiled loop needs for the spatial steps, gathered into a few flat arrays.

`plan_spatial` asks `detail` (noise reduction, dehaze, clarity, texture, sharpening), `local`
(the vignette) and `grain` what the preset needs for this image and packs the answers into a
`SpatialPlan`: low-resolution planes by slot, numbers by index, filter taps and lookup
tables — the shapes `kernels.develop_rows` takes, so numba compiles one loop for all presets.
A step the preset does not use has slot −1, radius 0 or amount 0, and costs nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from junmai_gui.develop.pipeline import detail as detail_steps
from junmai_gui.develop.pipeline.detail import MAX_RADIUS
from junmai_gui.develop.pipeline.grain import grain_for
from junmai_gui.develop.pipeline.local import FALLOFF_SAMPLES, vignette_for
from junmai_gui.develop.pipeline.tone import number

F32 = npt.NDArray[np.float32]

# Plane slots (index into SpatialPlan.slots).
LOCAL, HAZE, EDGE, CHROMA_R, CHROMA_B = range(5)
PLANE_NAMES = ("local", "haze", "edge", "chroma_r", "chroma_b")
# Numbers (index into SpatialPlan.numbers).
(
    CLARITY, HAZE_R, HAZE_G, HAZE_B, HAZE_GAIN, SHARPEN_AMOUNT, SHARPEN_LIMIT,
    DENOISE_THRESHOLD, DENOISE_CONTRAST, CHROMA_AMOUNT, CHROMA_TOLERANCE,
    VIGNETTE_AMOUNT, VIGNETTE_STYLE, VIGNETTE_PROTECTION, VIGNETTE_SCALE,
    GRAIN_AMOUNT, GRAIN_SMOOTH, GRAIN_ROUGH, NUMBER_COUNT,
) = range(19)  # fmt: skip
# Filters (rows of SpatialPlan.filters; their half-widths in SpatialPlan.radii).
SHARPEN_FILTER, DENOISE_FILTER, GRAIN_FILTER = range(3)
# Lookup tables (rows of SpatialPlan.tables): the vignette's falloff t and factor f.
VIGNETTE_FALLOFF, VIGNETTE_FACTOR = range(2)
TABLE_SIZE = FALLOFF_SAMPLES


@dataclass(frozen=True)
class SpatialPlan:
    factor: int  # the planes' grid is this many times smaller than the image
    planes: F32  # (n, grid height, grid width)
    slots: npt.NDArray[np.int64]  # per slot, its plane's index or −1
    numbers: npt.NDArray[np.float64]
    filters: F32  # (3, 2·MAX_RADIUS + 1): taps, the first 2K + 1 used
    radii: npt.NDArray[np.int64]  # K per filter, 0 = off
    tables: F32  # (2, TABLE_SIZE)
    column_term: F32  # the vignette's |u|ᵖ per column (empty without vignette)
    row_term: F32
    seed: int


SPATIAL_KEYS = (
    "Clarity2012", "Texture", "Dehaze", "Sharpness", "LuminanceSmoothing",
    "ColorNoiseReduction", "PostCropVignetteAmount", "GrainAmount",
)  # fmt: skip


def has_spatial_steps(settings: Mapping[str, Any]) -> bool:
    """True when the preset carries a step that `plan_spatial` may have to prepare."""
    return any(number(settings, key) for key in SPATIAL_KEYS)


def plan_spatial(
    settings: Mapping[str, Any],
    pixels: npt.NDArray[Any],
    max_value: float,
    *,
    scale: float,
    photo_seed: int,
    blend: float,
) -> SpatialPlan | None:
    """The spatial steps of `settings` for `pixels` ((H, W, 3)), or None when there are none.

    `scale` is this image's long edge over the photo's full-size long edge (1 for the photo
    itself, less for a preview); `photo_seed` and `blend` (0..1) seed the grain.
    """
    height, width = pixels.shape[:2]
    detail = detail_steps.plan_detail(settings, pixels, max_value, scale=scale)
    vignette = vignette_for(settings, width, height)
    grain = grain_for(settings, width, height, photo_seed, blend, scale=scale)
    if detail is None and vignette is None and grain is None:
        return None
    empty = empty_plan()  # filled in place below
    numbers, filters, radii, tables = empty.numbers, empty.filters, empty.radii, empty.tables
    slots = empty.slots
    stacked: list[F32] = []
    factor = detail.factor if detail is not None else 1
    if detail is not None:
        for slot, name in enumerate(PLANE_NAMES):
            if name in detail.planes:
                slots[slot] = len(stacked)
                stacked.append(detail.planes[name])
        numbers[CLARITY] = detail.clarity
        numbers[[HAZE_R, HAZE_G, HAZE_B]] = detail.haze_airlight
        numbers[HAZE_GAIN] = detail.haze_gain
        numbers[SHARPEN_AMOUNT] = detail.sharpen_amount
        numbers[SHARPEN_LIMIT] = detail.sharpen_limit
        numbers[DENOISE_THRESHOLD] = detail.denoise_threshold
        numbers[DENOISE_CONTRAST] = detail.denoise_contrast
        numbers[CHROMA_AMOUNT] = detail.chroma_amount
        numbers[CHROMA_TOLERANCE] = detail.chroma_tolerance
        _set_filter(filters, radii, SHARPEN_FILTER, detail.sharpen_weights)
        _set_filter(filters, radii, DENOISE_FILTER, detail.denoise_weights)
    column_term, row_term = empty.column_term, empty.row_term
    if vignette is not None:
        numbers[VIGNETTE_AMOUNT] = vignette.amount
        numbers[VIGNETTE_STYLE] = vignette.style
        numbers[VIGNETTE_PROTECTION] = vignette.protection
        numbers[VIGNETTE_SCALE] = vignette.falloff_scale
        tables[VIGNETTE_FALLOFF] = vignette.falloff
        tables[VIGNETTE_FACTOR] = vignette.factor
        column_term, row_term = vignette.column_term, vignette.row_term
    seed = 0
    if grain is not None:
        numbers[GRAIN_AMOUNT] = grain.amount
        numbers[GRAIN_SMOOTH] = grain.smooth
        numbers[GRAIN_ROUGH] = grain.rough
        _set_filter(filters, radii, GRAIN_FILTER, grain.weights)
        seed = grain.seed
    planes = np.stack(stacked) if stacked else empty.planes
    return replace(
        empty,
        factor=factor,
        planes=np.ascontiguousarray(planes, dtype=np.float32),
        column_term=column_term,
        row_term=row_term,
        seed=seed,
    )


def empty_plan() -> SpatialPlan:
    """A plan without any spatial step (the loop then only develops and blends)."""
    return SpatialPlan(
        1, np.zeros((1, 1, 1), np.float32), np.full(len(PLANE_NAMES), -1, np.int64),
        np.zeros(NUMBER_COUNT, np.float64), np.zeros((3, 2 * MAX_RADIUS + 1), np.float32),
        np.zeros(3, np.int64), np.zeros((2, TABLE_SIZE), np.float32),
        np.zeros(0, np.float32), np.zeros(0, np.float32), 0,
    )  # fmt: skip


def _set_filter(filters: F32, radii: npt.NDArray[np.int64], row: int, taps: F32 | None) -> None:
    if taps is not None:
        filters[row, : taps.size] = taps
        radii[row] = taps.size // 2
