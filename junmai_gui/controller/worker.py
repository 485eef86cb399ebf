"""One photo developed on a pool thread, its result recorded on that thread's connection."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from junmai_gui.develop.engine import CancelToken, OutputOptions
from junmai_gui.develop.errors import (
    DevelopCancelled,
    DiskFullError,
    OutputUnavailableError,
    PhotoError,
    PresetError,
)
from junmai_gui.develop.preset import Preset
from junmai_gui.store.database import Store
from junmai_gui.store.records import PhotoTask

log = logging.getLogger(__name__)

DevelopFunction = Callable[..., Any]
"""`develop_photo(source, output, preset, blend, options, *, cancel)` of develop.engine."""


class Outcome(StrEnum):
    """How a photo ended, and so what the controller does about its batch."""

    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"  # back to pending
    DISK_FULL = "disk_full"  # back to pending; the batch pauses
    OUTPUT_UNAVAILABLE = "output_unavailable"  # back to pending; the batch pauses
    PRESET_ERROR = "preset_error"  # back to pending; the batch fails


@dataclass(frozen=True)
class PhotoResult:
    """How a photo ended. `store_error` is set when the store refused to record it on the
    worker's thread: the photo is then still stored running, and the controller records the
    outcome again on the main thread."""

    batch_id: str
    photo_id: int
    outcome: Outcome
    message: str | None = None
    seconds: float = 0.0
    source_path: str = ""
    store_error: str | None = None


def record_outcome(
    store: Store, batch_id: str, photo_id: int, outcome: Outcome, message: str | None
) -> None:
    """Commit how a running photo ended: done or failed, else back to pending."""
    if outcome in (Outcome.DONE, Outcome.FAILED):
        ok = outcome is Outcome.DONE
        store.record_photo_result(batch_id, photo_id, ok=ok, error=None if ok else message)
    else:
        store.return_photo_to_pending(batch_id, photo_id)


class WorkerSignals(QObject):
    """Lives on the main thread; `finished` reaches the controller as a queued call."""

    finished = Signal(object)  # PhotoResult


class PhotoWorker:
    """Develops one photo, records the result in the store, then emits `signals.finished`.

    The photo was marked running (attempts + 1, committed) by the controller before this
    worker was submitted. The result is committed here, on the pool thread's own store
    connection, so the store is right even if the main thread never processes the signal
    (a quit that drains the pool).

    The runner starts `run` on its QThreadPool as a callable, which Qt wraps in a QRunnable
    that it deletes once run. A QRunnable subclass does not fit here: PySide keeps every one
    started with autoDelete off alive for good (10,000 photos left 10,000 workers and their
    signal objects, whose garbage collections stalled the GUI thread), and with autoDelete
    on, the runnable and its signals object can go before the queued `finished` arrives.
    The runner holds this worker until `finished` is handled.
    """

    def __init__(
        self,
        task: PhotoTask,
        store: Store,
        develop: DevelopFunction,
        preset: Preset,
        blend: float,
        options: OutputOptions,
        cancel: CancelToken,
        write_lock: threading.Lock,
    ) -> None:
        self.task = task
        self.cancel = cancel
        self.signals = WorkerSignals()
        self._store = store
        self._develop_function = develop
        self._preset = preset
        self._blend = blend
        self._options = options
        self._write_lock = write_lock

    def run(self) -> None:
        started = time.perf_counter()
        task = self.task
        outcome, message = self._develop()
        store_error = None
        try:
            with self._write_lock:
                record_outcome(self._store, task.batch_id, task.photo_id, outcome, message)
        except Exception as exc:
            log.exception("Could not record how photo %s ended (%s)", task.photo_id, outcome)
            store_error = str(exc) or type(exc).__name__
        result = PhotoResult(
            task.batch_id,
            task.photo_id,
            outcome,
            message,
            time.perf_counter() - started,
            task.source_path,
            store_error,
        )
        self.signals.finished.emit(result)

    def _develop(self) -> tuple[Outcome, str | None]:
        task = self.task
        name = Path(task.source_path).name
        if not task.output_path:  # never develop onto Path(""): the controller plans it first
            return Outcome.FAILED, f"{name} has no output file planned, so it was not developed"
        try:
            self._develop_function(
                Path(task.source_path),
                Path(task.output_path),
                self._preset,
                self._blend,
                self._options,
                cancel=self.cancel,
            )
        except DevelopCancelled:
            return Outcome.CANCELLED, None
        except DiskFullError as exc:
            return Outcome.DISK_FULL, exc.message
        except OutputUnavailableError as exc:
            return Outcome.OUTPUT_UNAVAILABLE, exc.message
        except PresetError as exc:
            return Outcome.PRESET_ERROR, exc.message
        except PhotoError as exc:
            return Outcome.FAILED, exc.message
        except Exception as exc:  # a bug or an unforeseen library error fails this photo only
            log.exception("Unexpected error while developing %s", task.source_path)
            return Outcome.FAILED, f"{name} could not be developed: {exc}"
        return Outcome.DONE, None
