"""The preset model: a named develop recipe in Camera Raw terms, an optional LUT, a blend."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
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

    def feed(self, digest: Any) -> None:
        """Add what this LUT does to pixels to a hash (its title does nothing to them)."""
        for array in (self.table, self.shaper):
            if array is not None:
                digest.update(repr(array.shape).encode())
                digest.update(np.ascontiguousarray(array, dtype="<f4").tobytes())
        bounds = (self.domain_min, self.domain_max, self.shaper_domain_min, self.shaper_domain_max)
        digest.update(repr(bounds).encode())


def _canonical(value: Any) -> Any:
    """Settings as the loaders keep them: every number a float (an exposure of 1 and of 1.0
    develop alike, and must hash alike), sequences as lists."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


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

    @cached_property
    def content_hash(self) -> str:
        """What the preset does to pixels (settings and LUT), as 32 hex digits: two presets
        with the same hash develop a photo to the same bytes, whatever their names. Develop
        processes and render-farm workers fetch presets, and share baked tables, by it."""
        digest = hashlib.sha256(b"junmai-preset/1\n")
        digest.update(json.dumps(_canonical(dict(self.settings)), sort_keys=True).encode())
        if self.lut is not None:
            self.lut.feed(digest)
        return digest.hexdigest()[:32]
