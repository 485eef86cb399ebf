"""The pointwise develop, baked into tables once per preset and blend.

Every per-pixel colour step (camera calibration, white balance, exposure, tone, curves, HSL,
vibrance, saturation or the B&W mix, colour grading, the LUT) depends on the pixel's colour
alone, so their composition is one function D: [0,1]³ → [0,1]³. `develop_points` evaluates
D with numpy;
`lattice_for` samples it on a lattice (65 values per channel, plus the inputs that land on
the preset's LUT nodes, see `lut.lattice_axes`);
`table8_for` expands the lattice, by trilinear interpolation, to a table of all 256³ 8-bit
colours with the blend x + b·(D(x) − x) folded in, so an 8-bit photo costs one gather per
pixel (`apply_table8`). Both are cached (a 256³ table is 64 MB, so only a few are kept).
Building a table takes about a second; where several develop processes work at once,
`share_tables_in(folder)` makes each table a memory-mapped file there, built by the first
process that needs it and read by the others (`shared_tables`).

The table is indexed by r + 256·g + 65536·b: read as a little-endian 32-bit word, a pixel's
three bytes (and the next pixel's first, masked off) are that index, so the gather needs no
arithmetic per channel. Its entries are computed with the same float32 operations, in the
same order, as `kernels.develop_pixels`, so both paths give identical pixels.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from junmai_gui.develop.pipeline import calibration, color, shared_tables, tone
from junmai_gui.develop.pipeline.lut import apply_lut, lattice_axes
from junmai_gui.develop.preset import Lut3D, Preset

Table8 = npt.NDArray[np.uint8]

_GATHER_CHUNK = 1 << 18  # pixels per gather step: a few MB of indices
_LATTICES_KEPT = 8
_TABLES_KEPT = 2


def develop_points(
    rgb: tone.FloatArray, settings: Mapping[str, Any], lut: Lut3D | None, *, is_raw: bool
) -> tone.FloatArray:
    """D for encoded RGB points of shape (N, 3) in 0..1, in the documented order."""
    gains = color.white_balance_gains(settings, is_raw=is_raw) * tone.exposure_gain(settings)
    out = calibration.apply_calibration(rgb, settings)
    if np.any(np.abs(gains - 1.0) > 1e-12):
        out = tone.linear_to_srgb(np.clip(tone.srgb_to_linear(out) * gains, 0.0, 1.0))
    out = tone.apply_tone(out, settings)
    grayscale = settings.get("ConvertToGrayscale") is True
    out = color.to_grayscale(out, settings) if grayscale else color.apply_hsl(out, settings)
    out = color.apply_color_grading(out, settings)
    if lut is not None:
        out = apply_lut(out, lut)
    return np.clip(out, 0.0, 1.0)


_CHUNK = 1 << 18


@dataclass(frozen=True, eq=False)
class Lattice:
    """D on a rectilinear lattice: values[i, j, k] = D(axes[0][i], axes[1][j], axes[2][k])."""

    values: npt.NDArray[np.float32]  # (nr, ng, nb, 3)
    axes: tuple[npt.NDArray[np.float64], ...]
    identity: bool  # D leaves every lattice point where it was (within float32)
    _maps: dict[int, tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]] = field(
        default_factory=dict
    )

    def cells(self, levels: int) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]:
        """For each channel and each of `levels` input levels: its cell and fraction."""
        found = self._maps.get(levels)
        if found is None:
            x = np.arange(levels) / (levels - 1.0)
            cell = np.empty((3, levels), np.int32)
            fraction = np.empty((3, levels), np.float32)
            for c, axis in enumerate(self.axes):
                k = np.clip(np.searchsorted(axis, x, side="right") - 1, 0, axis.size - 2)
                cell[c] = k
                fraction[c] = np.clip((x - axis[k]) / (axis[k + 1] - axis[k]), 0.0, 1.0)
            found = self._maps.setdefault(levels, (cell, fraction))
        return found


class _Cache:
    """A small thread-safe LRU keyed by preset identity (the preset is kept alive with it)."""

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._items: OrderedDict[tuple[int, float, bool], tuple[Preset, Any]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple[int, float, bool], preset: Preset) -> Any:
        item = self._items.get(key)
        if item is None or item[0] is not preset:
            return None
        self._items.move_to_end(key)
        return item[1]

    def put(self, key: tuple[int, float, bool], preset: Preset, value: Any) -> None:
        self._items[key] = (preset, value)
        self._items.move_to_end(key)
        while len(self._items) > self._capacity:
            self._items.popitem(last=False)


_lattices = _Cache(_LATTICES_KEPT)
_tables = _Cache(_TABLES_KEPT)


def lattice_for(preset: Preset, *, is_raw: bool) -> Lattice:
    """D sampled on the preset's lattice (cached per preset)."""
    key = (id(preset), 1.0, is_raw)
    with _lattices.lock:
        found = _lattices.get(key, preset)
        if found is None:
            axes = tuple(np.asarray(a, dtype=np.float64) for a in lattice_axes(preset.lut))
            points = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, 3)
            values = np.empty(points.shape, np.float32)
            for start in range(0, points.shape[0], _CHUNK):
                chunk = points[start : start + _CHUNK]
                values[start : start + _CHUNK] = develop_points(
                    chunk, preset.settings, preset.lut, is_raw=is_raw
                )
            shape = (*(a.size for a in axes), 3)
            identity = bool(np.max(np.abs(values - points)) < 1e-6)
            found = Lattice(np.ascontiguousarray(values.reshape(shape)), axes, identity)
            _lattices.put(key, preset, found)
    return found  # type: ignore[no-any-return]


