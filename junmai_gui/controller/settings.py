"""What the controller needs to know from the app's settings."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs


def default_output_root() -> Path:
    """The user's pictures folder / "Junmai Batch": where batches write when no folder is given."""
    return Path(platformdirs.user_pictures_dir()) / "Junmai Batch"


@dataclass
class ControllerSettings:
    """`workers`: photos developed at once over all batches (default: one per core).
    `default_output_dir`: the folder under which each batch without an output folder gets its
    own subfolder (named after the batch, or its id)."""

    workers: int = 0
    default_output_dir: Path | None = None

    def __post_init__(self) -> None:
        if self.workers <= 0:
            self.workers = max(1, os.cpu_count() or 1)
        if self.default_output_dir is None:
            self.default_output_dir = default_output_root()
        self.default_output_dir = Path(self.default_output_dir)

    @property
    def output_root(self) -> Path:
        assert self.default_output_dir is not None
        return self.default_output_dir
