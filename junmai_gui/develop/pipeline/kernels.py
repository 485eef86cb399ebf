"""The per-pixel loop, compiled with numba and run without the GIL: `develop_rows`.

An 8-bit photo without spatial steps needs no loop of its own: `table.apply_table8` gathers
from the 256³ table with numpy. Everything else — spatial steps, 16-bit photos, and small
images for which building the table would cost more than it saves — comes here.

The photo is developed in place, one row at a time, each step a short loop over the row
(float32 values, 0..1) that LLVM can vectorise:

1. read the row;
2. the steps before the pointwise develop, prepared by `detail`: luminance and colour noise
   reduction, dehaze, clarity and texture, sharpening. Their low-resolution planes are
   enlarged row by row (`rows.upsample_row`); sharpening and noise reduction filter the
   input's lightness in rings of rows fed K rows ahead (`rows.push_row`), so they always
   see original pixels although the photo is overwritten row by row;
3. the pointwise develop D (`row_steps.gather` from the unblended 256³ table for 8-bit
   photos when it is built, `row_steps.trilinear` on the lattice otherwise);
4. the vignette, then the grain (a ring of noise rows, blurred like the lightness);
5. the blend out = x + b·(developed − x), rounded once to the photo's bit depth.

Only flags that keep IEEE results exact are used (`jit.compiled`), so the bytes do not
depend on the CPU. The lattice path computes its blend in float64 exactly as
`table.interpolate_pixels` does, so a photo without spatial steps matches the numpy path bit
for bit. This module is imported only when needed (numba costs memory).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from junmai_gui.develop.pipeline import row_steps as step
from junmai_gui.develop.pipeline import spatial as sp
from junmai_gui.develop.pipeline.jit import compiled
from junmai_gui.develop.pipeline.rows import (
    EXACT_FAST,
    filter_rows,
    noise_row,
    pad_edges,
    push_row,
    upsample_row,
)

_R, _G, _B = np.float32(0.2126), np.float32(0.7152), np.float32(0.0722)
_ZERO, _ONE = np.float32(0.0), np.float32(1.0)


@compiled(fastmath=EXACT_FAST)
def _lightness_row(row: Any, inv: float, padded: Any, k: int) -> None:
    """Rec.709 lightness of an input row into `padded` (margins k, edges repeated)."""
    width = padded.shape[0] - 2 * k
    out = padded[k : k + width]
    scale = np.float32(inv)
    for x in range(width):
        out[x] = (_R * row[3 * x] + _G * row[3 * x + 1] + _B * row[3 * x + 2]) * scale
    pad_edges(padded, k)


@compiled(fastmath=EXACT_FAST)
def _denoise(numbers: Any, mean: Any, mean_square: Any, own: Any, keep: Any,
             r: Any, g: Any, b: Any) -> None:  # fmt: skip
    """Luminance noise reduction (`detail`, step 1); `keep` receives k' per pixel."""
    threshold = np.float32(numbers[sp.DENOISE_THRESHOLD])
    contrast = np.float32(numbers[sp.DENOISE_CONTRAST])
    tiny = np.float32(1e-12)
    for x in range(r.shape[0]):
        variance = max(mean_square[x] - mean[x] * mean[x], _ZERO)
        k = max(variance - threshold, _ZERO) / max(variance, tiny)
        k = k + contrast * (_ONE - k)
        keep[x] = k
        shift = (mean[x] - own[x]) * (_ONE - k)
        r[x] += shift
        g[x] += shift
        b[x] += shift


@compiled(fastmath=EXACT_FAST)
def _denoise_chroma(numbers: Any, blurred_r: Any, blurred_b: Any, r: Any, g: Any, b: Any) -> None:
    """Colour noise reduction (`detail`, step 2): chroma towards its blurred value."""
    amount = np.float32(numbers[sp.CHROMA_AMOUNT])
    tolerance = np.float32(numbers[sp.CHROMA_TOLERANCE])
    inv_g = np.float32(1.0) / _G
    for x in range(r.shape[0]):
        y = _R * r[x] + _G * g[x] + _B * b[x]
        cr, cb = r[x] - y, b[x] - y
        dr, db = blurred_r[x] - cr, blurred_b[x] - cb
        w = amount * tolerance / (tolerance + dr * dr + db * db)
        r[x] = y + cr + w * dr
        b[x] = y + cb + w * db
        g[x] = (y - _R * r[x] - _B * b[x]) * inv_g


@compiled(fastmath=EXACT_FAST)
def _dehaze(numbers: Any, multiplier: Any, r: Any, g: Any, b: Any) -> None:
    """J = k·A + m·(I − A) per channel (`detail`, step 3)."""
    gain = np.float32(numbers[sp.HAZE_GAIN])
    ar, ag = np.float32(numbers[sp.HAZE_R]), np.float32(numbers[sp.HAZE_G])
    ab = np.float32(numbers[sp.HAZE_B])
    kr, kg, kb = gain * ar, gain * ag, gain * ab
    for x in range(r.shape[0]):
        m = multiplier[x]
        r[x] = kr + m * (r[x] - ar)
        g[x] = kg + m * (g[x] - ag)
        b[x] = kb + m * (b[x] - ab)


