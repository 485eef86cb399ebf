"""Turns a start request (photo ids or paths, a config) into a stored batch, off the GUI thread.

Everything is checked before anything is written: an unknown preset or template, a blend
of 150, an option this computer cannot honour or an output folder that cannot be written
refuses the batch and stores nothing. Then, on the creating thread: folders are scanned
(once — a scan done by the New Batch dialog is handed over, not repeated), the path of each
output of each photo is fixed (reading a photo's header only when a naming template uses its
date, camera, …), the subfolders the templates make are created, and the rows are written
in steps (`store.batch_creation`) while progress is reported and a cancel is honoured
between steps. A watch's photos are added to its batch of the day the same way
(`add_watched_photos`).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from junmai_gui.controller.photo_plans import (
    PlannedPhotos,
    create_output_folders,
    output_namings,
    taken_back_if_refused,
)
from junmai_gui.develop.errors import PresetError
from junmai_gui.develop.files import check_can_write
from junmai_gui.develop.formats import ScanCancelled, find_photos
from junmai_gui.develop.library import PresetLibrary
from junmai_gui.develop.naming import OutputConflictError, example_names, plan_outputs
from junmai_gui.develop.output import unsupported_here
from junmai_gui.domain.batch import BatchSummary
from junmai_gui.domain.clock import new_batch_id, utc_now_iso
from junmai_gui.domain.config import DEFAULT_PRESET, BatchConfig
from junmai_gui.domain.errors import (
    BatchError,
    InvalidBatchError,
    PhotoNotFoundError,
    TemplateNotFoundError,
)
from junmai_gui.domain.status import BatchStatus
from junmai_gui.domain.workflows import WatchRecord
from junmai_gui.pacing import Pacer, no_pacing
from junmai_gui.store.autodev_states import PLACEHOLDER_PREFIX
from junmai_gui.store.database import Store
from junmai_gui.store.records import NewBatch

ROWS_PER_STEP = 2000  # photo rows written per transaction: a few milliseconds each
EXAMPLE_BATCH_ID = "batch_0123456789ab"  # what {batch} shows before a batch has its id


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


@dataclass(frozen=True)
class BatchRequest:
    """What to create. `photo_paths` are files and folders to look through; `files` are
    photos a scan already found (the New Batch dialog's), taken as they are."""

    photo_ids: Sequence[int] = ()
    photo_paths: Sequence[str] = ()
    files: Sequence[str] = ()
    config: dict[str, Any] | None = None
    session_id: int | None = None
    name: str | None = None
    priority: int = 0
    start: bool = True
    template: str | None = None


@dataclass(frozen=True)
class WatchedPhotos:
    """Photos a watch took: the batch they went to (stored), and its parsed config."""

    summary: BatchSummary
    config: BatchConfig


class CreationCancelled(BatchError):
    def __init__(self) -> None:
        super().__init__("Creating the batch was cancelled; nothing was stored")


class Progress(Protocol):
    """Where a creation reports how far it is, and learns that it should stop."""

    def begin(self, batch_id: str) -> None: ...

    def report(self, done: int, total: int) -> None: ...

    def cancelled(self) -> bool: ...


@dataclass(frozen=True)
class PlannedBatch:
    summary: BatchSummary
    config: BatchConfig
    rejected: list[tuple[str, str]]


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


class BatchPlanner:
    """Checks a start request and creates the batch in the store (any thread)."""

    def __init__(self, store: Store, presets: PresetLibrary, output_root: Path) -> None:
        self._store = store
        self._presets = presets
        self.output_root = output_root
        # Output paths are chosen against those other batches hold: one batch at a time.
        self._planning = threading.Lock()

    def import_photos(self, paths: Sequence[str | os.PathLike[str]]) -> ImportResult:
        """Files and folders (recursively) to photo ids; unsupported or missing paths rejected."""
        found = find_photos(paths)
        ids = self._store.add_photos(found.files) if found.files else []
        return ImportResult(photo_ids=ids, rejected=list(found.rejected))

    def resolve_config(
        self, config: dict[str, Any] | None, template: str | None
    ) -> dict[str, Any] | None:
        """`config` over the settings of the template named `template` (when given);
        TemplateNotFoundError when there is none of that name."""
        if template is None:
            return config
        record = self._store.template(template)
        if record is None:
            raise TemplateNotFoundError(template)
        return {**record.config, **(config or {})}

    def check_config(
        self, config: dict[str, Any] | None, template: str | None = None
    ) -> BatchConfig:
        """The config parsed once, with its defaults; InvalidBatchError naming every problem,
        an unknown preset, or what this computer cannot do."""
        config = self.resolve_config(config, template)
        parsed = BatchConfig.from_dict(
            dict(config) if config is not None else {"preset": DEFAULT_PRESET}
        )
        try:
            self._presets.get(parsed.preset)
        except PresetError as exc:
            names = ", ".join(self._presets.names()[:20])
            raise InvalidBatchError(
                f"There is no preset named {parsed.preset!r}. Available presets: {names}"
            ) from exc
        problem = unsupported_here(parsed)
        if problem:
            raise InvalidBatchError(problem)
        return parsed

    def create(self, request: BatchRequest, progress: Progress) -> PlannedBatch:
        """Check, scan, plan and store the batch; CreationCancelled when cancelled first.

        Runs on a thread of its own, paced (`junmai_gui.pacing`) so that the GUI thread and
        the API's loop never wait for it."""
        pace = Pacer()
        config = self.check_config(request.config, request.template)
        if not (request.photo_ids or request.photo_paths or request.files):
            raise InvalidBatchError("Give the photos to develop (photo ids or paths)")
        ids = list(dict.fromkeys(int(i) for i in request.photo_ids))
        sources = self._store.photo_paths(ids) if ids else {}
        missing = [i for i in ids if i not in sources]
        if missing:
            raise PhotoNotFoundError(missing)
        rejected: list[tuple[str, str]] = []
        files = [os.fspath(f) for f in request.files]
        if request.photo_paths:
            try:
                found = find_photos(
                    request.photo_paths,
                    progress=lambda count: progress.report(0, count),
                    cancelled=progress.cancelled,
                    pace=pace,
                )
            except ScanCancelled:
                raise CreationCancelled from None
            rejected = list(found.rejected)
            files += found.files
        if not ids and not files:
            detail = "; ".join(f"{path}: {reason}" for path, reason in rejected[:5])
            raise InvalidBatchError(
                "There are no photos to develop" + (f" ({detail})" if detail else "")
            )
        self._check_cancel(progress)
        batch_id = new_batch_id()
        for start in range(0, len(files), ROWS_PER_STEP):
            self._check_cancel(progress)
            chunk = files[start : start + ROWS_PER_STEP]
            for pid, path in zip(self._store.add_photos(chunk), chunk, strict=True):
                pace()
                if pid not in sources:
                    ids.append(pid)
                    sources[pid] = path
        with self._planning:
            output_dir = self._output_dir(config, request.name, batch_id)
            with taken_back_if_refused(output_dir) as created:
                check_writable_folder(output_dir)
                photos = self._plan_photos(ids, sources, config, output_dir, batch_id, pace)
                created[:0] = create_output_folders(photos.folders, pace)
                stored_config = config.to_dict()
                stored_config["output_dir"] = str(output_dir)
                header = NewBatch(
                    batch_id=batch_id,
                    name=request.name or "",
                    session_id=request.session_id,
                    priority=int(request.priority),
                    config=stored_config,
                    status=BatchStatus.RUNNING if request.start else BatchStatus.PENDING,
                    photos=[],
                    created_at=utc_now_iso(),
                )
                summary = self._store_in_steps(header, photos, progress, pace)
        return PlannedBatch(summary, BatchConfig.from_dict(stored_config), rejected)

    def plan_missing_outputs(self, summary: BatchSummary, config: BatchConfig) -> None:
        """Before a batch runs again: fix an output path for each pending photo that has none
        (a batch imported from the AutoDev contract's format stores none), in its output
        folder. A photo imported without its file (`photo:<id>`) fails with a sentence."""
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
        if not sources:
            self._store.plan_missing_outputs(summary.batch_id, [], unusable)
            return
        with self._planning:
            output_dir = self._output_dir(config, summary.name, summary.batch_id)
            check_writable_folder(output_dir)
            photos = self._plan_photos(list(sources), sources, config, output_dir, summary.batch_id)
            create_output_folders(photos.folders)
            self._store.plan_missing_outputs(summary.batch_id, photos.rows, unusable)

    def add_watched_photos(
        self, watch: WatchRecord, files: Sequence[str], day: str
    ) -> WatchedPhotos:
        """Add the photos a watch found to its batch of `day` (made now, pending, when the
        watch has none for that day or its batch was cancelled), with their outputs planned,
        and record them as taken — one transaction. The caller (the watch service's thread)
        starts or resumes the batch on the main thread."""
        pace = Pacer()
        config = self.check_config(watch.config, watch.template)
        current = self._store.get_batch(watch.batch_id) if watch.batch_id else None
        if current is not None and (watch.day != day or current.status is BatchStatus.CANCELLED):
            current = None
        ids = self._store.add_photos(list(files))
        sources = dict(zip(ids, files, strict=True))
        with self._planning:
            if current is not None:
                config = BatchConfig.from_dict(current.config)
                batch_id, output_dir = current.batch_id, Path(str(config.output_dir))
                header = None
                taken = self._store.output_paths_of(batch_id)
                first_seq = current.total_photos + 1
            else:
                batch_id, taken, first_seq = new_batch_id(), [], 1
                name = f"{watch.name} {day}"
                output_dir = self._output_dir(config, name, batch_id)
                config = BatchConfig.from_dict({**config.to_dict(), "output_dir": str(output_dir)})
                header = NewBatch(
                    batch_id=batch_id,
                    name=name,
                    session_id=None,
                    priority=0,
                    config=config.to_dict(),
                    status=BatchStatus.PENDING,
                    photos=[],
                    created_at=utc_now_iso(),
                )
            with taken_back_if_refused(output_dir) as created:
                check_writable_folder(output_dir)
                photos = self._plan_photos(
                    ids, sources, config, output_dir, batch_id, pace, taken=taken,
                    first_seq=first_seq,
                )  # fmt: skip
                created[:0] = create_output_folders(photos.folders, pace)
                summary = self._store.take_watched_photos(
                    watch.watch_id, day, header, batch_id, photos.rows, list(files)
                )
        return WatchedPhotos(summary, config)

    def example_names(
        self,
        config: dict[str, Any] | None,
        photo: str,
        *,
        template: str | None = None,
    ) -> list[str]:
        """Each output's path inside the output folder for `photo` as the first photo of a
        batch with `config` ("2025/Canon EOS 40D/IMG_0001.jpg"); InvalidBatchError for a
        config that cannot be used. Reads the photo's header when a template uses its facts."""
        parsed = self.check_config(config, template)
        return example_names(
            os.fspath(photo),
            output_namings(parsed),
            preset_name=parsed.preset,
            batch_id=EXAMPLE_BATCH_ID,
        )

    # -- internals ------------------------------------------------------------------------

    @staticmethod
    def _check_cancel(progress: Progress) -> None:
        if progress.cancelled():
            raise CreationCancelled

    def _store_in_steps(
        self,
        header: NewBatch,
        rows: PlannedPhotos,
        progress: Progress,
        pace: Callable[[], None],
    ) -> BatchSummary:
        total = len(rows)
        progress.begin(header.batch_id)
        self._store.begin_batch(header)
        try:
            for start in range(0, total, ROWS_PER_STEP):
                self._check_cancel(progress)
                stop = min(start + ROWS_PER_STEP, total)
                step = rows[start:stop]
                pace()
                self._store.add_batch_photos(header.batch_id, step, start)
                progress.report(stop, total)
            self._check_cancel(progress)
            return self._store.finish_batch(header.batch_id)
        except BaseException:
            self._store.discard_batch(header.batch_id)
            raise

    def _output_dir(self, config: BatchConfig, name: str | None, batch_id: str) -> Path:
        """The batch's own folder: as configured, else a new subfolder of the default
        output folder named after the batch ("Trip", then "Trip 2", … when taken)."""
        if config.output_dir:
            return Path(config.output_dir)
        sub = folder_name(name or "") or batch_id
        folder = self.output_root / sub
        number = 1
        while name and folder.exists():
            number += 1
            folder = self.output_root / f"{sub} {number}"
        return folder

    def _plan_photos(
        self,
        ids: list[int],
        sources: dict[int, str],
        config: BatchConfig,
        output_dir: Path,
        batch_id: str,
        pace: Callable[[], None] = no_pacing,
        *,
        taken: Sequence[str] = (),
        first_seq: int = 1,
    ) -> PlannedPhotos:
        """The path of every output of each photo, fixed now, never one another unfinished
        batch holds nor an input of this batch or of another unfinished one (nor one of
        `taken`, the batch's own). A photo skipped by the `skip` policy (its every output
        exists) is stored done at creation, pointing at the existing files, with no error."""
        folder = os.path.realpath(output_dir)
        try:
            planned = plan_outputs(
                [sources[i] for i in ids],
                output_dir=folder,
                outputs=output_namings(config),
                preset_name=config.preset,
                batch_id=batch_id,
                on_conflict=config.on_conflict,
                protected=self._store.inputs_of_unfinished_batches(besides=batch_id),
                reserved=self._store.reserved_outputs(folder, besides=batch_id),
                taken=taken,
                first_seq=first_seq,
                pace=pace,
            )
        except OutputConflictError as exc:
            raise InvalidBatchError(str(exc), batch_id) from exc
        return PlannedPhotos(ids, planned)
