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

from PySide6.QtCore import QObject, QRunnable, Signal

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
    NOT_RECORDED = "not_recorded"  # the store refused the result; the photo stays running


@dataclass(frozen=True)
class PhotoResult:
    batch_id: str
    photo_id: int
    outcome: Outcome
    message: str | None = None
    seconds: float = 0.0


class WorkerSignals(QObject):
    """Lives on the main thread; `finished` reaches the controller as a queued call."""

    finished = Signal(object)  # PhotoResult


class PhotoWorker(QRunnable):
    """Develops one photo, records the result in the store, then emits `signals.finished`.

    The photo was marked running (attempts + 1, committed) by the controller before this
    runnable was submitted. The result is committed here, on the pool thread's own store
    connection, so the store is right even if the main thread never processes the signal
    (a quit that drains the pool).
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
        super().__init__()
        self.setAutoDelete(False)  # the controller holds it until `finished` is handled
        self.task = task
        self.cancel = cancel
        self.signals = WorkerSignals()
        self._store = store
        self._develop = develop
        self._preset = preset
        self._blend = blend
        self._options = options
        self._write_lock = write_lock

    def run(self) -> None:
        started = time.perf_counter()
        outcome, message = self._develop_and_record()
        result = PhotoResult(
            self.task.batch_id,
            self.task.photo_id,
            outcome,
            message,
            time.perf_counter() - started,
        )
        self.signals.finished.emit(result)

    def _develop_and_record(self) -> tuple[Outcome, str | None]:
        task = self.task
        name = Path(task.source_path).name
        try:
            self._develop(
                Path(task.source_path),
                Path(task.output_path),
                self._preset,
                self._blend,
                self._options,
                cancel=self.cancel,
            )
        except DevelopCancelled:
            return self._back_to_pending(Outcome.CANCELLED, None)
        except DiskFullError as exc:
            return self._back_to_pending(Outcome.DISK_FULL, exc.message)
        except OutputUnavailableError as exc:
            return self._back_to_pending(Outcome.OUTPUT_UNAVAILABLE, exc.message)
        except PresetError as exc:
            return self._back_to_pending(Outcome.PRESET_ERROR, exc.message)
        except PhotoError as exc:
            return self._record(False, exc.message)
        except Exception as exc:  # a bug or an unforeseen library error fails this photo only
            log.exception("Unexpected error while developing %s", task.source_path)
            return self._record(False, f"{name} could not be developed: {exc}")
        return self._record(True, None)

    def _record(self, ok: bool, error: str | None) -> tuple[Outcome, str | None]:
        try:
            with self._write_lock:
                self._store.record_photo_result(
                    self.task.batch_id, self.task.photo_id, ok=ok, error=error
                )
        except Exception as exc:
            log.exception("Could not record the result of photo %s", self.task.photo_id)
            return Outcome.NOT_RECORDED, str(exc)
        return (Outcome.DONE if ok else Outcome.FAILED), error

    def _back_to_pending(self, outcome: Outcome, message: str | None) -> tuple[Outcome, str | None]:
        try:
            with self._write_lock:
                self._store.return_photo_to_pending(self.task.batch_id, self.task.photo_id)
        except Exception as exc:
            log.exception("Could not return photo %s to pending", self.task.photo_id)
            return Outcome.NOT_RECORDED, str(exc)
        return outcome, message
