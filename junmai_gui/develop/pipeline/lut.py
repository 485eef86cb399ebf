"""The preset's 3D LUT, evaluated on the points of the pipeline's lattice.

Maths: each channel first goes through the optional 1D shaper (linear interpolation of its
table over [shaper_domain_min, shaper_domain_max]), then is mapped from [domain_min,
domain_max] to [0, 1], clipped, scaled to lattice coordinates (size − 1)·x and interpolated
trilinearly between the eight surrounding table entries — the same arithmetic as
colour-science's `LUT3D.apply` with `table_interpolation_trilinear`.

`lattice_axes` picks the pipeline's own lattice so that it contains every input value that
lands on a node of the preset's LUT: trilinear interpolation of a trilinear function on a
lattice that refines its own is exact, so a LUT-only preset is rendered exactly as its LUT.
"""

from __future__ import annotations

import numpy as np

from junmai_gui.develop.pipeline.tone import FloatArray
from junmai_gui.develop.preset import Lut3D

UNIFORM_NODES = 65
MAX_NODES = 129


def lattice_axes(lut: Lut3D | None) -> tuple[tuple[float, ...], ...]:
    """Per channel, the input values (0..1) at which the pipeline samples its develop.

    65 evenly spaced values, plus every input value that lands on a node of the preset's LUT
    (through its domain and, when increasing, its shaper), so that a LUT-only preset is
    rendered exactly as its LUT. A LUT too fine to add (over 129 nodes) is sampled evenly.
    """
    uniform = np.linspace(0.0, 1.0, UNIFORM_NODES)
    if lut is None:
        return (tuple(uniform),) * 3
    axes = []
    nodes = np.linspace(0.0, 1.0, lut.size)
    for c in range(3):
        lo, hi = lut.domain_min[c], lut.domain_max[c]
        inputs = lo + nodes * (hi - lo)
        if lut.shaper is not None:
            curve = np.asarray(lut.shaper, dtype=np.float64)[:, c]
            xs = np.linspace(lut.shaper_domain_min[c], lut.shaper_domain_max[c], curve.size)
            if np.all(np.diff(curve) > 0):
                inputs = np.interp(inputs, curve, xs, left=np.nan, right=np.nan)
            else:
                inputs = np.array([])
        inside = inputs[(inputs > 0.0) & (inputs < 1.0)]
        axis = np.unique(np.concatenate([uniform, inside]))
        keep = np.concatenate([[True], np.diff(axis) > 1e-7])
        axis = axis[keep]
        axis[-1] = 1.0
        axes.append(tuple(axis) if axis.size <= MAX_NODES else tuple(np.linspace(0, 1, MAX_NODES)))
    return tuple(axes)


def _shape(rgb: FloatArray, lut: Lut3D) -> FloatArray:
    if lut.shaper is None:
        return rgb
    shaper = np.asarray(lut.shaper, dtype=np.float64)
    out = np.empty_like(rgb)
    for c in range(3):
        xs = np.linspace(lut.shaper_domain_min[c], lut.shaper_domain_max[c], shaper.shape[0])
        out[:, c] = np.interp(rgb[:, c], xs, shaper[:, c])
    return out


def apply_lut(rgb: FloatArray, lut: Lut3D) -> FloatArray:
    """The LUT's output for encoded RGB points of shape (N, 3)."""
    x = _shape(rgb, lut)
    lo = np.asarray(lut.domain_min, dtype=np.float64)
    hi = np.asarray(lut.domain_max, dtype=np.float64)
    x = np.clip((x - lo) / np.where(hi > lo, hi - lo, 1.0), 0.0, 1.0)
    table = np.asarray(lut.table, dtype=np.float64)
    top = table.shape[0] - 1
    scaled = x * top
    base = np.clip(scaled.astype(np.intp), 0, top)
    upper = np.minimum(base + 1, top)
    frac = scaled - base
    out = np.zeros_like(x)
    for corner in range(8):
        pick = [(upper if corner >> (2 - axis) & 1 else base)[:, axis] for axis in range(3)]
        weight = np.ones(x.shape[0])
        for axis in range(3):
            f = frac[:, axis]
            weight = weight * (f if corner >> (2 - axis) & 1 else 1.0 - f)
        out += table[pick[0], pick[1], pick[2]] * weight[:, None]
    return out
