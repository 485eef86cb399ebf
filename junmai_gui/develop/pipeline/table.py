"""The pointwise develop, baked into tables once per preset and blend.

Every per-pixel colour step (white balance, exposure, tone, curves, HSL, vibrance,
saturation, greyscale, colour grading, the LUT) depends on the pixel's colour alone, so their
composition is one function D: [0,1]³ → [0,1]³. `develop_points` evaluates D with numpy;
`lattice_for` samples it on a lattice (65 values per channel, plus the inputs that land on
the preset's LUT nodes, see `lut.lattice_axes`);
`table8_for` expands the lattice, by trilinear interpolation, to a table of all 256³ 8-bit
colours with the blend x + b·(D(x) − x) folded in, so an 8-bit photo costs one gather per
pixel. Both are cached (a 256³ table is 48 MB, so only a few are kept).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from junmai_gui.develop.pipeline import color, tone
from junmai_gui.develop.pipeline.kernels import develop_pixels
from junmai_gui.develop.pipeline.lut import apply_lut, lattice_axes
from junmai_gui.develop.preset import Lut3D, Preset

Table8 = npt.NDArray[np.uint8]

_EMPTY_F32 = np.zeros((1, 1), np.float32)
_EMPTY_ROW = np.zeros(1, np.float32)
_EMPTY_U8 = np.zeros((0, 3), np.uint8)
_LATTICES_KEPT = 8
_TABLES_KEPT = 2


def develop_points(
    rgb: tone.FloatArray, settings: Mapping[str, Any], lut: Lut3D | None, *, is_raw: bool
) -> tone.FloatArray:
    """D for encoded RGB points of shape (N, 3) in 0..1, in the documented order."""
    gains = color.white_balance_gains(settings, is_raw=is_raw) * tone.exposure_gain(settings)
    out = rgb
    if np.any(np.abs(gains - 1.0) > 1e-12):
        out = tone.linear_to_srgb(np.clip(tone.srgb_to_linear(rgb) * gains, 0.0, 1.0))
    out = tone.apply_tone(out, settings)
    out = color.apply_hsl(out, settings)
    if settings.get("ConvertToGrayscale") is True:
        out = color.to_grayscale(out)
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
    _maps: dict[int, tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]] = field(
        default_factory=dict
    )

    def is_identity(self) -> bool:
        """True when D leaves every lattice point where it was (within float32)."""
        grid = np.stack(np.meshgrid(*self.axes, indexing="ij"), axis=-1)
        return bool(np.max(np.abs(self.values - grid)) < 1e-6)

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
            found = Lattice(np.ascontiguousarray(values.reshape(shape)), axes)
            _lattices.put(key, preset, found)
    return found  # type: ignore[no-any-return]


def has_table8(preset: Preset, blend: float, *, is_raw: bool) -> bool:
    """True when the 256³ table for this preset and blend is already built."""
    with _tables.lock:
        return _tables.get((id(preset), blend, is_raw), preset) is not None


def table8_for(preset: Preset, blend: float, *, is_raw: bool) -> Table8:
    """x + blend·(D(x) − x) for every 8-bit colour x, uint8 of shape (256³, 3)."""
    key = (id(preset), blend, is_raw)
    with _tables.lock:
        found = _tables.get(key, preset)
    if found is not None:
        return found  # type: ignore[no-any-return]
    lattice = lattice_for(preset, is_raw=is_raw)
    with _tables.lock:
        found = _tables.get(key, preset)
        if found is None:
            found = _expand(lattice, blend)
            _tables.put(key, preset, found)
    return found  # type: ignore[no-any-return]


def _expand(lattice: Lattice, blend: float) -> Table8:
    levels = np.arange(256, dtype=np.uint8)
    colours = np.empty((256, 256, 256, 3), np.uint8)
    colours[..., 0] = levels[:, None, None]
    colours[..., 1] = levels[None, :, None]
    colours[..., 2] = levels[None, None, :]
    image = colours.reshape(65536, 256, 3)
    cell, fraction = lattice.cells(256)
    develop_pixels(
        image, 255.0, lattice.values, cell, fraction, _EMPTY_U8, blend, 0.0, _EMPTY_F32, 1.0,
        0.0, _EMPTY_ROW, _EMPTY_ROW, _EMPTY_ROW, 0.0,
    )  # fmt: skip
    return colours.reshape(-1, 3)
