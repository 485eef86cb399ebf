"""The steps of `kernels.develop_rows` that work on one row of pixels without neighbours:
reading and writing the row, the pointwise develop D, the vignette and the grain.

Each is a short loop over a row (float32, 0..1) that LLVM can vectorise; see `kernels` for
the order and `local`, `grain` for the maths.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from junmai_gui.develop.pipeline import spatial as sp
from junmai_gui.develop.pipeline.jit import compiled
from junmai_gui.develop.pipeline.rows import EXACT_FAST

_R, _G, _B = np.float32(0.2126), np.float32(0.7152), np.float32(0.0722)
_KNEE, _KNEE_SCALE = np.float32(0.55), np.float32(1.0 / 0.45)  # highlights: smoothstep(0.55, 1)
_TWO, _THREE = np.float32(2.0), np.float32(3.0)
_ZERO, _ONE = np.float32(0.0), np.float32(1.0)


@compiled(fastmath=EXACT_FAST)
def trilinear(lattice: Any, levels: Any, cell: Any, fraction: Any, r: Any, g: Any, b: Any) -> None:
    """The lattice interpolated at each pixel's levels (3, W) into r, g, b."""
    for x in range(r.shape[0]):
        lr, lg, lb = levels[0, x], levels[1, x], levels[2, x]
        ir, ig, ib = cell[0, lr], cell[1, lg], cell[2, lb]
        fr, fg, fb = fraction[0, lr], fraction[1, lg], fraction[2, lb]
        for c in range(3):
            v000 = lattice[ir, ig, ib, c]
            v001 = lattice[ir, ig, ib + 1, c]
            v010 = lattice[ir, ig + 1, ib, c]
            v011 = lattice[ir, ig + 1, ib + 1, c]
            v100 = lattice[ir + 1, ig, ib, c]
            v101 = lattice[ir + 1, ig, ib + 1, c]
            v110 = lattice[ir + 1, ig + 1, ib, c]
            v111 = lattice[ir + 1, ig + 1, ib + 1, c]
            c00 = v000 + (v001 - v000) * fb
            c01 = v010 + (v011 - v010) * fb
            c10 = v100 + (v101 - v100) * fb
            c11 = v110 + (v111 - v110) * fb
            c0 = c00 + (c01 - c00) * fg
            c1 = c10 + (c11 - c10) * fg
            value = c0 + (c1 - c0) * fr
            if c == 0:
                r[x] = value
            elif c == 1:
                g[x] = value
            else:
                b[x] = value


@compiled(fastmath=EXACT_FAST)
def gather(table: Any, r: Any, g: Any, b: Any, lift: Any, lifted: bool, index: Any) -> None:
    """D from the 256³ table for r, g, b (+ lift, when `lifted`) in 0..1, replaced by the
    developed values."""
    scale, half = np.float32(255.0), np.float32(0.5)
    if lifted:
        for x in range(r.shape[0]):
            vr = np.int32(min(max(r[x] + lift[x], _ZERO), _ONE) * scale + half)
            vg = np.int32(min(max(g[x] + lift[x], _ZERO), _ONE) * scale + half)
            vb = np.int32(min(max(b[x] + lift[x], _ZERO), _ONE) * scale + half)
            index[x] = np.uint32(vr | (vg << 8) | (vb << 16))
    else:
        for x in range(r.shape[0]):
            vr = np.int32(min(max(r[x], _ZERO), _ONE) * scale + half)
            vg = np.int32(min(max(g[x], _ZERO), _ONE) * scale + half)
            vb = np.int32(min(max(b[x], _ZERO), _ONE) * scale + half)
            index[x] = np.uint32(vr | (vg << 8) | (vb << 16))
    inv = np.float32(1.0 / 255.0)
    for x in range(r.shape[0]):
        entry = table[index[x]]
        r[x] = np.float32(entry & np.uint32(255)) * inv
        g[x] = np.float32((entry >> np.uint32(8)) & np.uint32(255)) * inv
        b[x] = np.float32((entry >> np.uint32(16)) & np.uint32(255)) * inv


