"""Folder scans off the GUI thread: which dropped files are photos, and which are not.

A dropped folder may hold tens of thousands of files on a slow drive; `FolderScanner`
walks it on the thread pool with `develop.formats.collect_photos` and reports back. A newer
scan makes the results of an older one obsolete.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from junmai_gui.develop.formats import collect_photos


@dataclass(frozen=True)
class ScanResult:
    generation: int
    files: list[Path] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)


class ScanSignals(QObject):
    scanned = Signal(object)  # ScanResult


class ScanWorker(QRunnable):
    def __init__(self, generation: int, paths: list[str]) -> None:
        super().__init__()
        self.generation = generation
        self.paths = paths
        self.signals = ScanSignals()

    def run(self) -> None:
        try:
            found = collect_photos(self.paths)
            result = ScanResult(self.generation, list(found.files), list(found.rejected))
        except OSError as exc:
            where = exc.filename or "the dropped files"
            result = ScanResult(
                self.generation, [], [(str(where), f"Could not be read: {exc.strerror}")]
            )
        self.signals.scanned.emit(result)


class FolderScanner(QObject):
    """`scan(paths)` reports `scanned(ScanResult)` for the newest request only."""

    scanned = Signal(object)

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._generation = 0
        self._running: dict[int, ScanWorker] = {}

    @property
    def busy(self) -> bool:
        """Whether the newest scan is still running."""
        return self._generation in self._running

    def scan(self, paths: list[str]) -> None:
        self._generation += 1
        worker = ScanWorker(self._generation, list(paths))
        worker.signals.scanned.connect(self._on_scanned)
        self._running[self._generation] = worker
        self._pool.start(worker)

    def forget(self) -> None:
        """Drop the results of scans still running."""
        self._generation += 1

    def _on_scanned(self, result: ScanResult) -> None:
        self._running.pop(result.generation, None)
        if result.generation == self._generation:
            self.scanned.emit(result)
