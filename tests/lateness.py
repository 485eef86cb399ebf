"""How late a 5 ms timer fires on the GUI thread or the asyncio loop: the measure of whether
work elsewhere freezes the window or the API. Compared with the same probe idle, first, so
a machine that is busy anyway does not fail a test by itself. Tests catch a freeze (creating
a 100,000-photo batch once held the loop for 21 s); the 50 ms target itself is measured by
benchmarks/gui_responsiveness.py, since a shared machine can delay any tick by that much.
The benchmarks measure with this same probe (they put the repository on their import path).

`as_the_app_runs()` freezes the objects alive so far out of the garbage collector's way, as
the app does once it has started (app.py): a test process holds pytest's million objects,
whose full collections would otherwise be what the probe measures.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
from collections.abc import Iterator

from PySide6.QtCore import QElapsedTimer, Qt, QTimer

TICK_MS = 5
FREEZE_MS = 250.0


@contextlib.contextmanager
def as_the_app_runs() -> Iterator[None]:
    import sys

    gc.collect()
    gc.freeze()
    old = sys.getswitchinterval()
    sys.setswitchinterval(0.001)
    try:
        yield
    finally:
        sys.setswitchinterval(old)
        gc.unfreeze()


def allowed_ms(idle_max_ms: float) -> float:
    """A freeze (250 ms), or four times what the idle probe saw when the machine is busier."""
    return max(FREEZE_MS, 4 * idle_max_ms)


class QtProbe:
    """A precise 5 ms QTimer on the GUI thread; `late_ms` holds each tick's lateness."""

    def __init__(self) -> None:
        self.late_ms: list[float] = []
        self._clock = QElapsedTimer()
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._last = 0

    def start(self) -> None:
        self.late_ms = []
        self._clock.start()
        self._last = self._clock.nsecsElapsed()
        self._timer.start()

    def stop(self) -> float:
        """Stop; the largest lateness seen, in ms."""
        self._timer.stop()
        return max(self.late_ms, default=0.0)

    def _tick(self) -> None:
        now = self._clock.nsecsElapsed()
        self.late_ms.append(max(0.0, (now - self._last) / 1e6 - TICK_MS))
        self._last = now


async def loop_probe(late_ms: list[float], stop: asyncio.Event) -> None:
    """Sleep 5 ms at a time on the running loop until `stop`; record each wake's lateness."""
    while not stop.is_set():
        began = time.perf_counter()
        await asyncio.sleep(TICK_MS / 1000)
        late_ms.append(max(0.0, (time.perf_counter() - began) * 1000 - TICK_MS))
