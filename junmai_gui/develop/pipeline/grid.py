"""Compiled helpers for the low-resolution grid of `detail`: shrinking, blurring, enlarging.

numpy and libvips take tens of milliseconds for these on a 24-MP photo (libvips' shrink of the
8-bit photo alone about 50 ms, its float Gaussian 30 ms at σ = 2.4); these loops take a few.

- `block_means`, `block_lightness`: the photo's 3 channels, or its Rec.709 lightness (with
  the colours of coarser blocks), averaged over factor × factor blocks (the last row and
  column of blocks average what is there), as float32 in 0..1. Block i has its centre at
  image position factor·(i + ½) − ½, as `rows.upsample_row` expects.
- `gaussian`: a separable blur with the given taps, the borders repeated.
- `shrink`, `shrink_image`: block means of a plane or an image already on the grid.
- `enlarge`, `add_enlarged`: a plane of block means back to the full size of the blocks it
  came from (or added, weighted, to a plane of that size).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from junmai_gui.develop.pipeline.jit import compiled
from junmai_gui.develop.pipeline.rows import (
    EXACT_FAST,
    filter_rows,
    pad_edges,
    push_row,
    upsample_row,
)

_R, _G, _B = np.float32(0.2126), np.float32(0.7152), np.float32(0.0722)


@compiled(fastmath=EXACT_FAST)
def _sum_block_rows(image: Any, first: int, last: int, total: Any) -> None:
    """The rows first..last − 1 of an interleaved image added up into `total` (a loop that
    LLVM vectorises)."""
    total[:] = 0
    for y in range(first, last):
        line = image[y]
        for i in range(total.shape[0]):
            total[i] += line[i]


@compiled(fastmath=EXACT_FAST)
def block_means(image: Any, factor: int, max_value: float) -> Any:
    """(ceil(H/f), ceil(W/f), 3) float32 means of an interleaved (H, 3W) image, over 0..1."""
    height, width = image.shape[0], image.shape[1] // 3
    rows, columns = (height + factor - 1) // factor, (width + factor - 1) // factor
    means = np.empty((rows, columns, 3), np.float32)
    total = np.empty(width * 3, np.int32)
    for j in range(rows):
        first, last = j * factor, min(j * factor + factor, height)
        _sum_block_rows(image, first, last, total)
        out = means[j]
        for i in range(columns):
            start, stop = i * factor, min(i * factor + factor, width)
            scale = np.float32(1.0 / ((last - first) * (stop - start) * max_value))
            for c in range(3):
                acc = 0
                for x in range(start, stop):
                    acc += total[3 * x + c]
                out[i, c] = np.float32(acc) * scale
    return means


@compiled(fastmath=EXACT_FAST)
def block_lightness(image: Any, factor: int, max_value: float, coarse_step: int, total: Any) -> Any:
    """(ceil(H/f), ceil(W/f)) float32 Rec.709 lightness of the blocks, and the three channels'
    means over coarse_step × coarse_step of those blocks (remainders dropped, as `shrink`):
    one pass over the photo for both, without keeping a full grid of colours. `total` is a
    row of 3W sums (uint16 suffices for 8-bit photos and is twice as fast as wider sums)."""
    height, width = image.shape[0], image.shape[1] // 3
    rows, columns = (height + factor - 1) // factor, (width + factor - 1) // factor
    lightness = np.empty((rows, columns), np.float32)
    coarse = np.zeros((rows // coarse_step, columns // coarse_step, 3), np.float32)
    for j in range(rows):
        first, last = j * factor, min(j * factor + factor, height)
        _sum_block_rows(image, first, last, total)
        out = lightness[j]
        coarse_row = coarse[min(j // coarse_step, max(coarse.shape[0] - 1, 0))]
        keep = j // coarse_step < coarse.shape[0]
        for i in range(columns):
            start, stop = i * factor, min(i * factor + factor, width)
            r = g = b = 0
            for x in range(start, stop):
                r += total[3 * x]
                g += total[3 * x + 1]
                b += total[3 * x + 2]
            scale = np.float32(1.0 / ((last - first) * (stop - start) * max_value))
            mr, mg, mb = np.float32(r) * scale, np.float32(g) * scale, np.float32(b) * scale
            out[i] = _R * mr + _G * mg + _B * mb
            if keep and i // coarse_step < coarse.shape[1]:
                cell = coarse_row[i // coarse_step]
                cell[0] += mr
                cell[1] += mg
                cell[2] += mb
    coarse *= np.float32(1.0 / (coarse_step * coarse_step))
    return lightness, coarse


@compiled(fastmath=EXACT_FAST)
def gaussian(plane: Any, taps: Any) -> Any:
    """`plane` (2-D float32) convolved with `taps` (2K + 1) along both axes, edges repeated;
    through a ring of rows, so the only full-size array made is the result."""
    height, width = plane.shape
    k = taps.shape[0] // 2
    padded = np.empty(width + 2 * k, np.float32)
    ring = np.empty((2 * k + 1, width), np.float32)
    result = np.empty((height, width), np.float32)
    for ahead in range(-k, height + k):
        padded[k : k + width] = plane[min(max(ahead, 0), height - 1)]
        pad_edges(padded, k)
        push_row(padded, taps, k, ring, ahead)
        y = ahead - k
        if y >= 0:
            filter_rows(ring, taps, k, y, result[y])
    return result


@compiled(fastmath=EXACT_FAST)
def enlarge(plane: Any, factor: int, height: int, width: int) -> Any:
    """The plane of `factor`-sized block means back at height × width, bilinearly."""
    out = np.empty((height, width), np.float32)
    grid_row = np.empty(plane.shape[1], np.float32)
    for y in range(height):
        upsample_row(plane, y, factor, grid_row, out[y])
    return out


@compiled(fastmath=EXACT_FAST)
def add_enlarged(plane: Any, factor: int, weight: float, out: Any) -> None:
    """out += weight × `plane` enlarged to out's size, row by row (no full-size temporary)."""
    grid_row = np.empty(plane.shape[1], np.float32)
    line = np.empty(out.shape[1], np.float32)
    w = np.float32(weight)
    for y in range(out.shape[0]):
        upsample_row(plane, y, factor, grid_row, line)
        target = out[y]
        for x in range(line.shape[0]):
            target[x] += w * line[x]


@compiled(fastmath=EXACT_FAST)
def shrink_image(image: Any, step: int) -> Any:
    """Means of a (H, W, C) image over step × step blocks (remainder rows/columns dropped)."""
    channels = image.shape[2]
    rows, columns = image.shape[0] // step, image.shape[1] // step
    out = np.zeros((rows, columns, channels), np.float32)
    for y in range(rows * step):
        line, target = image[y], out[y // step]
        for i in range(columns):
            for x in range(i * step, i * step + step):
                for c in range(channels):
                    target[i, c] += line[x, c]
    scale = np.float32(1.0 / (step * step))
    for j in range(rows):
        for i in range(columns):
            for c in range(channels):
                out[j, i, c] *= scale
    return out


@compiled(fastmath=EXACT_FAST)
def shrink(plane: Any, step: int) -> Any:
    """Means of a 2-D plane over step × step blocks (remainder rows/columns dropped)."""
    height, width = plane.shape
    out = shrink_image(plane.reshape(height, width, 1), step)
    return out.reshape(out.shape[0], out.shape[1])
