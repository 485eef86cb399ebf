"""The planned outputs of a batch's photos as store rows, and the folders they go into.

`plan_outputs` (develop.naming) returns plain lists, one per output; `PlannedPhotos` turns
them into `NewBatchPhoto` rows a step at a time, so a batch of 100,000 photos never holds
100,000 row objects at once. The folders a batch writes into are created before its rows
are stored, and taken back when the batch is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from junmai_gui.develop.naming import OutputNaming, PlannedOutputs
from junmai_gui.domain.config import BatchConfig
from junmai_gui.domain.errors import InvalidBatchError
from junmai_gui.domain.status import PhotoState
from junmai_gui.pacing import no_pacing
from junmai_gui.store.records import NewBatchPhoto


def folders_to_create(folder: Path) -> list[Path]:
    """`folder` and those of its parents that do not exist yet, deepest first."""
    missing = []
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            break
        missing.append(candidate)
    return missing


def remove_empty_folders(folders: list[Path]) -> None:
    """Take back folders a refused batch created (deepest first; only if still empty)."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            return


@contextmanager
def taken_back_if_refused(output_dir: Path) -> Iterator[list[Path]]:
    """The folders a batch's planning creates, `output_dir` and its missing parents first
    (the body adds those it creates, deepest first): removed, if still empty, when the body
    raises, so a refused batch leaves no empty folder."""
    created = folders_to_create(output_dir)
    try:
        yield created
    except BaseException:
        remove_empty_folders(created)
        raise


def create_output_folders(folders: set[str], pace: Callable[[], None] = no_pacing) -> list[Path]:
    """Create the (sub)folders the outputs go into; returns those created, deepest first."""
    created: list[Path] = []
    for folder in sorted(folders):
        pace()
        missing = folders_to_create(Path(folder))
        if not missing:
            continue
        try:
            Path(folder).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            remove_empty_folders(created)
            raise InvalidBatchError(
                f"The output folder {folder} cannot be created ({exc.strerror or exc})"
            ) from exc
        created[:0] = missing
    return created


def output_namings(config: BatchConfig) -> list[OutputNaming]:
    """How each output of the batch's photos is named (subfolders included)."""
    return [OutputNaming(spec.naming_path, spec.extension) for spec in config.output_specs]


class PlannedPhotos:
    """The planned rows of a batch's photos, built a step at a time (see `_store_in_steps`)
    from the plain lists `plan_outputs` returns."""

    def __init__(self, ids: list[int], planned: PlannedOutputs) -> None:
        self._ids = ids
        self._planned = planned
        self.folders = planned.folders

    def __len__(self) -> int:
        return len(self._ids)

    def __getitem__(self, positions: slice) -> list[NewBatchPhoto]:
        first, *others = self._planned.by_output
        skipped = self._planned.skipped
        pending, done = PhotoState.PENDING, PhotoState.DONE
        return [
            NewBatchPhoto(
                self._ids[i],
                first[i],
                done if i in skipped else pending,
                tuple(paths[i] for paths in others) if others else (),
            )
            for i in range(*positions.indices(len(self._ids)))
        ]

    @property
    def rows(self) -> list[NewBatchPhoto]:
        return self[:]
