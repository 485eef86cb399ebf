"""Change notifications: at most one flush per interval, naming every key touched."""

from __future__ import annotations

import time
from typing import Any

from junmai_gui.controller.coalescer import ChangeCoalescer


def test_a_storm_of_touches_becomes_a_few_flushes(qtbot: Any) -> None:
    coalescer = ChangeCoalescer(interval_ms=50)
    flushed: list[list[str]] = []
    coalescer.flushed.connect(flushed.append)
    started = time.monotonic()
    for _ in range(20):
        for _ in range(500):
            coalescer.touch("batch_a")
            coalescer.touch("batch_b")
        count = len(flushed)
        qtbot.waitUntil(lambda count=count: len(flushed) > count)  # events flow between bursts
    elapsed = time.monotonic() - started
    assert 1 <= len(flushed) <= elapsed / 0.05 + 2
    assert all(keys == ["batch_a", "batch_b"] for keys in flushed)


def test_flush_now_emits_at_once_and_discard_forgets(qtbot: Any) -> None:
    coalescer = ChangeCoalescer(interval_ms=50)
    flushed: list[list[str]] = []
    coalescer.flushed.connect(flushed.append)
    coalescer.touch("batch_a")
    coalescer.flush_now("batch_a")
    assert flushed == [["batch_a"]]
    coalescer.touch("batch_b")
    coalescer.discard("batch_b")
    coalescer.touch("batch_c")
    qtbot.waitUntil(lambda: len(flushed) == 2)
    assert flushed == [["batch_a"], ["batch_c"]]
