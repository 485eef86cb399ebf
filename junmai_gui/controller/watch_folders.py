"""Watched folders: photos that appear in a folder are developed, each exactly once.

A watch is a folder and a batch config (or a template). A photo that appears there is
taken once its size and time have not changed for 2 s (`watch_scan.ArrivalTracker`), added
to the watch's batch of the day (made when the day's first photo arrives) and developed.
What each watch took is recorded in the store in the same transaction as the photo's row,
so no photo is ever developed twice by a watch, across crashes and launches; photos that
arrived while the app was closed are taken at the first scan after `start`.

Scanning and taking run on a thread of their own (a folder on a slow network share never
holds the window). It scans when `QFileSystemWatcher` reports a change, every `tick_s`
while a photo is settling, and every `rescan_s` anyway (network shares send no
notifications). `run_cycle(now=…)` is one pass; tests call it directly with their own clock.
The controller hears of every batch that took photos through `photos_taken`.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from PySide6.QtCore import QFileSystemWatcher, QObject, Signal

from junmai_gui.controller.planning import BatchPlanner
from junmai_gui.controller.watch_scan import SETTLE_S, ArrivalTracker, scan_folder
from junmai_gui.domain.errors import BatchError, ConflictError, InvalidBatchError, NotFoundError
from junmai_gui.domain.wording import QT_TRANSLATE_NOOP, Sentence
from junmai_gui.domain.workflows import WatchRecord, local_day
from junmai_gui.paths import log_fields
from junmai_gui.store.database import Store

log = logging.getLogger(__name__)

RESCAN_S = 10.0
TICK_S = 0.5
MAX_NAME = 200


def watch_dict(watch: WatchRecord) -> dict[str, Any]:
    """A watch as the API shows it: every field of the record."""
    return asdict(watch)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


class WatchFolders(QObject):
    """Adds, lists, pauses and removes watches (main thread); takes their photos (its thread)."""

    watches_changed = Signal()
    photos_taken = Signal(object)  # planning.WatchedPhotos, on the main thread

    def __init__(
        self,
        store: Store,
        planner: BatchPlanner,
        *,
        clock: Callable[[], float] = time.monotonic,
        settle_s: float = SETTLE_S,
        rescan_s: float = RESCAN_S,
        tick_s: float = TICK_S,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._planner = planner
        self._clock = clock
        self._settle_s = settle_s
        self._rescan_s = rescan_s
        self._tick_s = tick_s
        self._trackers: dict[int, ArrivalTracker] = {}
        self._taken: dict[int, set[str]] = {}
        self._errors: dict[int, str | None] = {}
        self._cycle_lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._notifier: QFileSystemWatcher | None = None

    # -- what the views and the API call (main thread) ---------------------------------------

    def watches(self) -> list[WatchRecord]:
        return self._store.watches()

    def watch(self, watch_id: int) -> WatchRecord:
        return self._store.watch(watch_id)

    def add(
        self,
        folder: str,
        config: dict[str, Any] | None = None,
        *,
        name: str | None = None,
        template: str | None = None,
    ) -> WatchRecord:
        """Watch `folder` (absolute) and develop what appears there with `config` (or the
        template named `template`, `config` over it). Refused: a folder that is not there,
        one watched already, a config that cannot be used, an output folder inside the
        watched folder (its outputs would be taken again)."""
        path = Path(folder)
        if not path.is_absolute() or "\x00" in folder:
            raise InvalidBatchError(
                Sentence(
                    QT_TRANSLATE_NOOP(
                        "Problem", "The folder to watch must be an absolute folder path"
                    )
                )
            )
        if not path.is_dir():
            raise NotFoundError(
                Sentence(
                    QT_TRANSLATE_NOOP("Problem", "There is no folder at {folder}"), folder=folder
                )
            )
        resolved = path.resolve()
        for other in self._store.watches():
            if Path(other.folder) == resolved:  # stored resolved: no disk access per watch
                raise ConflictError(
                    Sentence(
                        QT_TRANSLATE_NOOP("Problem", "{folder} is watched already (watch {watch})"),
                        folder=folder,
                        watch=other.watch_id,
                    )
                )
        parsed = self._planner.check_config(config, template)
        output = Path(parsed.output_dir).resolve() if parsed.output_dir else None
        root = self._planner.output_root.resolve()
        if (output and _inside(output, resolved)) or (not output and _inside(root, resolved)):
            raise InvalidBatchError(
                Sentence(
                    QT_TRANSLATE_NOOP(
                        "Problem",
                        "The output folder is inside the watched folder {folder}: its outputs "
                        "would be taken as new photos. Choose an output folder outside it.",
                    ),
                    folder=folder,
                )
            )
        label = (name or "").strip()[:MAX_NAME] or path.name or folder
        watch = self._store.add_watch(label, str(resolved), config, template)
        log.info(log_fields("Watching folder", watch_id=watch.watch_id, folder=watch.folder))
        self._follow(watch)
        self.watches_changed.emit()
        self.scan_now()
        return watch

    def remove(self, watch_id: int) -> None:
        """Stop watching (the batches it made stay)."""
        watch = self._store.watch(watch_id)
        self._store.remove_watch(watch_id)
        if self._notifier is not None:
            self._notifier.removePath(watch.folder)
        self.watches_changed.emit()

    def pause(self, watch_id: int) -> WatchRecord:
        """Take no new photo from this folder until resumed (what it took is developed)."""
        watch = self._store.set_watch_paused(watch_id, True)
        self.watches_changed.emit()
        return watch

    def resume(self, watch_id: int) -> WatchRecord:
        watch = self._store.set_watch_paused(watch_id, False)
        self.watches_changed.emit()
        self.scan_now()
        return watch

    # -- running -------------------------------------------------------------------------

    def start(self) -> None:
        """Follow every watch's folder and start scanning (the first scan takes what arrived
        while the app was closed)."""
        if self._thread is not None:
            return
        self._notifier = QFileSystemWatcher(self)
        self._notifier.directoryChanged.connect(self._on_directory_changed)
        for watch in self._store.watches():
            self._follow(watch)
        self._thread = threading.Thread(target=self._loop, name="watch-folders", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop scanning; a photo being taken is finished first (bounded by `timeout_s`)."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            self._thread = None

    def scan_now(self) -> None:
        """Scan at once (on the watch thread, when it runs)."""
        self._wake.set()

    def run_cycle(self, now: float | None = None, today: str | None = None) -> int:
        """One pass over the watches: scan each, take the photos that settled. Returns how
        many photos were taken. `now` (seconds, the tracker's clock) and `today` (the day
        of the batch, YYYY-MM-DD) default to the real ones."""
        moment = self._clock() if now is None else now
        day = today or local_day()
        taken = 0
        with self._cycle_lock:
            for watch in self._store.watches():
                if not watch.paused and not self._stopping.is_set():
                    taken += self._cycle_one(watch, moment, day)
        return taken

    # -- internals -----------------------------------------------------------------------

    def _loop(self) -> None:
        try:
            while not self._stopping.is_set():
                try:
                    self.run_cycle()
                except Exception:
                    log.exception("Scanning the watched folders failed")
                waiting = any(t.waiting for t in self._trackers.values())
                self._wake.wait(self._tick_s if waiting else self._rescan_s)
                self._wake.clear()
        finally:
            self._store.close()  # this thread's connection

    def _cycle_one(self, watch: WatchRecord, now: float, day: str) -> int:
        tracker = self._trackers.setdefault(watch.watch_id, ArrivalTracker(self._settle_s))
        taken = self._taken.get(watch.watch_id)
        if taken is None:
            taken = self._taken[watch.watch_id] = self._store.taken_paths(watch.watch_id)
        try:
            scan = scan_folder(watch.folder, skip=self._skipped_folders(watch))
        except OSError as exc:
            self._set_error(watch, f"The watched folder {watch.folder} cannot be read "
                            f"({exc.strerror or exc}); it is scanned again every "
                            f"{self._rescan_s:.0f} s")  # fmt: skip
            return 0
        ready = tracker.settled(scan, now, taken)
        if not ready:
            return 0
        try:
            result = self._planner.add_watched_photos(watch, ready, day)
        except BatchError as exc:
            self._set_error(watch, f"New photos in {watch.folder} were not taken: {exc.message}")
            return 0
        except Exception as exc:  # a bug or an unforeseen disk error: say so, keep watching
            log.exception("Taking photos from %s failed", watch.folder)
            self._set_error(watch, f"New photos in {watch.folder} were not taken: {exc}")
            return 0
        taken.update(ready)
        self._errors[watch.watch_id] = None
        log.info(
            log_fields(
                "Took photos from a watched folder",
                watch_id=watch.watch_id,
                batch_id=result.summary.batch_id,
                photo_count=len(ready),
            )
        )
        self.photos_taken.emit(result)
        return len(ready)

    def _skipped_folders(self, watch: WatchRecord) -> list[str]:
        """Output folders inside the watched one (set later, e.g. the default output folder)."""
        folders = [str(self._planner.output_root)]
        output = (watch.config or {}).get("output_dir")
        if isinstance(output, str):
            folders.append(output)
        return folders

    def _set_error(self, watch: WatchRecord, message: str) -> None:
        if self._errors.get(watch.watch_id) == message:
            return
        self._errors[watch.watch_id] = message
        log.warning(log_fields("Watched folder", watch_id=watch.watch_id, error=message))
        try:
            self._store.set_watch_error(watch.watch_id, message)
        except BatchError:
            return  # removed meanwhile
        self.watches_changed.emit()

    def _follow(self, watch: WatchRecord) -> None:
        if self._notifier is not None and os.path.isdir(watch.folder):
            self._notifier.addPath(watch.folder)

    def _on_directory_changed(self, _folder: str) -> None:
        self.scan_now()
