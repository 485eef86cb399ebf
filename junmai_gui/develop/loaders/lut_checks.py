"""What a LUT may hold: the size caps, and the values every LUT loader refuses.

- A 3D table has at most `MAX_LUT_POINTS` points per side (144: a Hald CLUT of level 12, or
  `LUT_3D_SIZE 144`), so a table never takes more than 36 MB of memory. The develop samples
  at most 129 points per side anyway, so a finer table would add nothing to the photo.
- Every table value, shaper value and domain bound is a finite number within
  ±`LUT_VALUE_LIMIT` (65,504, the largest half-float HDR images hold: log and HDR LUTs stay
  far inside it). NaN, infinity and 1e308 are refused: they would turn photos black.
- A domain (DOMAIN_MIN..DOMAIN_MAX, an input range) is at least `MIN_DOMAIN_WIDTH` wide per
  channel: a narrower one would divide by almost nothing.

Each refusal is a `PresetError` that names the file.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from junmai_gui.develop.errors import PresetError

MAX_LUT_POINTS = 144
LUT_VALUE_LIMIT = 65504.0
MIN_DOMAIN_WIDTH = 1e-6


def _describe(value: float) -> str:
    return f"{value:g}" if np.isfinite(value) else str(value)


def check_lut_values(values: npt.NDArray[np.floating], label: str) -> None:
    """A `PresetError` naming the file when a value is not finite or beyond the limit."""
    if values.size == 0:
        return
    with np.errstate(invalid="ignore"):
        largest = float(np.max(np.abs(values)))
    if np.isfinite(largest) and largest <= LUT_VALUE_LIMIT:
        return
    bad = values[~(np.abs(values) <= LUT_VALUE_LIMIT)].flat[0]
    raise PresetError(
        f"{label} holds the colour value {_describe(float(bad))}, which a LUT cannot use "
        f"(values must be numbers from -{LUT_VALUE_LIMIT:g} to {LUT_VALUE_LIMIT:g}); "
        "the LUT is damaged."
    )


def check_domain(
    low: Sequence[float], high: Sequence[float], label: str, what: str = "DOMAIN_MIN/DOMAIN_MAX"
) -> None:
    """A `PresetError` unless every channel's range is finite, in bounds and wide enough."""
    for lo, hi in zip(low, high, strict=True):
        if not (abs(lo) <= LUT_VALUE_LIMIT and abs(hi) <= LUT_VALUE_LIMIT):
            raise PresetError(
                f"{label}: {what} must be numbers from -{LUT_VALUE_LIMIT:g} to "
                f"{LUT_VALUE_LIMIT:g}, not {_describe(lo)} and {_describe(hi)}."
            )
        if not hi - lo >= MIN_DOMAIN_WIDTH:
            raise PresetError(
                f"{label}: {what} must go from a lower to a higher number "
                f"(at least {MIN_DOMAIN_WIDTH:g} apart) for every channel."
            )