@compiled(fastmath=EXACT_FAST)
def vignette(numbers: Any, tables: Any, column_term: Any, row_value: float, index: Any,
             factor: Any, r: Any, g: Any, b: Any) -> None:  # fmt: skip
    """The post-crop vignette on developed r, g, b (see `local`); `index` and `factor` are
    scratch rows. Each pass is branch-free so that it vectorises."""
    amount = np.float32(numbers[sp.VIGNETTE_AMOUNT])
    style = int(numbers[sp.VIGNETTE_STYLE])
    scale = np.float32(numbers[sp.VIGNETTE_SCALE])
    last, half = np.float32(tables.shape[1] - 1), np.float32(0.5)
    row_term = np.float32(row_value)
    for x in range(r.shape[0]):
        index[x] = np.uint32(np.int32(min((column_term[x] + row_term) * scale + half, last)))
    lookup = tables[sp.VIGNETTE_FALLOFF if style == 3 else sp.VIGNETTE_FACTOR]
    for x in range(r.shape[0]):
        factor[x] = lookup[index[x]]
    if style == 3:
        darken, lighten = min(amount, _ZERO), max(amount, _ZERO)
        for x in range(r.shape[0]):
            t = factor[x]
            r[x] = r[x] * (_ONE + darken * t) + (_ONE - r[x]) * lighten * t
            g[x] = g[x] * (_ONE + darken * t) + (_ONE - g[x]) * lighten * t
            b[x] = b[x] * (_ONE + darken * t) + (_ONE - b[x]) * lighten * t
    elif amount > 0 or numbers[sp.VIGNETTE_PROTECTION] == 0.0:
        for x in range(r.shape[0]):
            r[x] *= factor[x]
            g[x] *= factor[x]
            b[x] *= factor[x]
    elif style == 1:  # each channel protected by its own value
        h = np.float32(numbers[sp.VIGNETTE_PROTECTION])
        for x in range(r.shape[0]):
            f = factor[x]
            tr = min(max((r[x] - _KNEE) * _KNEE_SCALE, _ZERO), _ONE)
            tg = min(max((g[x] - _KNEE) * _KNEE_SCALE, _ZERO), _ONE)
            tb = min(max((b[x] - _KNEE) * _KNEE_SCALE, _ZERO), _ONE)
            r[x] *= f + (_ONE - f) * h * tr * tr * (_THREE - _TWO * tr)
            g[x] *= f + (_ONE - f) * h * tg * tg * (_THREE - _TWO * tg)
            b[x] *= f + (_ONE - f) * h * tb * tb * (_THREE - _TWO * tb)
    else:
        h = np.float32(numbers[sp.VIGNETTE_PROTECTION])
        for x in range(r.shape[0]):
            y = _R * r[x] + _G * g[x] + _B * b[x]
            t = min(max((y - _KNEE) * _KNEE_SCALE, _ZERO), _ONE)
            f = factor[x] + (_ONE - factor[x]) * h * t * t * (_THREE - _TWO * t)
            r[x] *= f
            g[x] *= f
            b[x] *= f


@compiled(fastmath=EXACT_FAST)
def add_grain(amount: float, smooth: float, rough: float, blurred: Any, own: Any,
              r: Any, g: Any, b: Any, grain: Any) -> None:  # fmt: skip
    """The grain (`grain` a scratch row) added to developed r, g, b.

    Two passes on purpose: LLVM vectorises a loop only when it can check cheaply that its
    arrays do not overlap, and one loop reading five rows while writing three is too many."""
    a, s, q = np.float32(amount), np.float32(smooth), np.float32(rough)
    for x in range(r.shape[0]):
        y = min(max(_R * r[x] + _G * g[x] + _B * b[x], _ZERO), _ONE)
        weight = np.float32(0.3) + np.float32(2.8) * y * (_ONE - y)
        grain[x] = a * weight * (s * blurred[x] + q * own[x])
    for x in range(r.shape[0]):
        r[x] += grain[x]
        g[x] += grain[x]
        b[x] += grain[x]


@compiled(fastmath=EXACT_FAST)
def store_fast(row: Any, blend: float, r: Any, g: Any, b: Any) -> None:
    """The blend in float32, for 8-bit photos developed through the table."""
    m, scale, half = np.float32(blend), np.float32(255.0), np.float32(0.5)
    for x in range(r.shape[0]):
        o = np.float32(row[3 * x])
        row[3 * x] = np.int32(min(max(o + m * (r[x] * scale - o) + half, _ZERO), scale))
        o = np.float32(row[3 * x + 1])
        row[3 * x + 1] = np.int32(min(max(o + m * (g[x] * scale - o) + half, _ZERO), scale))
        o = np.float32(row[3 * x + 2])
        row[3 * x + 2] = np.int32(min(max(o + m * (b[x] * scale - o) + half, _ZERO), scale))


@compiled(fastmath=EXACT_FAST)
def store_exact(row: Any, max_value: float, blend: float, r: Any, g: Any, b: Any) -> None:
    """The blend in float64, exactly as `table.interpolate_pixels` computes it."""
    inv = 1.0 / max_value
    top = int(max_value)
    for x in range(r.shape[0]):
        for c in range(3):
            d = np.float64(r[x]) if c == 0 else np.float64(g[x]) if c == 1 else np.float64(b[x])
            o = row[3 * x + c] * inv
            row[3 * x + c] = min(max(int((o + blend * (d - o)) * max_value + 0.5), 0), top)


@compiled(fastmath=EXACT_FAST)
def load(row: Any, inv: float, r: Any, g: Any, b: Any) -> None:
    scale = np.float32(inv)
    for x in range(r.shape[0]):
        r[x] = row[3 * x] * scale
        g[x] = row[3 * x + 1] * scale
        b[x] = row[3 * x + 2] * scale


@compiled(fastmath=EXACT_FAST)
def input_levels(row: Any, r: Any, g: Any, b: Any, lift: Any, lifted: bool, max_value: float,
                 changed: bool, out: Any) -> None:  # fmt: skip
    """Each pixel's input level per channel (3, W): from the changed values r, g, b
    (+ lift, when `lifted`), or straight from the row when nothing changed them."""
    top, half = np.float32(max_value), np.float32(0.5)
    if not changed:
        for x in range(r.shape[0]):
            out[0, x] = row[3 * x]
            out[1, x] = row[3 * x + 1]
            out[2, x] = row[3 * x + 2]
        return
    for x in range(r.shape[0]):
        shift = lift[x] if lifted else _ZERO
        out[0, x] = np.int32(min(max(r[x] + shift, _ZERO), _ONE) * top + half)
        out[1, x] = np.int32(min(max(g[x] + shift, _ZERO), _ONE) * top + half)
        out[2, x] = np.int32(min(max(b[x] + shift, _ZERO), _ONE) * top + half)
