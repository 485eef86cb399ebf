"""Coalesces change notifications so a fast batch cannot flood the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

INTERVAL_MS = 100  # at most ~10 notifications a second


class ChangeCoalescer(QObject):
    """Collects keys marked as changed and emits `flushed(keys)` once per interval with every
    key touched since the last one.

    `touch(key)` is cheap and may run thousands of times a second; `flush_now(key)` emits at
    once (a user action the views should show without delay).
    """

    flushed = Signal(object)  # list[str]

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._pending: dict[str, None] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_timeout)

    def touch(self, key: str) -> None:
        self._pending[key] = None
        if not self._timer.isActive():
            self._timer.start()

    def flush_now(self, key: str) -> None:
        self._pending.pop(key, None)
        self.flushed.emit([key])

    def discard(self, key: str) -> None:
        self._pending.pop(key, None)

    def stop(self) -> None:
        self._timer.stop()
        self._pending.clear()

    def _on_timeout(self) -> None:
        keys, self._pending = list(self._pending), {}
        if keys:
            self.flushed.emit(keys)
