"""Photos per minute and time left, on a clock the test moves."""

from __future__ import annotations

import pytest

from junmai_gui.controller.throughput import WINDOW_S, ThroughputMeter


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


def test_a_batch_that_waited_for_a_worker_is_measured_from_its_first_photo() -> None:
    clock = Clock()
    meter = ThroughputMeter(clock)
    clock.now += 600  # started, but every worker went to another batch for ten minutes
    meter.restart_if_idle()  # its first photo starts
    for _ in range(10):
        clock.now += 0.5
        meter.record()
    meter.restart_if_idle()  # more photos start: it is busy, nothing restarts
    assert meter.per_minute() == pytest.approx(120.0)
