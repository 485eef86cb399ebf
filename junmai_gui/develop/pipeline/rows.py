"""Compiled helpers that work on one image row at a time, for `kernels.develop_rows`.

- `upsample_row`: row y of a low-resolution plane, interpolated bilinearly to full width.
  A plane on a grid `factor` times smaller puts grid pixel i at image position
  factor·(i + 0.5) − 0.5, so image pixel x reads the grid at (x + 0.5)/factor − 0.5 (clamped
  at the borders); the fractions repeat every `factor` pixels, so the horizontal pass needs
  no gather.
- `push_row` / `filter_rows`: a separable filter over rows that arrive one by one. Each row
  is filtered horizontally once, into a ring of 2K + 1 rows; the output for row y is the
  vertical sum of the ring rows y − K … y + K with the same weights. A photo developed in
  place is read K rows ahead of the row being written, so the filter always sees the
  original pixels, and memory stays at a few rows.
- `noise_row`: white noise for row y, uniform in [−1/2, 1/2), from an integer hash of
  (seed, x, y). Only integer arithmetic decides the values, so every machine computes the
  same noise, and no clock or global random state is involved.

Every loop indexes its arrays with the loop variable or with slices: numba checks each index
that might be negative at run time, and those checks stop LLVM from vectorising a loop.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from junmai_gui.develop.pipeline.jit import compiled

# fastmath without reassociation or contraction: IEEE results stay bit-identical on every
# CPU, while min/max clamps may still become vector instructions.
EXACT_FAST = frozenset({"nnan", "ninf", "nsz"})


@compiled(fastmath=EXACT_FAST)
def upsample_row(plane: Any, y: int, factor: int, grid_row: Any, out: Any) -> None:
    """Row `y` of the image-sized bilinear enlargement of `plane`, into `out` (width W)."""
    grid_h, grid_w = plane.shape[0], plane.shape[1]
    width = out.shape[0]
    fy = min(max((y + 0.5) / factor - 0.5, 0.0), grid_h - 1.0)
    y0 = min(int(fy), max(grid_h - 2, 0))
    y1 = min(y0 + 1, grid_h - 1)
    ty = np.float32(fy - y0)
    upper, lower = plane[y0], plane[y1]
    for i in range(grid_w):
        grid_row[i] = upper[i] + (lower[i] - upper[i]) * ty
    if factor == 1:
        for x in range(width):
            out[x] = grid_row[x]
        return
    start = factor // 2
    cells = max(min(grid_w - 1, (width - start) // factor), 0)
    following = grid_row[1:grid_w]
    inside = out[start : start + factor * cells].reshape(cells, factor)
    for j in range(factor):
        fraction = np.float32((start + j + 0.5) / factor - 0.5)
        column = inside[:, j]
        for i in range(cells):
            column[i] = grid_row[i] + (following[i] - grid_row[i]) * fraction
    for x in range(min(start, width)):
        out[x] = grid_row[0]
    for x in range(start + factor * cells, width):
        out[x] = grid_row[min(int((x + 0.5) / factor - 0.5), grid_w - 1)]


@compiled(fastmath=EXACT_FAST)
def pad_edges(padded: Any, k: int) -> None:
    """Repeat the first and last of the row's own values into its k-wide margins."""
    width = padded.shape[0] - 2 * k
    for i in range(k):
        padded[i] = padded[k]
        padded[k + width + i] = padded[k + width - 1]


@compiled(fastmath=EXACT_FAST)
def push_row(padded: Any, weights: Any, k: int, ring: Any, y: int) -> None:
    """Filter `padded` (width W + 2k, margins filled) horizontally into ring slot y."""
    size = ring.shape[0]
    out = ring[y % size]
    width = out.shape[0]
    centre = padded[k : k + width]
    w0 = weights[k]
    for x in range(width):
        out[x] = w0 * centre[x]
    for i in range(1, k + 1):
        wi = weights[k + i]
        left = padded[k - i : k - i + width]
        right = padded[k + i : k + i + width]
        for x in range(width):
            out[x] += wi * (left[x] + right[x])


@compiled(fastmath=EXACT_FAST)
def filter_rows(ring: Any, weights: Any, k: int, y: int, out: Any) -> None:
    """The filtered row y: the ring's rows y − k … y + k weighted vertically."""
    size = ring.shape[0]
    centre = ring[y % size]
    w0 = weights[k]
    for x in range(out.shape[0]):
        out[x] = w0 * centre[x]
    for i in range(1, k + 1):
        wi = weights[k + i]
        above = ring[(y - i + size) % size]
        below = ring[(y + i) % size]
        for x in range(out.shape[0]):
            out[x] += wi * (above[x] + below[x])


@compiled(fastmath=EXACT_FAST)
def noise_row(seed: int, y: int, x0: int, out: Any) -> None:
    """Uniform white noise in [−1/2, 1/2) at row y, columns x0, x0 + 1, … (any integers)."""
    mask = np.uint64(0xFFFFFFFF)
    row_key = (np.uint64(seed) ^ (np.uint64(y & 0xFFFFFFFF) * np.uint64(0x9E3779B1))) & mask
    first = np.uint64(x0 & 0xFFFFFFFF)
    for x in range(out.shape[0]):
        h = (row_key ^ (((first + np.uint64(x)) & mask) * np.uint64(0x85EBCA77))) & mask
        h ^= h >> np.uint64(16)
        h = (h * np.uint64(0x7FEB352D)) & mask
        h ^= h >> np.uint64(15)
        h = (h * np.uint64(0x846CA68B)) & mask
        h ^= h >> np.uint64(16)
        out[x] = np.float32(np.int64(h >> np.uint64(8)) - 8388608) * np.float32(1.0 / 16777216.0)
