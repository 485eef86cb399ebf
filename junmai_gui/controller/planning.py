"""Turns a start request (photo ids or paths, a config) into a batch ready to store.

Everything is checked before anything is written: an unknown preset, a blend of 150 or an
output folder that cannot be written refuses the batch and stores nothing.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from junmai_gui.develop.errors import PresetError
from junmai_gui.develop.files import check_can_write
from junmai_gui.develop.formats import collect_photos
from junmai_gui.develop.library import PresetLibrary
from junmai_gui.develop.naming import check_template, plan_output_paths
from junmai_gui.domain.batch import BatchSummary
from junmai_gui.domain.clock import new_batch_id, utc_now_iso
from junmai_gui.domain.config import BatchConfig
from junmai_gui.domain.errors import InvalidBatchError, PhotoNotFoundError
from junmai_gui.domain.status import BatchStatus, PhotoState
from junmai_gui.store.database import Store
from junmai_gui.store.records import NewBatch, NewBatchPhoto
from junmai_gui.store.reference_states import PLACEHOLDER_PREFIX

DEFAULT_PRESET = "WhiteLayer_v4"  # the reference's example, used when a request has no config


@dataclass(frozen=True)
class ImportResult:
    """Photo ids of the accepted files; (path, reason) of every path that was not taken."""

    photo_ids: list[int]
    rejected: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class StartResult:
    batch_id: str
    photo_count: int
    rejected: list[tuple[str, str]] = field(default_factory=list)


def folder_name(name: str) -> str:
    """A batch name made safe as one folder name."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", name).strip(" .")
    return cleaned[:100]


