"""Watched folders: a photo is taken once it stops changing for 2 s, added to the watch's batch
of the day and developed exactly once, across scans and launches.

Time is the tests' own: `run_cycle(now=…)` is one scan at that moment, so the 2-second rule
is checked without waiting for it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import pyvips

from junmai_gui.controller.batch_controller import BatchController
from junmai_gui.controller.watch_scan import ArrivalTracker, scan_folder
from junmai_gui.domain.errors import ConflictError, InvalidBatchError, NotFoundError
from junmai_gui.domain.status import BatchStatus
from junmai_gui.store.database import Store
from tests.unit.controller.helpers import Instrumented

MakeController = Callable[..., BatchController]
DAY = "2025-11-09"


def _photo_bytes(tmp_path: Path) -> bytes:
    image = pyvips.Image.gaussnoise(600, 400, mean=120, sigma=30).cast("uchar")
    image = image.bandjoin([image, image]).copy(interpretation="srgb")
    return bytes(image.jpegsave_buffer(Q=90))


def _wait_done(qtbot: Any, controller: BatchController, batch_id: str, count: int) -> None:
    qtbot.waitUntil(
        lambda: (
            controller.batch(batch_id).processed_count == count
            and controller.batch(batch_id).status is BatchStatus.COMPLETED
        ),
        timeout=60_000,
    )


def test_a_photo_copied_in_slowly_is_developed_exactly_once(
    make_controller: MakeController,
    develop: Instrumented,
    tmp_path: Path,
    qtbot: Any,
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    controller = make_controller(develop)
    watches = controller.watch_folders
    config = {"preset": "Identity", "output_dir": str(tmp_path / "out")}
    watch = watches.add(str(inbox), config, name="Tethered")
    data = _photo_bytes(tmp_path)
    chunks = [data[i : i + len(data) // 4 + 1] for i in range(0, len(data), len(data) // 4 + 1)]
    target = inbox / "DSC_0001.jpg"
    now = 100.0
    with open(target, "wb") as copying:
        for chunk in chunks:  # one chunk a second: each scan sees it still growing
            copying.write(chunk)
            copying.flush()
            assert watches.run_cycle(now=now, today=DAY) == 0
            now += 1.0
    complete = now - 1.0  # the last scan saw the whole file
    assert watches.run_cycle(now=complete + 1.9, today=DAY) == 0
    with qtbot.waitSignal(controller.batch_added):
        assert watches.run_cycle(now=complete + 2.0, today=DAY) == 1
    batch_id = watches.watch(watch.watch_id).batch_id
    assert batch_id is not None
    assert controller.batch(batch_id).name == f"Tethered {DAY}"
    _wait_done(qtbot, controller, batch_id, 1)
    for later in (5.0, 15.0, 60.0):  # rescans, a file touched again: never taken twice
        target.touch()
        assert watches.run_cycle(now=now + later, today=DAY) == 0
    assert sum(develop.successes.values()) == 1
    assert (tmp_path / "out" / "DSC_0001_Identity.jpg").read_bytes()[:2] == b"\xff\xd8"


def test_photos_go_to_the_batch_of_the_day_which_runs_again(
    make_controller: MakeController, photos: Callable[..., list[Path]], tmp_path: Path, qtbot: Any
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    controller = make_controller()
    watches = controller.watch_folders
    watch = watches.add(str(inbox), {"preset": "Identity", "naming": "{seq:03}_{stem}"})
    first = photos(2, folder="inbox", prefix="a")
    watches.run_cycle(now=0, today=DAY)
    assert watches.run_cycle(now=2, today=DAY) == 2
    batch_id = str(watches.watch(watch.watch_id).batch_id)
    _wait_done(qtbot, controller, batch_id, 2)
    photos(1, folder="inbox", prefix="b")  # later that day: the finished batch runs again
    watches.run_cycle(now=10, today=DAY)
    assert watches.run_cycle(now=12, today=DAY) == 1
    _wait_done(qtbot, controller, batch_id, 3)
    outputs = sorted(Path(r.output_path).name for r in controller.batch_photos(batch_id))
    assert outputs == ["001_a_000.jpg", "002_a_001.jpg", "003_b_000.jpg"]
    photos(1, folder="inbox", prefix="c")  # the next day: a batch of its own
    watches.run_cycle(now=20, today="2025-11-10")
    assert watches.run_cycle(now=22, today="2025-11-10") == 1
    assert watches.watch(watch.watch_id).batch_id != batch_id
    assert len(first) == 2


def test_a_paused_watch_takes_nothing_until_resumed(
    make_controller: MakeController, photos: Callable[..., list[Path]], tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    controller = make_controller()
    watches = controller.watch_folders
    watch = watches.add(str(inbox), {"preset": "Identity"})
    assert watches.pause(watch.watch_id).paused
    photos(1, folder="inbox")
    watches.run_cycle(now=0, today=DAY)
    assert watches.run_cycle(now=5, today=DAY) == 0
    assert not watches.resume(watch.watch_id).paused
    watches.run_cycle(now=6, today=DAY)
    assert watches.run_cycle(now=8, today=DAY) == 1


def test_what_a_watch_took_is_remembered_by_the_next_launch(
    make_controller: MakeController,
    store: Store,
    presets: Any,
    photos: Callable[..., list[Path]],
    tmp_path: Path,
    qtbot: Any,
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    first = make_controller()
    watch = first.watch_folders.add(str(inbox), {"preset": "Identity"})
    photos(2, folder="inbox")
    first.watch_folders.run_cycle(now=0, today=DAY)
    assert first.watch_folders.run_cycle(now=3, today=DAY) == 2
    first.shutdown(timeout_s=10)
    photos(3, folder="inbox")  # two taken already, one new
    second = make_controller()
    second.recover_interrupted_batches()
    second.watch_folders.run_cycle(now=0, today=DAY)
    assert second.watch_folders.run_cycle(now=3, today=DAY) == 1
    batch_id = str(store.watch(watch.watch_id).batch_id)
    assert second.batch(batch_id).total_photos == 3


def test_watches_that_cannot_work_are_refused_with_a_sentence(
    make_controller: MakeController, tmp_path: Path
) -> None:
    controller = make_controller()
    watches = controller.watch_folders
    with pytest.raises(NotFoundError, match="There is no folder at"):
        watches.add(str(tmp_path / "missing"), {"preset": "Identity"})
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with pytest.raises(InvalidBatchError, match="output folder is inside the watched folder"):
        watches.add(str(inbox), {"preset": "Identity", "output_dir": str(inbox / "out")})
    with pytest.raises(InvalidBatchError, match="no preset named"):
        watches.add(str(inbox), {"preset": "Nope"})
    watches.add(str(inbox), {"preset": "Identity"})
    with pytest.raises(ConflictError, match="is watched already"):
        watches.add(str(inbox) + "/", {"preset": "Identity"})


def test_an_unreadable_folder_is_reported_on_the_watch(
    make_controller: MakeController, tmp_path: Path, qtbot: Any
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    controller = make_controller()
    watch = controller.watch_folders.add(str(inbox), {"preset": "Identity"})
    inbox.rmdir()  # an unplugged card reader
    with qtbot.waitSignal(controller.watch_folders.watches_changed):
        controller.watch_folders.run_cycle(now=0, today=DAY)
    error = controller.watch_folders.watch(watch.watch_id).error
    assert error is not None and "cannot be read" in error and str(inbox) in error


def test_the_arrival_rule_and_what_a_scan_leaves_out(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "out").mkdir()
    for name in (
        "a.jpg",
        "sub/b.NEF",
        ".hidden.jpg",
        ".junmai-tmp-x-c.jpg",
        "notes.txt",
        "out/d.jpg",
    ):
        (tmp_path / name).write_bytes(b"x")
    found = scan_folder(str(tmp_path), skip=[str(tmp_path / "out")])
    assert sorted(Path(p).relative_to(tmp_path).as_posix() for p in found) == ["a.jpg", "sub/b.NEF"]
    tracker = ArrivalTracker(settle_s=2.0)
    a = str(tmp_path / "a.jpg")
    assert tracker.settled({a: (1, 1)}, 0.0, set()) == []
    assert tracker.settled({a: (2, 2)}, 1.5, set()) == []  # grew: counts from now
    assert tracker.settled({a: (2, 2)}, 3.0, set()) == []
    assert tracker.settled({a: (2, 2)}, 3.5, set()) == [a]
    assert tracker.settled({a: (2, 2)}, 9.0, {a}) == [] and not tracker.waiting
