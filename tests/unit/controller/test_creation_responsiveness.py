"""Creating a batch of 100,000 photos never freezes the GUI thread (a 5 ms timer keeps
firing on time), and the call that starts it returns at once."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from junmai_gui.controller.batch_controller import BatchController
from tests.conftest import LARGE_FOLDER_PHOTOS as PHOTOS
from tests.creating import finish
from tests.lateness import FREEZE_MS, QtProbe, allowed_ms, as_the_app_runs


def idle_max_ms(qtbot: Any, probe: QtProbe) -> float:
    probe.start()
    qtbot.waitUntil(lambda: len(probe.late_ms) >= 60, timeout=10_000)
    return probe.stop()


@pytest.mark.slow
def test_creating_100000_photos_never_blocks_the_gui_thread(
    make_controller: Callable[..., BatchController], large_folder: Path, qtbot: Any
) -> None:
    controller = make_controller()
    probe = QtProbe()
    progress: list[tuple[int, int]] = []
    with as_the_app_runs():
        idle = idle_max_ms(qtbot, probe)
        probe.start()
        began = time.perf_counter()
        creation = controller.start_batch(
            photo_paths=[str(large_folder)], config={"preset": "Identity"}, start=False
        )
        call_ms = (time.perf_counter() - began) * 1000
        creation.progressed.connect(lambda done, total: progress.append((done, total)))
        result = finish(creation)
        worst = probe.stop()

    assert result.photo_count == PHOTOS
    assert controller.batch(result.batch_id).total_photos == PHOTOS
    assert call_ms < FREEZE_MS, f"start_batch kept the GUI thread for {call_ms:.0f} ms"
    assert worst < allowed_ms(idle), f"a tick came {worst:.0f} ms late (idle: {idle:.0f} ms)"
    assert progress[-1] == (PHOTOS, PHOTOS)
    assert any(0 < done < PHOTOS for done, _total in progress)
