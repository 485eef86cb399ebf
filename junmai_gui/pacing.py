"""Letting a background thread give way to the GUI thread and the API's event loop.

Python runs one thread at a time (the GIL). A thread looping over 100,000 photos hands the
GIL over only when another thread has waited for it 5 ms, and on a busy machine each of
those hand-overs can wait again for a CPU: a window or a server that needs the GIL several
times to answer one event then stalls for a tenth of a second. A `Pacer`, called inside such
a loop, sleeps a moment after every few milliseconds of work, so whoever waits gets the GIL
(and the CPU) at once. It costs the loop about a fifth of its speed, never the window its
responsiveness.
"""

from __future__ import annotations

import time


class Pacer:
    """Call it often; after `busy_s` of work since the last rest it sleeps `rest_s`."""

    def __init__(self, busy_s: float = 0.004, rest_s: float = 0.001) -> None:
        self._busy_s = busy_s
        self._rest_s = rest_s
        self._since = time.perf_counter()

    def __call__(self) -> None:
        if time.perf_counter() - self._since >= self._busy_s:
            time.sleep(self._rest_s)
            self._since = time.perf_counter()


def no_pacing() -> None:
    """For loops that run where nobody waits (the command line, tests of the loop itself)."""