def check_writable_folder(folder: Path) -> None:
    """Create `folder` if needed and prove we can write in it by writing there (`/proc` and
    a read-only mount pass permission checks), else InvalidBatchError."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        check_can_write(folder)
    except OSError as exc:
        raise InvalidBatchError(
            f"The output folder {folder} is not a folder we can write to ({exc.strerror or exc})"
        ) from exc


def resolved_paths(files: Iterable[str | os.PathLike[str]]) -> list[str]:
    """Each file's absolute path with symbolic links resolved, as `Path.resolve()` gives it,
    but resolving each folder once: a folder of 10,000 photos costs one `lstat` a photo
    instead of one per path component."""
    folders: dict[str, str] = {}
    out = []
    for file in files:
        path = os.path.abspath(os.fspath(file))
        if os.path.islink(path):
            out.append(os.path.realpath(path))
            continue
        folder, name = os.path.split(path)
        real = folders.get(folder)
        if real is None:
            real = folders[folder] = os.path.realpath(folder)
        out.append(os.path.join(real, name))
    return out


class BatchPlanner:
    """Checks a start request and builds the `NewBatch` the store writes in one transaction."""

    def __init__(self, store: Store, presets: PresetLibrary, output_root: Path) -> None:
        self._store = store
        self._presets = presets
        self.output_root = output_root

    def import_photos(self, paths: Iterable[str | os.PathLike[str]]) -> ImportResult:
        """Files and folders (recursively) to photo ids; unsupported or missing paths rejected."""
        collected = collect_photos([str(p) for p in paths])
        files = resolved_paths(collected.files)
        ids = self._store.add_photos(files) if files else []
        return ImportResult(photo_ids=ids, rejected=list(collected.rejected))

    def check_config(self, config: dict[str, Any] | None) -> BatchConfig:
        """The typed config with its defaults; InvalidBatchError naming every problem."""
        if config is None:
            config = {"preset": DEFAULT_PRESET}
        parsed = BatchConfig.from_dict(dict(config))
        try:
            check_template(parsed.naming)
        except ValueError as exc:
            raise InvalidBatchError(str(exc)) from exc
        try:
            self._presets.get(parsed.preset)
        except PresetError as exc:
            names = ", ".join(self._presets.names()[:20])
            raise InvalidBatchError(
                f"There is no preset named {parsed.preset!r}. Available presets: {names}"
            ) from exc
        return parsed

    def plan(
        self,
        *,
        photo_ids: Sequence[int] | None,
        photo_paths: Sequence[str | os.PathLike[str]] | None,
        config: dict[str, Any] | None,
        session_id: int | None,
        name: str | None,
        priority: int,
        start: bool,
    ) -> tuple[NewBatch, list[tuple[str, str]]]:
        """The batch to create and the rejected paths. Writes photo rows for new paths only
        after the config and the photo ids have been checked."""
        parsed = self.check_config(config)
        if photo_ids is None and photo_paths is None:
            raise InvalidBatchError("Give the photos to develop (photo ids or paths)")
        ids = list(dict.fromkeys(int(i) for i in photo_ids or []))
        sources = self._store.photo_paths(ids) if ids else {}
        missing = [i for i in ids if i not in sources]
        if missing:
            raise PhotoNotFoundError(missing)
        rejected: list[tuple[str, str]] = []
        collected_files: list[str] = []
        if photo_paths:
            collected = collect_photos([str(p) for p in photo_paths])
            rejected = list(collected.rejected)
            collected_files = resolved_paths(collected.files)
        if not ids and not collected_files:
            detail = "; ".join(f"{path}: {reason}" for path, reason in rejected[:5])
            raise InvalidBatchError(
                "There are no photos to develop" + (f" ({detail})" if detail else "")
            )
        batch_id = new_batch_id()
        output_dir = self._output_dir(parsed, name, batch_id)
        check_writable_folder(output_dir)
        if collected_files:
            for pid, path in zip(
                self._store.add_photos(collected_files), collected_files, strict=True
            ):
                if pid not in sources:
                    ids.append(pid)
                    sources[pid] = path
        stored_config = parsed.to_dict()
        stored_config["output_dir"] = str(output_dir)
        photos = self._plan_outputs(ids, sources, parsed, output_dir, batch_id)
        new = NewBatch(
            batch_id=batch_id,
            name=name or "",
            session_id=session_id,
            priority=int(priority),
            config=stored_config,
            status=BatchStatus.RUNNING if start else BatchStatus.PENDING,
            photos=photos,
            created_at=utc_now_iso(),
        )
        return new, rejected

    def plan_missing_outputs(self, summary: BatchSummary) -> None:
        """Before a batch runs again: fix an output path for each pending photo that has none
        (a batch imported from the reference's format stores none), in its output folder.
        A photo imported without its file (`photo:<id>`) fails with a sentence instead."""
        missing = self._store.photos_without_output(summary.batch_id)
        if not missing:
            return
        unusable = {
            pid: f"Photo {pid} was imported from a saved batch without the location of its "
            "file, so it cannot be developed"
            for pid, source in missing
            if source.startswith(PLACEHOLDER_PREFIX)
        }
        sources = {pid: source for pid, source in missing if pid not in unusable}
        planned: list[NewBatchPhoto] = []
        if sources:
            parsed = BatchConfig.from_dict(dict(summary.config))
            output_dir = self._output_dir(parsed, summary.name, summary.batch_id)
            check_writable_folder(output_dir)
            planned = self._plan_outputs(
                list(sources), sources, parsed, output_dir, summary.batch_id
            )
        self._store.plan_missing_outputs(summary.batch_id, planned, unusable)

    def _output_dir(self, config: BatchConfig, name: str | None, batch_id: str) -> Path:
        if config.output_dir:
            return Path(config.output_dir).expanduser()
        sub = folder_name(name or "") or batch_id
        folder = self.output_root / sub
        if name and folder.exists():
            folder = self.output_root / f"{sub} ({batch_id})"
        return folder

    def _plan_outputs(
        self,
        ids: list[int],
        sources: dict[int, str],
        config: BatchConfig,
        output_dir: Path,
        batch_id: str,
    ) -> list[NewBatchPhoto]:
        """Each photo's output path, fixed now. A photo skipped by the `skip` policy (its output
        exists) is stored done at creation, pointing at the existing file, with no error."""
        source_paths = [sources[i] for i in ids]
        kwargs: dict[str, Any] = {
            "output_dir": output_dir,
            "naming": config.naming,
            "format": config.format,
            "preset_name": config.preset,
            "batch_id": batch_id,
        }
        planned = plan_output_paths(source_paths, on_conflict=config.on_conflict, **kwargs)
        existing: list[Path | None] = list(planned)
        if any(p is None for p in planned):
            existing = list(plan_output_paths(source_paths, on_conflict="overwrite", **kwargs))
        photos = []
        for pid, out, fallback in zip(ids, planned, existing, strict=True):
            if out is None:
                photos.append(NewBatchPhoto(pid, str(fallback or ""), PhotoState.DONE))
            else:
                photos.append(NewBatchPhoto(pid, str(out)))
        return photos
