"""Compiled helpers for the low-resolution grid of `detail`: shrinking, blurring, enlarging.

numpy and libvips take tens of milliseconds for these on a 24-MP photo (libvips' shrink of the
8-bit photo alone about 50 ms, its float Gaussian 30 ms at σ = 2.4); these loops take a few.

- `block_means`: the photo's 3 channels averaged over factor × factor blocks (the last row
  and column of blocks average what is there), as float32 in 0..1. Block i has its centre
  at image position factor·(i + ½) − ½, as `rows.upsample_row` expects.
- `gaussian`: a separable blur with the given taps, the borders repeated.
- `shrink`, `shrink_image`: block means of a plane or an image already on the grid.
- `enlarge`: a plane of block means back to the full size of the blocks it came from.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from junmai_gui.develop.pipeline.jit import compiled
from junmai_gui.develop.pipeline.rows import EXACT_FAST, upsample_row


@compiled(fastmath=EXACT_FAST)
def block_means(image: Any, factor: int, max_value: float) -> Any:
    """(ceil(H/f), ceil(W/f), 3) float32 means of an interleaved (H, 3W) image, over 0..1.

    The rows of a block are first summed into one row (a loop LLVM vectorises), then that
    row's pixels in groups of `factor`."""
    height, width = image.shape[0], image.shape[1] // 3
    rows, columns = (height + factor - 1) // factor, (width + factor - 1) // factor
    means = np.empty((rows, columns, 3), np.float32)
    total = np.empty(width * 3, np.int32)
    for j in range(rows):
        total[:] = 0
        first, last = j * factor, min(j * factor + factor, height)
        for y in range(first, last):
            line = image[y]
            for i in range(width * 3):
                total[i] += line[i]
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
def gaussian(plane: Any, taps: Any) -> Any:
    """`plane` (2-D float32) convolved with `taps` (2K + 1) along both axes, edges repeated."""
    height, width = plane.shape
    k = taps.shape[0] // 2
    padded = np.empty(width + 2 * k, np.float32)
    across = np.empty((height, width), np.float32)
    for y in range(height):
        padded[k : k + width] = plane[y]
        for i in range(k):
            padded[i] = plane[y, 0]
            padded[k + width + i] = plane[y, width - 1]
        out = across[y]
        for x in range(width):
            out[x] = taps[k] * padded[k + x]
        for i in range(1, k + 1):
            left, right = padded[k - i : k - i + width], padded[k + i : k + i + width]
            for x in range(width):
                out[x] += taps[k + i] * (left[x] + right[x])
    result = np.empty((height, width), np.float32)
    for y in range(height):
        out = result[y]
        centre = across[y]
        for x in range(width):
            out[x] = taps[k] * centre[x]
        for i in range(1, k + 1):
            above = across[max(y - i, 0)]
            below = across[min(y + i, height - 1)]
            for x in range(width):
                out[x] += taps[k + i] * (above[x] + below[x])
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
