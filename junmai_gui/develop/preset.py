"""The preset model: a named develop recipe in Camera Raw terms, an optional LUT, a blend."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True, eq=False)
class Lut3D:
    """A 3D colour table, optionally preceded by a 1D shaper, as read from .cube or Hald.

    `table[r, g, b]` is the output RGB (float32, 0..1 nominal) for the input lattice point;
    inputs are first mapped from [domain_min, domain_max] to [0, 1] (after the shaper).
    """

    table: npt.NDArray[np.float32]  # shape (N, N, N, 3), indexed [r, g, b]
    domain_min: tuple[float, float, float] = (0.0, 0.0, 0.0)
    domain_max: tuple[float, float, float] = (1.0, 1.0, 1.0)
    shaper: npt.NDArray[np.float32] | None = None  # shape (M, 3): a 1D table per channel
    shaper_domain_min: tuple[float, float, float] = (0.0, 0.0, 0.0)
    shaper_domain_max: tuple[float, float, float] = (1.0, 1.0, 1.0)
    title: str = ""

    @property
    def size(self) -> int:
        return int(self.table.shape[0])


@dataclass(frozen=True, eq=False)
class Preset:
    """A named recipe.

    `settings` holds develop settings by their Camera Raw names (`Exposure2012`,
    `ToneCurvePV2012`, `HueAdjustmentRed`, …) with numbers, strings or point lists as values.
    `unsupported_keys` lists the keys the file carried that the pipeline does not render:
    shown to users, never silently dropped. `warnings` are notes from loading (a value
    clamped to its range, a nested Look ignored).
    """

    name: str
    settings: Mapping[str, Any] = field(default_factory=dict)
    lut: Lut3D | None = None
    default_blend: float = 100.0
    source: str = "builtin"  # "builtin", "user", or the path of the file it came from
    unsupported_keys: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    description: str = ""