@compiled(fastmath=EXACT_FAST)
def _local_contrast(clarity: float, plane: Any, r: Any, g: Any, b: Any, lift: Any) -> None:
    """Clarity and texture (`detail`, step 4) as `lift`: 4L(1 − L)·(k·L + Q)."""
    k, four = np.float32(clarity), np.float32(4.0)
    for x in range(r.shape[0]):
        y = min(max(_R * r[x] + _G * g[x] + _B * b[x], _ZERO), _ONE)
        lift[x] = four * y * (_ONE - y) * (k * y + plane[x])


@compiled(fastmath=EXACT_FAST)
def develop_rows(
    image: Any,
    max_value: float,
    lattice: Any,
    cell: Any,
    fraction: Any,
    table: Any,
    blend: float,
    planes: Any,
    slots: Any,
    factor: int,
    numbers: Any,
    filters: Any,
    radii: Any,
    tables: Any,
    column_term: Any,
    row_term: Any,
    seed: int,
) -> None:
    """Develop `image` — (height, 3·width) uint8 or uint16, interleaved RGB — in place.

    `table` (uint32 entries r | g << 8 | b << 16) is used when non-empty, the lattice
    otherwise: level v of channel c lies in lattice cell `cell[c, v]` at `fraction[c, v]`.
    The spatial steps come as a `spatial.SpatialPlan`'s arrays; `blend` is 0..1.
    """
    height, width = image.shape[0], image.shape[1] // 3
    inv = 1.0 / max_value
    r, g, b = np.empty(width, np.float32), np.empty(width, np.float32), np.empty(width, np.float32)
    lift, keep = np.empty(width, np.float32), np.empty(width, np.float32)
    index = np.empty(width, np.uint32)
    levels = np.empty((3, width), np.uint32)
    plane_rows = np.empty((slots.shape[0], width), np.float32)
    grid_row = np.empty(planes.shape[2], np.float32)
    use_table = table.shape[0] > 0
    sharpen_k, denoise_k, grain_k = (
        radii[sp.SHARPEN_FILTER],
        radii[sp.DENOISE_FILTER],
        radii[sp.GRAIN_FILTER],
    )
    has_vignette = numbers[sp.VIGNETTE_AMOUNT] != 0.0
    changed = bool(slots[sp.LOCAL] >= 0 or slots[sp.HAZE] >= 0 or slots[sp.CHROMA_R] >= 0)
    changed = changed or sharpen_k > 0 or denoise_k > 0
    # Rings of the input's lightness (k = the larger filter's half-width) and of grain noise.
    k = max(sharpen_k, denoise_k)
    size, grain_size = 2 * k + 1, 2 * grain_k + 1
    lightness = np.zeros((size, width + 2 * k), np.float32)  # rows with k-wide margins
    squares = np.empty(width + 2 * k, np.float32)
    sharp_ring = np.zeros((size if sharpen_k else 1, width), np.float32)
    mean_ring = np.zeros((size if denoise_k else 1, width), np.float32)
    square_ring = np.zeros((size if denoise_k else 1, width), np.float32)
    noise = np.zeros((grain_size, width + 2 * grain_k), np.float32)  # with margins
    noise_ring = np.zeros((grain_size, width), np.float32)
    mean_row, square_row = np.empty(width, np.float32), np.empty(width, np.float32)
    sharp_row, grain_row = np.empty(width, np.float32), np.empty(width, np.float32)
    lifted = slots[sp.LOCAL] >= 0 or sharpen_k > 0
    for ahead in range(-k, k):
        _feed(image, ahead, k, inv, filters, sharpen_k, denoise_k, squares,
              lightness, sharp_ring, mean_ring, square_ring)  # fmt: skip
    for ahead in range(-grain_k, grain_k):
        _feed_noise(seed, ahead, grain_k, filters, noise, noise_ring)
    for y in range(height):
        row = image[y]
        if k:
            _feed(image, y + k, k, inv, filters, sharpen_k, denoise_k, squares,
                  lightness, sharp_ring, mean_ring, square_ring)  # fmt: skip
            if denoise_k:
                filter_rows(mean_ring, filters[sp.DENOISE_FILTER], denoise_k, y, mean_row)
                filter_rows(square_ring, filters[sp.DENOISE_FILTER], denoise_k, y, square_row)
            if sharpen_k:
                filter_rows(sharp_ring, filters[sp.SHARPEN_FILTER], sharpen_k, y, sharp_row)
        if grain_k:
            _feed_noise(seed, y + grain_k, grain_k, filters, noise, noise_ring)
            filter_rows(noise_ring, filters[sp.GRAIN_FILTER], grain_k, y, grain_row)
        for slot in range(slots.shape[0]):
            if slots[slot] >= 0:
                upsample_row(planes[slots[slot]], y, factor, grid_row, plane_rows[slot])
        own = lightness[y % size][k : k + width]
        noise_own = noise[y % grain_size][grain_k : grain_k + width]
        step.load(row, inv, r, g, b)
        if denoise_k:
            _denoise(numbers, mean_row, square_row, own, keep, r, g, b)
        if slots[sp.CHROMA_R] >= 0:
            _denoise_chroma(numbers, plane_rows[sp.CHROMA_R], plane_rows[sp.CHROMA_B], r, g, b)
        if slots[sp.HAZE] >= 0:
            _dehaze(numbers, plane_rows[sp.HAZE], r, g, b)
        if lifted:
            if slots[sp.LOCAL] >= 0:
                _local_contrast(numbers[sp.CLARITY], plane_rows[sp.LOCAL], r, g, b, lift)
            else:
                lift[:] = 0.0
            if sharpen_k:
                _sharpen(numbers, own, sharp_row, lift, plane_rows, slots, keep, denoise_k)
        if use_table:
            step.gather(table, r, g, b, lift, lifted, index)
        else:
            step.input_levels(row, r, g, b, lift, lifted, max_value, changed, levels)
            step.trilinear(lattice, levels, cell, fraction, r, g, b)
        if has_vignette:
            step.vignette(numbers, tables, column_term, row_term[y], index, lift, r, g, b)
        if grain_k:
            step.add_grain(numbers[sp.GRAIN_AMOUNT], numbers[sp.GRAIN_SMOOTH],
                           numbers[sp.GRAIN_ROUGH], grain_row, noise_own, r, g, b,
                           lift)  # fmt: skip
        if use_table:
            step.store_fast(row, blend, r, g, b)
        else:
            step.store_exact(row, max_value, blend, r, g, b)


