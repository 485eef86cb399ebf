"""The per-pixel loops, compiled with numba and run without the GIL.

An 8-bit photo without spatial steps needs no loop of its own: `table.apply_table8` gathers
from the 256³ table with numpy. Everything else — 16-bit photos, Clarity, the vignette, and
small images for which building the table would cost more than it saves — goes through
`develop_pixels`: per pixel, clarity on the input's lightness, the pointwise develop (a
gather from the unblended 256³ table for 8-bit photos when it is built — a loop of its own,
compiled with fastmath — trilinear interpolation of the lattice otherwise), the vignette,
then the blend out = x + b·(developed − x), and rounding to the photo's own bit depth.

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


def _compiled(function: F, *, fastmath: bool = False) -> F:
    """Compile lazily, caching the machine code on disk when some folder is writable.

    numba tries the package's __pycache__, then the user's cache folder (or
    NUMBA_CACHE_DIR); in a read-only install with neither it refuses `cache=True` outright,
    so then each process compiles afresh instead of failing to import.
    """
    try:
        return cast(F, numba.njit(nogil=True, cache=True, fastmath=fastmath)(function))
    except RuntimeError:  # "cannot cache function …: no locator available"
        return cast(F, numba.njit(nogil=True, cache=False, fastmath=fastmath)(function))


def _compiled_fastmath(function: F) -> F:
    return _compiled(function, fastmath=True)


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


# A loop of its own, not a flag on develop_pixels: numba's fastmath is per compiled
# function, and develop_pixels must stay exact (its parameter list is the same on purpose).
@_compiled_fastmath
def _develop_pixels_table8(
    image: Any,
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
    """`develop_pixels` for 8-bit photos with the table built: the same arithmetic, each
    pixel carried through every step at once, compiled with fastmath (every value here is
    finite) so LLVM may reorder and vectorise the clamps. A 24-MP photo with Clarity and a
    vignette takes about 0.3 instead of 0.5 CPU s; against the exact loop, 0.02 % of the
    values on the benchmark photo differ, by 1 level. The 16-bit loop stays exact: it must
    match the numpy interpolation of previews."""
    height, width = image.shape[0], image.shape[1]
    inv = 1.0 / 255.0
    last = falloff.shape[0] - 1
    blur_w = blur.shape[1]
    blur_row = np.empty(blur_w, np.float32)
    x0s = np.empty(width, np.int64)
    fxs = np.empty(width, np.float32)
    for x in range(width):
        fx = min(max((x + 0.5) / blur_scale - 0.5, 0.0), blur_w - 1.0)
        x0s[x] = min(int(fx), max(blur_w - 2, 0))
        fxs[x] = fx - x0s[x]
    darken, lighten = min(vignette, 0.0), max(vignette, 0.0)  # one of them is 0
    for y in range(height):
        if clarity != 0.0:
            _blur_row(blur, y, blur_scale, blur_row)
        row_vignette = row_term[y]
        for x in range(width):
            r, g, b = image[y, x, 0] * inv, image[y, x, 1] * inv, image[y, x, 2] * inv
            if clarity != 0.0:
                light = 0.2126 * r + 0.7152 * g + 0.0722 * b
                i0 = x0s[x]
                i1 = min(i0 + 1, blur_w - 1)
                base = blur_row[i0] + (blur_row[i1] - blur_row[i0]) * fxs[x]
                lift = clarity * (light - base) * 4.0 * light * (1.0 - light)
                sr = np.int64(min(max(r + lift, 0.0), 1.0) * 255.0 + 0.5)
                sg = np.int64(min(max(g + lift, 0.0), 1.0) * 255.0 + 0.5)
                sb = np.int64(min(max(b + lift, 0.0), 1.0) * 255.0 + 0.5)
                k = sr | (sg << 8) | (sb << 16)
            else:
                sr, sg = np.int64(image[y, x, 0]), np.int64(image[y, x, 1])
                k = sr | (sg << 8) | (np.int64(image[y, x, 2]) << 16)
            t = 0.0
            if vignette != 0.0:
                t = falloff[min(int((column_term[x] + row_vignette) * falloff_scale + 0.5), last)]
            for c in range(3):
                o = image[y, x, c] * inv
                d = table8[k, c] * (1.0 / 255.0)
                if vignette != 0.0:
                    d = d * (1.0 + darken * t) + (1.0 - d) * lighten * t
                v = (o + blend * (d - o)) * 255.0 + 0.5
                image[y, x, c] = min(max(int(v), 0), 255)


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
    if use_table:
        _develop_pixels_table8(
            image, table8, blend, clarity, blur, blur_scale,
            vignette, column_term, row_term, falloff, falloff_scale,
        )  # fmt: skip
        return
    top = int(max_value)
    inv = 1.0 / max_value
    last = falloff.shape[0] - 1
    blur_w = blur.shape[1]
    blur_row = np.empty(blur_w, np.float32)
    x0s = np.empty(width, np.int64)
    fxs = np.empty(width, np.float32)
    for x in range(width):
        fx = min(max((x + 0.5) / blur_scale - 0.5, 0.0), blur_w - 1.0)
        x0s[x] = min(int(fx), max(blur_w - 2, 0))
        fxs[x] = fx - x0s[x]
    original = np.empty((width, 3), np.float64)
    shifted = np.empty((width, 3), np.int64)  # the level each pixel is developed from
    developed = np.empty((width, 3), np.float64)
    corner = np.empty(3, np.float32)
    # One row at a time, one step at a time: each inner loop is short and branch-free.
    for y in range(height):
        for x in range(width):
            for c in range(3):
                original[x, c] = image[y, x, c] * inv
                shifted[x, c] = image[y, x, c]
        if clarity != 0.0:
            _blur_row(blur, y, blur_scale, blur_row)
            for x in range(width):
                r, g, b = original[x, 0], original[x, 1], original[x, 2]
                light = 0.2126 * r + 0.7152 * g + 0.0722 * b
                i0 = x0s[x]
                i1 = min(i0 + 1, blur_w - 1)
                base = blur_row[i0] + (blur_row[i1] - blur_row[i0]) * fxs[x]
                lift = clarity * (light - base) * 4.0 * light * (1.0 - light)
                for c in range(3):
                    v = min(max(original[x, c] + lift, 0.0), 1.0)
                    shifted[x, c] = int(v * max_value + 0.5)
        for x in range(width):
            lr, lg, lb = shifted[x, 0], shifted[x, 1], shifted[x, 2]
            _trilinear(
                lattice,
                cell[0, lr], fraction[0, lr],
                cell[1, lg], fraction[1, lg],
                cell[2, lb], fraction[2, lb],
                corner,
            )  # fmt: skip
            for c in range(3):
                developed[x, c] = corner[c]
        if vignette != 0.0:
            row_vignette = row_term[y]
            darken, lighten = min(vignette, 0.0), max(vignette, 0.0)  # one of them is 0
            for x in range(width):
                t = falloff[min(int((column_term[x] + row_vignette) * falloff_scale + 0.5), last)]
                for c in range(3):
                    d = developed[x, c]
                    developed[x, c] = d * (1.0 + darken * t) + (1.0 - d) * lighten * t
        for x in range(width):
            for c in range(3):
                o = original[x, c]
                v = (o + blend * (developed[x, c] - o)) * max_value + 0.5
                image[y, x, c] = min(max(int(v), 0), top)
