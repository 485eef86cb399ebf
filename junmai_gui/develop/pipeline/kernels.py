"""The per-pixel loops, compiled with numba and run without the GIL.

An 8-bit photo without spatial steps needs no loop of its own: `table.apply_table8` gathers
from the 256³ table with numpy. Everything else — 16-bit photos, Clarity, the vignette, and
small images for which building the table would cost more than it saves — goes through
`develop_pixels`: per pixel, clarity on the input's lightness, the pointwise develop (a
gather from the unblended 256³ table for 8-bit photos when it is built, trilinear
interpolation of the lattice otherwise), the vignette, then the blend out = x + b·(developed
− x), and rounding to the photo's own bit depth.

It works in place on a (height, width, 3) array; numba compiles it once per process (and
caches it on disk). This module is imported only when needed, because numba and LLVM cost
about 130 MB of memory.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba
import numpy as np
import numpy.typing as npt

F = TypeVar("F", bound=Callable[..., Any])


def _compiled(function: F) -> F:
    return cast(F, numba.njit(nogil=True, cache=True, fastmath=False)(function))


@_compiled
def _trilinear(
    lattice: Any, ir: int, fr: float, ig: int, fg: float, ib: int, fb: float, out: Any
) -> None:
    """Trilinear interpolation in cell (ir, ig, ib) at fractions (fr, fg, fb)."""
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
        out[c] = c0 + (c1 - c0) * fr


@_compiled
def _blur_row(blur: Any, y: int, scale: float, row: Any) -> None:
    """Row `y` of the full-size image, interpolated (vertically) from the small blur plane."""
    h = blur.shape[0]
    fy = min(max((y + 0.5) / scale - 0.5, 0.0), h - 1.0)
    y0 = min(int(fy), max(h - 2, 0))
    y1 = min(y0 + 1, h - 1)
    t = fy - y0
    for i in range(blur.shape[1]):
        row[i] = blur[y0, i] + (blur[y1, i] - blur[y0, i]) * t


@_compiled
def develop_pixels(
    image: Any,
    max_value: float,
    lattice: npt.NDArray[np.float32],
    cell: npt.NDArray[np.int32],
    fraction: npt.NDArray[np.float32],
    table8: npt.NDArray[np.uint8],
    blend: float,
    clarity: float,
    blur: npt.NDArray[np.float32],
    blur_scale: float,
    vignette: float,
    column_term: npt.NDArray[np.float32],
    row_term: npt.NDArray[np.float32],
    falloff: npt.NDArray[np.float32],
    falloff_scale: float,
) -> None:
    """Develop `image` (H, W, 3) of uint8 or uint16 in place; see the module docstring.

    `table8` is used when it is non-empty (8-bit photos), `lattice` otherwise: level v of
    channel c lies in lattice cell `cell[c, v]` at `fraction[c, v]`. `clarity` and
    `vignette` are amounts in −1..1 (0: skip); `blur` is the blurred lightness at 1/blur_scale
    of the size; the vignette falloff is `falloff[(column_term[x] + row_term[y])·scale]`.
    """
    height, width = image.shape[0], image.shape[1]
    use_table = table8.shape[0] > 0
    dev = np.empty(3, np.float32)
    last = falloff.shape[0] - 1
    inv = 1.0 / max_value
    blur_w = blur.shape[1]
    row = np.empty(blur_w, np.float32)
    x0s = np.empty(width, np.int64)
    fxs = np.empty(width, np.float32)
    for x in range(width):
        fx = min(max((x + 0.5) / blur_scale - 0.5, 0.0), blur_w - 1.0)
        x0s[x] = min(int(fx), max(blur_w - 2, 0))
        fxs[x] = fx - x0s[x]
    for y in range(height):
        if clarity != 0.0:
            _blur_row(blur, y, blur_scale, row)
        row_vignette = row_term[y] if vignette != 0.0 else 0.0
        for x in range(width):
            r0 = image[y, x, 0] * inv
            g0 = image[y, x, 1] * inv
            b0 = image[y, x, 2] * inv
            r, g, b = r0, g0, b0
            if clarity != 0.0:
                light = 0.2126 * r + 0.7152 * g + 0.0722 * b
                i0 = x0s[x]
                i1 = min(i0 + 1, blur_w - 1)
                base = row[i0] + (row[i1] - row[i0]) * fxs[x]
                lift = clarity * (light - base) * 4.0 * light * (1.0 - light)
                r = min(max(r + lift, 0.0), 1.0)
                g = min(max(g + lift, 0.0), 1.0)
                b = min(max(b + lift, 0.0), 1.0)
            if use_table:
                k = (
                    np.int64(r * 255.0 + 0.5)
                    | (np.int64(g * 255.0 + 0.5) << 8)
                    | (np.int64(b * 255.0 + 0.5) << 16)
                )
                dr = table8[k, 0] * (1.0 / 255.0)
                dg = table8[k, 1] * (1.0 / 255.0)
                db = table8[k, 2] * (1.0 / 255.0)
            else:
                lr = int(r * max_value + 0.5)
                lg = int(g * max_value + 0.5)
                lb = int(b * max_value + 0.5)
                _trilinear(
                    lattice,
                    cell[0, lr], fraction[0, lr],
                    cell[1, lg], fraction[1, lg],
                    cell[2, lb], fraction[2, lb],
                    dev,
                )  # fmt: skip
                dr, dg, db = dev[0], dev[1], dev[2]
            if vignette != 0.0:
                t = falloff[min(int((column_term[x] + row_vignette) * falloff_scale + 0.5), last)]
                if vignette < 0.0:
                    gain = 1.0 + vignette * t
                    dr, dg, db = dr * gain, dg * gain, db * gain
                else:
                    lift_v = vignette * t
                    dr, dg, db = (
                        dr + (1 - dr) * lift_v,
                        dg + (1 - dg) * lift_v,
                        db + (1 - db) * lift_v,
                    )
            vr = (r0 + blend * (dr - r0)) * max_value + 0.5
            vg = (g0 + blend * (dg - g0)) * max_value + 0.5
            vb = (b0 + blend * (db - b0)) * max_value + 0.5
            image[y, x, 0] = min(max(int(vr), 0), int(max_value))
            image[y, x, 1] = min(max(int(vg), 0), int(max_value))
            image[y, x, 2] = min(max(int(vb), 0), int(max_value))
