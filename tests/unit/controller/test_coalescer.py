"""Change notifications: at most one per key per interval, however many touches."""

from __future__ import annotations

import time
from typing import Any

from junmai_gui.controller.coalescer import ChangeCoalescer


def test_a_storm_of_touches_becomes_a_few_flushes(qtbot: Any) -> None:
    coalescer = ChangeCoalescer(interval_ms=50)
    flushed: list[str] = []
    coalescer.flushed.connect(flushed.append)
    started = time.monotonic()
    for _ in range(20):
        for _ in range(500):
            coalescer.touch("batch_a")
            coalescer.touch("batch_b")
        qtbot.waitUntil(lambda: flushed.count("batch_a") >= 1)  # events flow between bursts
    qtbot.waitUntil(lambda: flushed.count("batch_a") == flushed.count("batch_b"))
    elapsed = time.monotonic() - started
    assert 1 <= flushed.count("batch_a") <= elapsed / 0.05 + 2
    assert flushed.count("batch_b") == flushed.count("batch_a")


def test_flush_now_emits_at_once_and_discard_forgets(qtbot: Any) -> None:
    coalescer = ChangeCoalescer(interval_ms=50)
    flushed: list[str] = []
    coalescer.flushed.connect(flushed.append)
    coalescer.touch("batch_a")
    coalescer.flush_now("batch_a")
    assert flushed == ["batch_a"]
    coalescer.touch("batch_b")
    coalescer.discard("batch_b")
    coalescer.touch("batch_c")
    qtbot.waitUntil(lambda: "batch_c" in flushed)
    assert flushed == ["batch_a", "batch_c"]