def has_table8(preset: Preset, blend: float, *, is_raw: bool) -> bool:
    """True when the 256³ table for this preset and blend is already built."""
    with _tables.lock:
        return _tables.get((id(preset), blend, is_raw), preset) is not None


def table8_for(preset: Preset, blend: float, *, is_raw: bool) -> Table8:
    """x + blend·(D(x) − x) for every 8-bit colour x: uint8 (256³, 4), the 4th byte zero."""
    key = (id(preset), blend, is_raw)
    with _tables.lock:
        found = _tables.get(key, preset)
    if found is not None:
        return found  # type: ignore[no-any-return]

    def build() -> Table8:
        return _expand(lattice_for(preset, is_raw=is_raw), blend)

    with _tables.lock:
        found = _tables.get(key, preset)
        if found is None:
            folder = _shared_folder
            if folder is None:
                found = build()
            else:
                found = shared_tables.load_or_build(
                    folder, shared_tables.table_name(preset.content_hash, blend, is_raw), build
                )
            _tables.put(key, preset, found)
    return found  # type: ignore[no-any-return]


_shared_folder: Path | None = None


def share_tables_in(folder: Path | None) -> None:
    """Keep built 256³ tables as files in `folder`, shared by every process that says the
    same (None: in this process's memory only)."""
    global _shared_folder
    _shared_folder = None if folder is None else Path(folder)


def _expand(lattice: Lattice, blend: float) -> Table8:
    """The 256³ table, one red level at a time (b, then g, then r, as the per-pixel loop)."""
    cell, fraction = lattice.cells(256)
    values = lattice.values
    x = np.arange(256) * (1.0 / 255.0)
    kb, fb = cell[2], fraction[2][None, :, None]
    kg, fg = cell[1], fraction[1][:, None, None]
    # Each red node's plane interpolated along blue: [green node, blue level, channel].
    along_b = [v[:, kb] + (v[:, kb + 1] - v[:, kb]) * fb for v in values]
    original = np.empty((256, 256, 3))  # [g, b, channel]
    original[..., 1] = x[:, None]
    original[..., 2] = x[None, :]
    table = np.zeros((256, 256, 256, 4), np.uint8)  # [b, g, r, rgb + padding]
    for r in range(256):
        kr, fr = cell[0, r], fraction[0, r]
        lower, upper = along_b[kr], along_b[kr + 1]
        c0 = lower[kg] + (lower[kg + 1] - lower[kg]) * fg
        c1 = upper[kg] + (upper[kg + 1] - upper[kg]) * fg
        developed = (c0 + (c1 - c0) * fr).astype(np.float64)  # [g, b, channel]
        original[..., 0] = x[r]
        mixed = (original + blend * (developed - original)) * 255.0 + 0.5
        table[:, :, r, :3] = np.clip(np.floor(mixed), 0, 255).astype(np.uint8).transpose(1, 0, 2)
    return table.reshape(-1, 4)


