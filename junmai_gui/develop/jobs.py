"""One photo as a job: a plain value any executor can carry, and the one way to run it.

The controller hands each photo to an executor as a `PhotoJob` (JSON-serialisable: batch
and photo ids, source and output paths — one per output —, and the batch's `Recipe`: the
preset by content hash, the blend and the options of each output). Whoever develops it — a
develop process on this computer or a render-farm worker — calls `run_job` and answers with
a `PhotoResult`, whose `Outcome` tells the controller what the photo's end means for its
batch. A photo is done when all its outputs are written.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from junmai_gui.develop.engine import CancelToken, develop_photo
from junmai_gui.develop.errors import (
    DevelopCancelled,
    DiskFullError,
    OutputUnavailableError,
    PhotoError,
    PresetError,
    ResourceError,
)
from junmai_gui.develop.output import OutputOptions
from junmai_gui.develop.preset import Preset
from junmai_gui.domain.config import BatchConfig

log = logging.getLogger(__name__)

DevelopFunction = Callable[..., Any]
"""`develop_photo(source, output, preset, blend, options, *, cancel, extra_outputs)` of
develop.engine (`extra_outputs` is passed only to develop a photo into several outputs)."""

LOCAL = "local"  # `developed_by` of a photo developed on this computer


class Outcome(StrEnum):
    """How a photo ended, and so what the controller does about it and its batch."""

    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"  # back to pending
    DISK_FULL = "disk_full"  # back to pending; the batch pauses
    OUTPUT_UNAVAILABLE = "output_unavailable"  # back to pending; the batch pauses
    OUT_OF_RESOURCES = "out_of_resources"  # no file handles or memory: pending; it pauses
    PRESET_ERROR = "preset_error"  # back to pending; the batch fails
    SKIPPED = "skipped"  # never started (lost its claim, or not developed at all): pending
    UNAVAILABLE = "unavailable"  # whatever develops cannot now: pending; the batch pauses

    @property
    def is_final(self) -> bool:
        """The photo is finished (done or failed); every other outcome leaves it pending."""
        return self in (Outcome.DONE, Outcome.FAILED)


@dataclass(frozen=True)
class Recipe:
    """What every photo of a batch is developed with. `preset` is the name (for messages);
    `preset_hash` is what develops: see `develop.preset_cache`. `output` and
    `extra_outputs`: the options of each output, in the order of a job's output paths.
    `keep_existing` (the `skip` conflict policy): an output whose file exists is left as is."""

    preset: str
    preset_hash: str
    blend: float
    output: OutputOptions
    extra_outputs: tuple[OutputOptions, ...] = ()
    keep_existing: bool = False

    @classmethod
    def for_batch(cls, config: BatchConfig, preset: Preset) -> Recipe:
        first, *others = OutputOptions.for_config(config)
        return cls(
            preset=preset.name,
            preset_hash=preset.content_hash,
            blend=float(config.blend),
            output=first,
            extra_outputs=tuple(others),
            keep_existing=config.on_conflict == "skip",
        )

    @property
    def outputs(self) -> tuple[OutputOptions, ...]:
        """Every output's options, the first one first."""
        return (self.output, *self.extra_outputs)

    def to_dict(self) -> dict[str, Any]:
        return {
            "preset": self.preset,
            "preset_hash": self.preset_hash,
            "blend": self.blend,
            "output": self.output.to_dict(),
            "extra_outputs": [options.to_dict() for options in self.extra_outputs],
            "keep_existing": self.keep_existing,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Recipe:
        return cls(
            preset=str(data["preset"]),
            preset_hash=str(data["preset_hash"]),
            blend=float(data["blend"]),
            output=OutputOptions.from_dict(data["output"]),
            extra_outputs=tuple(
                OutputOptions.from_dict(options) for options in data.get("extra_outputs") or ()
            ),
            keep_existing=bool(data.get("keep_existing", False)),
        )


@dataclass(frozen=True)
class PhotoJob:
    """One photo to develop, exactly as planned when its batch was created: `output_path`
    for its first output, `extra_output_paths` for the others (in the recipe's order)."""

    batch_id: str
    photo_id: int
    source_path: str
    output_path: str
    recipe: Recipe
    extra_output_paths: tuple[str, ...] = ()

    @property
    def output_paths(self) -> tuple[str, ...]:
        """Every output path of the photo, first one first."""
        return (self.output_path, *self.extra_output_paths)

    @property
    def key(self) -> tuple[str, int]:
        return self.batch_id, self.photo_id

    @property
    def name(self) -> str:
        """The photo's file name, for sentences."""
        return Path(self.source_path).name or f"photo {self.photo_id}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "batch_id": self.batch_id,
            "photo_id": self.photo_id,
            "source_path": self.source_path,
            "output_path": self.output_path,
            "extra_output_paths": list(self.extra_output_paths),
            "recipe": self.recipe.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PhotoJob:
        return cls(
            batch_id=str(data["batch_id"]),
            photo_id=int(data["photo_id"]),
            source_path=str(data["source_path"]),
            output_path=str(data["output_path"]),
            recipe=Recipe.from_dict(data["recipe"]),
            extra_output_paths=tuple(str(p) for p in data.get("extra_output_paths") or ()),
        )


@dataclass(frozen=True)
class PhotoResult:
    """How one job ended: exactly one per job an executor accepted."""

    batch_id: str
    photo_id: int
    outcome: Outcome
    message: str | None = None
    seconds: float = 0.0
    developed_by: str = LOCAL

    @property
    def key(self) -> tuple[str, int]:
        return self.batch_id, self.photo_id

    @classmethod
    def of(
        cls, job: PhotoJob, outcome: Outcome, message: str | None = None, seconds: float = 0.0
    ) -> PhotoResult:
        return cls(job.batch_id, job.photo_id, outcome, message, seconds)

    def to_dict(self) -> dict[str, Any]:
        return {
            "batch_id": self.batch_id,
            "photo_id": self.photo_id,
            "outcome": self.outcome.value,
            "message": self.message,
            "seconds": self.seconds,
            "developed_by": self.developed_by,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PhotoResult:
        return cls(
            batch_id=str(data["batch_id"]),
            photo_id=int(data["photo_id"]),
            outcome=Outcome(data["outcome"]),
            message=None if data.get("message") is None else str(data["message"]),
            seconds=float(data.get("seconds") or 0.0),
            developed_by=str(data.get("developed_by") or LOCAL),
        )


def run_job(
    job: PhotoJob,
    preset: Preset,
    *,
    develop: DevelopFunction = develop_photo,
    cancel: CancelToken | None = None,
) -> PhotoResult:
    """Develop one job with `preset` (the one its recipe names) into all its outputs and say
    how it ended.

    Never raises for anything the photo, the disk or the preset does: each becomes an
    outcome with a sentence. A bug or an unforeseen library error fails this photo only."""
    started = time.perf_counter()

    def ended(outcome: Outcome, message: str | None = None) -> PhotoResult:
        return PhotoResult.of(job, outcome, message, time.perf_counter() - started)

    recipe = job.recipe
    paths = job.output_paths
    if not all(paths):  # never develop onto Path(""): the controller plans it first
        return ended(
            Outcome.FAILED, f"{job.name} has no output file planned, so it was not developed"
        )
    if len(paths) != len(recipe.outputs):  # a job rebuilt without its other outputs
        return ended(
            Outcome.FAILED,
            f"{job.name} has {len(paths)} output file(s) planned for {len(recipe.outputs)} "
            "outputs, so it was not developed",
        )
    targets = [
        (Path(path), options)
        for path, options in zip(paths, recipe.outputs, strict=True)
        if not (recipe.keep_existing and os.path.exists(path))
    ]
    if not targets:  # every output is there already, and the batch keeps existing files
        return ended(Outcome.DONE)
    (first, options), extra = targets[0], targets[1:]
    try:
        if extra:
            develop(
                Path(job.source_path), first, preset, recipe.blend, options,
                cancel=cancel, extra_outputs=extra,
            )  # fmt: skip
        else:
            develop(Path(job.source_path), first, preset, recipe.blend, options, cancel=cancel)
    except DevelopCancelled:
        return ended(Outcome.CANCELLED)
    except DiskFullError as exc:
        return ended(Outcome.DISK_FULL, exc.message)
    except OutputUnavailableError as exc:
        return ended(Outcome.OUTPUT_UNAVAILABLE, exc.message)
    except ResourceError as exc:
        return ended(Outcome.OUT_OF_RESOURCES, exc.message)
    except PresetError as exc:
        return ended(Outcome.PRESET_ERROR, exc.message)
    except PhotoError as exc:
        return ended(Outcome.FAILED, exc.message)
    except Exception as exc:
        log.exception("Unexpected error while developing %s", job.source_path)
        return ended(Outcome.FAILED, f"{job.name} could not be developed: {exc}")
    return ended(Outcome.DONE)
