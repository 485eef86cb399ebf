"""Photos per minute as a moving average over the last minute, and the time left."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

WINDOW_S = 60.0
MIN_SPAN_S = 1.0


class ThroughputMeter:
    """Counts finished photos in a sliding window.

    The rate is the photos finished in the last `WINDOW_S` seconds divided by the time
    covered, measured from when the meter was (re)started if that is more recent, so a
    stalled batch decays towards zero instead of keeping its last speed.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._events: deque[float] = deque()
        self._started = clock()

    def restart(self) -> None:
        """Measure from now (a batch resumed after a pause)."""
        self._events.clear()
        self._started = self._clock()

    def restart_if_idle(self) -> None:
        """Restart when nothing was recorded in the last window (the batch waited)."""
        now = self._clock()
        self._trim(now)
        if not self._events:
            self._events.clear()
            self._started = now

    def record(self) -> None:
        now = self._clock()
        self._events.append(now)
        self._trim(now)

    def _trim(self, now: float) -> None:
        cutoff = now - WINDOW_S
        while self._events and self._events[0] < cutoff:
            self._events.popleft()

    def per_minute(self) -> float:
        now = self._clock()
        self._trim(now)
        if not self._events:
            return 0.0
        span = max(now - max(self._started, now - WINDOW_S), MIN_SPAN_S)
        return round(len(self._events) * 60.0 / span, 2)

    def eta_seconds(self, remaining: int) -> float | None:
        """Seconds until `remaining` photos are done at the current rate; None when unknown."""
        if remaining <= 0:
            return 0.0
        rate = self.per_minute()
        if rate <= 0:
            return None
        return round(remaining * 60.0 / rate, 1)
