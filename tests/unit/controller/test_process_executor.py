"""The default executor with real develop processes: a photo that crashes its process fails
alone, a read that never returns is cancelled, quitting is bounded, tables are shared."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import pyvips

from junmai_gui.controller.batch_controller import BatchController, ControllerSettings
from junmai_gui.controller.process_executor import HARD_CANCEL_S, LocalProcessExecutor
from junmai_gui.develop.files import TEMP_PREFIX
from junmai_gui.develop.library import PresetLibrary
from junmai_gui.develop.pipeline import shared_tables
from junmai_gui.domain.status import BatchStatus, PauseReason, PhotoState
from junmai_gui.store.database import Store
from tests.creating import create
from tests.photos import make_photos
from tests.unit.controller.helpers import (
    ATTEMPTS_ENV,
    CRASH_HOW_ENV,
    CRASH_ON_ENV,
    GATE_FILE_ENV,
    GATE_ON_ENV,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name == "nt", reason="signals and FIFOs are POSIX"),
]

CRASHING = "tests.unit.controller.helpers:crashing_develop"
GATED = "tests.unit.controller.helpers:gated_develop"
CONFIG = {"preset": "Identity"}

MakeController = Callable[..., BatchController]


@pytest.fixture
def make_controller(
    store: Store, data_dir: Path, tmp_path: Path, qtbot: Any
) -> Iterator[MakeController]:
    made: list[BatchController] = []

    def make(workers: int = 2, develop: str | None = None) -> BatchController:
        kwargs = {"develop": develop} if develop else {}
        executor = LocalProcessExecutor(workers, data_dir / "cache", **kwargs)
        controller = BatchController(
            store,
            PresetLibrary(None),
            ControllerSettings(workers=workers, default_output_dir=tmp_path / "out"),
            executor,
        )
        made.append(controller)
        return controller

    yield make
    for controller in made:
        controller.close()


def wait_status(qtbot: Any, controller: BatchController, batch_id: str, status: str) -> None:
    qtbot.waitUntil(lambda: controller.batch(batch_id).status == status, timeout=120_000)


@pytest.mark.parametrize("how", ["exit", "segv"])
def test_a_photo_that_crashes_its_process_fails_alone_after_one_retry(
    make_controller: MakeController,
    tmp_path: Path,
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    how: str,
) -> None:
    attempts = tmp_path / "attempts.txt"
    monkeypatch.setenv(CRASH_ON_ENV, "photo_003")
    monkeypatch.setenv(CRASH_HOW_ENV, how)
    monkeypatch.setenv(ATTEMPTS_ENV, str(attempts))
    make_photos(tmp_path / "in", 8)
    controller = make_controller(develop=CRASHING)
    batch_id = create(controller, config=CONFIG, photo_paths=[str(tmp_path / "in")]).batch_id
    wait_status(qtbot, controller, batch_id, "completed")
    summary = controller.batch(batch_id)
    assert (summary.processed_count, summary.failed_count) == (7, 1)
    (failed,) = controller.batch_photos(batch_id, PhotoState.FAILED)
    assert Path(failed.source_path).stem == "photo_003"
    assert failed.error is not None
    assert failed.error.startswith("The decoder crashed on this photo (photo_003.jpg)")
    assert attempts.read_text().split().count("photo_003") == 2  # one retry, in a fresh process
    names = sorted(p.name for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert len(names) == 7 and not [n for n in names if n.startswith(TEMP_PREFIX)]


def _fifo_in_place_of(photo: Path) -> None:
    """A photo replaced by a FIFO nobody writes to: reading it never returns, as a read from
    a hung network share would not."""
    photo.unlink()
    os.mkfifo(photo)


def test_cancel_ends_a_photo_stuck_in_a_read_within_three_seconds(
    make_controller: MakeController, tmp_path: Path, qtbot: Any
) -> None:
    (stuck,) = make_photos(tmp_path / "in", 1)
    controller = make_controller(workers=1)
    batch_id = create(controller, config=CONFIG, photo_paths=[str(stuck)], start=False).batch_id
    _fifo_in_place_of(stuck)
    controller.resume_batch(batch_id)
    qtbot.waitUntil(lambda: controller.batch(batch_id).running_count == 1, timeout=60_000)
    executor = controller.executor
    assert isinstance(executor, LocalProcessExecutor)
    qtbot.waitUntil(lambda: executor.developing() == 1, timeout=60_000)  # in the read itself
    started = time.monotonic()
    controller.cancel_batch(batch_id)
    qtbot.waitUntil(lambda: controller.batch(batch_id).running_count == 0, timeout=10_000)
    # the hard cancel, with room for a busy machine to end the process and report it
    assert time.monotonic() - started < HARD_CANCEL_S + 3.0
    summary = controller.batch(batch_id)
    assert summary.status is BatchStatus.CANCELLED
    assert (summary.running_count, summary.failed_count) == (0, 0)
    assert not [p for p in (tmp_path / "out").rglob("*") if p.is_file()]


def test_quit_with_a_photo_stuck_in_a_read_is_bounded_and_the_photo_stays_pending(
    make_controller: MakeController, store: Store, tmp_path: Path, qtbot: Any
) -> None:
    photos = make_photos(tmp_path / "in", 3)
    controller = make_controller(workers=1)
    batch_id = create(controller, config=CONFIG, photo_paths=[str(photos[0])], start=False).batch_id
    _fifo_in_place_of(photos[0])
    controller.resume_batch(batch_id)
    qtbot.waitUntil(lambda: controller.batch(batch_id).running_count == 1, timeout=60_000)
    started = time.monotonic()
    controller.shutdown()
    assert time.monotonic() - started < 10.0
    summary = store.get_batch(batch_id)
    assert summary is not None and summary.status is BatchStatus.PAUSED
    assert (summary.pending_count, summary.running_count) == (1, 0)


def test_the_baked_table_is_built_once_and_shared_by_the_processes(
    make_controller: MakeController, data_dir: Path, tmp_path: Path, qtbot: Any
) -> None:
    """Photos large enough for the 256³ table, in two processes at once: one table file,
    written once (a second build would replace it with a new file)."""
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(4):
        image = pyvips.Image.gaussnoise(2400, 1700, mean=120 + i, sigma=40)
        image.bandjoin([image, image]).cast("uchar").copy(interpretation="srgb").jpegsave(
            str(folder / f"big_{i}.jpg")
        )
    controller = make_controller(workers=2)
    first_done = threading.Event()
    seen: list[int] = []

    def on_photo(*_args: Any) -> None:
        tables = list((data_dir / "cache" / "tables").glob(f"*{shared_tables.SUFFIX}"))
        if tables and not first_done.is_set():
            seen.append(tables[0].stat().st_ino)
            first_done.set()

    controller.photo_finished.connect(on_photo)
    config = {"preset": "WhiteLayer_v4", "blend": 60}
    batch_id = create(controller, config=config, photo_paths=[str(folder)]).batch_id
    wait_status(qtbot, controller, batch_id, "completed")
    assert controller.batch(batch_id).failed_count == 0  # the process that built it too
    tables = list((data_dir / "cache" / "tables").glob(f"*{shared_tables.SUFFIX}"))
    assert len(tables) == 1
    assert seen == [tables[0].stat().st_ino]


def test_when_no_develop_process_can_start_the_batch_pauses_and_resumes_later(
    make_controller: MakeController,
    tmp_path: Path,
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The computer is out of file handles when a process must start: the batch pauses with
    that reason, no photo fails, and it completes once processes can start again."""
    import errno
    import subprocess

    real_popen = subprocess.Popen
    refuse = [True]

    def popen(*args: Any, **kwargs: Any) -> Any:
        if refuse[0]:
            raise OSError(errno.EMFILE, "Too many open files")
        return real_popen(*args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", popen)
    make_photos(tmp_path / "in", 3)
    controller = make_controller(workers=1)
    batch_id = create(controller, config=CONFIG, photo_paths=[str(tmp_path / "in")]).batch_id
    wait_status(qtbot, controller, batch_id, "paused")
    # The photo that waited its turn behind the first one meets the same refusal and goes
    # back to pending too.
    qtbot.waitUntil(lambda: controller.batch(batch_id).pending_count == 3, timeout=120_000)
    summary = controller.batch(batch_id)
    assert summary.pause_reason is PauseReason.OUT_OF_RESOURCES
    assert summary.failed_count == 0
    refuse[0] = False
    controller.resume_batch(batch_id)
    wait_status(qtbot, controller, batch_id, "completed")
    assert controller.batch(batch_id).processed_count == 3


def test_a_paused_batch_starts_no_photo_that_waited_its_turn(
    make_controller: MakeController, tmp_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each develop process holds one photo waiting its turn (so it never idles between
    photos); pausing withdraws those: only the photo being developed finishes."""
    attempts, gate = tmp_path / "attempts.txt", tmp_path / "gate"
    monkeypatch.setenv(ATTEMPTS_ENV, str(attempts))
    monkeypatch.setenv(GATE_ON_ENV, "photo_000")
    monkeypatch.setenv(GATE_FILE_ENV, str(gate))
    make_photos(tmp_path / "in", 4, size=64)
    controller = make_controller(workers=1, develop=GATED)
    executor = controller.executor
    assert isinstance(executor, LocalProcessExecutor) and executor.capacity == 2
    batch_id = create(controller, config=CONFIG, photo_paths=[str(tmp_path / "in")]).batch_id
    # photo_000 is held in the process, photo_001 handed over to wait its turn
    qtbot.waitUntil(lambda: attempts.exists() and attempts.read_text() == "photo_000\n")
    qtbot.waitUntil(lambda: controller.batch(batch_id).running_count == 2, timeout=30_000)
    controller.pause_batch(batch_id)
    gate.touch()
    qtbot.waitUntil(lambda: controller.batch(batch_id).running_count == 0, timeout=30_000)
    summary = controller.batch(batch_id)
    assert attempts.read_text().split() == ["photo_000"]  # the waiting photo never started
    assert summary.processed_count == 1
    assert summary.pending_count == 3
    controller.resume_batch(batch_id)
    wait_status(qtbot, controller, batch_id, "completed")
    assert controller.batch(batch_id).processed_count == 4
