"""Photos per minute and time left, on a clock the test moves."""

from __future__ import annotations

from pathlib import Path

import pytest

from junmai_gui.controller.batch_book import BatchBook
from junmai_gui.controller.throughput import WINDOW_S, ThroughputMeter
from junmai_gui.store import Store


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_rate_is_photos_in_the_last_minute_and_decays_when_work_stops() -> None:
    clock = Clock()
    meter = ThroughputMeter(clock)
    assert meter.per_minute() == 0.0 and meter.eta_seconds(10) is None
    for _ in range(30):  # one photo every 2 s for a minute
        clock.now += 2
        meter.record()
    assert meter.per_minute() == pytest.approx(30.0)
    assert meter.eta_seconds(15) == pytest.approx(30.0)
    assert meter.eta_seconds(0) == 0.0
    clock.now += WINDOW_S / 2  # a stall: half the window without a photo
    assert meter.per_minute() == pytest.approx(15.0, abs=1.0)
    clock.now += WINDOW_S
    assert meter.per_minute() == 0.0 and meter.eta_seconds(3) is None


def test_a_restart_measures_from_the_resume_not_from_before_the_pause() -> None:
    clock = Clock()
    meter = ThroughputMeter(clock)
    for _ in range(10):
        clock.now += 1
        meter.record()
    clock.now += 600  # paused for ten minutes
    meter.restart()
    for _ in range(5):
        clock.now += 2
        meter.record()
    assert meter.per_minute() == pytest.approx(30.0)


def test_overall_speed_is_measured_from_when_work_starts_after_idle(data_dir: Path) -> None:
    clock = Clock()
    store = Store.open(data_dir)
    try:
        book = BatchBook(store, clock)
        clock.now += 600  # the app sat idle for ten minutes
        book.start_meter("batch_a")
        for _ in range(10):
            clock.now += 0.5
            book.record_photo("batch_a")
        assert book.per_minute(None, working=True) == pytest.approx(120.0)
    finally:
        store.close()