def interpolate_pixels(pixels: npt.NDArray[Any], lattice: Lattice, blend: float) -> None:
    """Develop and blend (N, 3) uint8 or uint16 `pixels` in place by trilinear interpolation.

    numpy, for images too small to repay the 256³ table; the same float32 operations in the
    same order as `kernels.develop_pixels`, so every path gives identical pixels.
    """
    top = 255 if pixels.dtype == np.uint8 else 65535
    cell, fraction = lattice.cells(top + 1)
    values = lattice.values
    for start in range(0, pixels.shape[0], _GATHER_CHUNK):
        part = pixels[start : start + _GATHER_CHUNK]
        level = part.astype(np.intp)
        kr, kg, kb = (cell[c][level[:, c]] for c in range(3))
        fr, fg, fb = (fraction[c][level[:, c]][:, None] for c in range(3))
        c00 = values[kr, kg, kb] + (values[kr, kg, kb + 1] - values[kr, kg, kb]) * fb
        c01 = values[kr, kg + 1, kb] + (values[kr, kg + 1, kb + 1] - values[kr, kg + 1, kb]) * fb
        c10 = values[kr + 1, kg, kb] + (values[kr + 1, kg, kb + 1] - values[kr + 1, kg, kb]) * fb
        c11 = (
            values[kr + 1, kg + 1, kb]
            + (values[kr + 1, kg + 1, kb + 1] - values[kr + 1, kg + 1, kb]) * fb
        )
        c0 = c00 + (c01 - c00) * fg
        c1 = c10 + (c11 - c10) * fg
        developed = (c0 + (c1 - c0) * fr).astype(np.float64)
        original = level * (1.0 / top)
        mixed = (original + blend * (developed - original)) * float(top) + 0.5
        part[...] = np.clip(np.floor(mixed), 0, top).astype(pixels.dtype)


def apply_table8(buffer: Any, table: Table8) -> None:
    """Replace every pixel of an 8-bit RGB `buffer` (writable) by its table entry, in place.

    Pixel i is read as the 32-bit word at byte 3i (r | g << 8 | b << 16 | the next pixel's
    r << 24), masked to its index; the table's 4-byte entries are gathered and stored back
    as words at byte 3i in increasing order, so each store's fourth byte is overwritten by
    the next pixel's own store. The one byte a chunk's last store spills into the next,
    still unread, chunk is put back.
    """
    pixels = np.frombuffer(buffer, dtype=np.uint8)
    count = pixels.size // 3
    if count == 0:
        return
    entries = table.view(np.uint32).reshape(-1)
    words = np.ndarray(shape=(count - 1,), dtype=np.uint32, buffer=buffer, strides=(3,))
    size = min(_GATHER_CHUNK, count)
    index = np.empty(size, np.intp)
    gathered = np.empty(size, np.uint32)
    for start in range(0, count - 1, _GATHER_CHUNK):
        stop = min(start + _GATHER_CHUNK, count - 1)
        part, out = index[: stop - start], gathered[: stop - start]
        np.bitwise_and(words[start:stop], 0xFFFFFF, out=part, casting="unsafe")
        np.take(entries, part, out=out)
        unread = pixels[3 * stop]
        words[start:stop] = out
        pixels[3 * stop] = unread
    last = pixels[3 * count - 3 : 3 * count]
    r, g, b = (int(v) for v in last)
    last[:] = table[r | g << 8 | b << 16, :3]