@compiled(fastmath=EXACT_FAST)
def _sharpen(numbers: Any, own: Any, blurred: Any, lift: Any, plane_rows: Any,
                  slots: Any, keep: Any, denoise_k: int) -> None:  # fmt: skip
    """Sharpening's share of `lift`, masked by the edge plane and by noise reduction."""
    amount = np.float32(numbers[sp.SHARPEN_AMOUNT])
    limit = np.float32(numbers[sp.SHARPEN_LIMIT])
    if slots[sp.EDGE] < 0 and not denoise_k:
        for x in range(lift.shape[0]):
            high = own[x] - blurred[x]
            lift[x] += amount * high * limit / (abs(high) + limit)
        return
    edge = plane_rows[sp.EDGE] if slots[sp.EDGE] >= 0 else keep
    noise = keep if denoise_k else edge
    for x in range(lift.shape[0]):
        high = own[x] - blurred[x]
        mask = (edge[x] if slots[sp.EDGE] >= 0 else _ONE) * (noise[x] if denoise_k else _ONE)
        lift[x] += amount * high * limit / (abs(high) + limit) * mask


@compiled(fastmath=EXACT_FAST)
def _feed(image: Any, ahead: int, k: int, inv: float, filters: Any, sharpen_k: int,
          denoise_k: int, squares: Any, lightness: Any, sharp_ring: Any, mean_ring: Any,
          square_ring: Any) -> None:  # fmt: skip
    """Row `ahead` (clamped to the photo) into the lightness rings."""
    source = min(max(ahead, 0), image.shape[0] - 1)
    padded = lightness[ahead % lightness.shape[0]]
    _lightness_row(image[source], inv, padded, k)
    width = padded.shape[0] - 2 * k
    if sharpen_k:
        part = padded[k - sharpen_k : k + width + sharpen_k]
        push_row(part, filters[sp.SHARPEN_FILTER], sharpen_k, sharp_ring, ahead)
    if denoise_k:
        part = padded[k - denoise_k : k + width + denoise_k]
        push_row(part, filters[sp.DENOISE_FILTER], denoise_k, mean_ring, ahead)
        for x in range(padded.shape[0]):
            squares[x] = padded[x] * padded[x]
        part = squares[k - denoise_k : k + width + denoise_k]
        push_row(part, filters[sp.DENOISE_FILTER], denoise_k, square_ring, ahead)


@compiled(fastmath=EXACT_FAST)
def _feed_noise(seed: int, ahead: int, k: int, filters: Any, noise: Any, ring: Any) -> None:
    """Noise row `ahead` into the noise rows (kept, with margins, for roughness) and, blurred
    horizontally, into the ring."""
    padded = noise[ahead % noise.shape[0]]
    noise_row(seed, ahead, -k, padded)
    push_row(padded, filters[sp.GRAIN_FILTER], k, ring, ahead)
