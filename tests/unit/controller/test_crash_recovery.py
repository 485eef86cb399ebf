"""Real processes killed with SIGKILL mid-batch, and a photo that kills the process.

Each run is `controller_child`: a real QCoreApplication with the real store and controller.
After every kill a new process recovers and finishes the batch; the outputs must then be
exactly those of one clean run, with no temporary file left and no photo stored done
without its file.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import pyvips

from junmai_gui.develop.files import TEMP_PREFIX
from junmai_gui.domain.status import BatchStatus, PhotoState
from junmai_gui.store.database import Store
from tests.photos import make_photos
from tests.unit.controller.controller_child import CRASH_EXIT_CODE

ROOT = Path(__file__).resolve().parents[3]
PHOTO_COUNT = 40
TRIALS = 20
SEED = 20251109


def launch(data_dir: Path, photos: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable, "-m", "tests.unit.controller.controller_child",
            str(data_dir), str(photos), *extra,
        ],
        cwd=ROOT,
        text=True,
        stdout=subprocess.PIPE,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip


def run_to_end(data_dir: Path, photos: Path, *extra: str) -> tuple[int, list[str]]:
    child = launch(data_dir, photos, *extra)
    stdout, _ = child.communicate(timeout=120)
    return child.returncode, stdout.splitlines()


def files_in(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def photo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("photos")
    make_photos(folder, PHOTO_COUNT)
    return folder


@pytest.fixture(scope="module")
def clean_outputs(tmp_path_factory: pytest.TempPathFactory, photo_folder: Path) -> dict[str, bytes]:
    """The outputs of one run nobody interrupted."""
    base = tmp_path_factory.mktemp("clean")
    code, lines = run_to_end(base / "data", photo_folder, "--start", str(base / "out"))
    assert code == 0, lines
    assert sum(line.startswith("photo_finished") for line in lines) == PHOTO_COUNT
    outputs = files_in(base / "out")
    assert len(outputs) == PHOTO_COUNT
    return outputs


def check_done_photos_have_their_files(data_dir: Path, clean: dict[str, bytes]) -> int:
    """No photo is stored done without its complete file; returns how many are done."""
    store = Store.open(data_dir)
    try:
        done = 0
        for batch in store.list_batches():
            for record in store.batch_photos(batch.batch_id, state=PhotoState.DONE, limit=1000):
                output = Path(record.output_path)
                assert output.is_file(), f"{output.name} is recorded done but missing"
                assert output.read_bytes() == clean[output.name]
                done += 1
        return done
    finally:
        store.close()


def check_finished_trial(
    data_dir: Path, batch_id: str, out: Path, clean: dict[str, bytes], context: str
) -> None:
    outputs = files_in(out)
    assert not [n for n in outputs if n.startswith(TEMP_PREFIX)], context
    assert outputs.keys() == clean.keys(), context
    for name, data in outputs.items():
        assert data == clean[name], (context, name)
        pyvips.Image.new_from_buffer(data, "").avg()  # decodes completely
    store = Store.open(data_dir)
    try:
        batch = store.get_batch(batch_id)
        assert batch is not None and batch.status is BatchStatus.COMPLETED, context
        assert (batch.processed_count, batch.failed_count) == (PHOTO_COUNT, 0), context
    finally:
        store.close()


@pytest.mark.slow
def test_sigkill_at_random_moments_then_recovery_finishes_every_photo_exactly_once(
    tmp_path: Path, photo_folder: Path, clean_outputs: dict[str, bytes]
) -> None:
    """Each process finishes the batch the previous one was killed in, then starts the next
    trial's batch and is itself killed after a random number of that batch's photos."""
    rng = random.Random(SEED)
    kill_points = [0, PHOTO_COUNT - 1] + [rng.randrange(PHOTO_COUNT) for _ in range(TRIALS - 2)]
    data_dir = tmp_path / "data"
    outs = [tmp_path / f"out{trial}" for trial in range(TRIALS)]
    child = launch(data_dir, photo_folder, "--start", str(outs[0]))
    last_batch = ""
    for trial, kill_after in enumerate(kill_points):
        context = f"trial {trial}, killed after {kill_after} photos"
        assert child.stdout is not None
        batch_id, seen, previous = None, 0, None
        for line in child.stdout:
            word, *rest = line.split()
            if word == "batch_finished" and rest[1] == "completed" and trial > 0:
                previous = rest[0]
            if word == "started":
                batch_id = rest[0]
            elif word == "photo_finished" and rest[0] == batch_id:
                seen += 1
            if batch_id is not None and seen >= kill_after:
                break
        assert batch_id is not None, context
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
        if trial > 0:
            # None: the last photo and the completion landed before the SIGKILL did
            assert previous in (last_batch, None), context
            check_finished_trial(data_dir, last_batch, outs[trial - 1], clean_outputs, context)
        done = check_done_photos_have_their_files(data_dir, clean_outputs)
        assert done >= trial * PHOTO_COUNT + kill_after, context
        last_batch = batch_id
        extra = ("--start", str(outs[trial + 1])) if trial + 1 < TRIALS else ()
        child = launch(data_dir, photo_folder, *extra)
    stdout, _ = child.communicate(timeout=120)
    assert child.returncode == 0, stdout
    lines = stdout.splitlines()
    recovered = json.loads(lines[0].removeprefix("recovered "))["recovered_count"]
    assert (recovered, f"batch_finished {last_batch} completed" in lines) in ((1, True), (0, False))
    check_finished_trial(data_dir, last_batch, outs[-1], clean_outputs, "last trial")
    assert check_done_photos_have_their_files(data_dir, clean_outputs) == TRIALS * PHOTO_COUNT


@pytest.mark.slow
def test_a_photo_that_kills_the_process_fails_after_two_crashes_and_the_rest_completes(
    tmp_path: Path,
) -> None:
    photos = tmp_path / "photos"
    make_photos(photos, 8)
    data_dir, out = tmp_path / "data", tmp_path / "out"
    poison = ("--workers", "1", "--crash-on", "photo_003")
    code, lines = run_to_end(data_dir, photos, "--start", str(out), *poison)
    assert code == CRASH_EXIT_CODE, lines
    code, lines = run_to_end(data_dir, photos, *poison)
    assert code == CRASH_EXIT_CODE, lines
    code, lines = run_to_end(data_dir, photos, *poison)
    assert code == 0, lines
    assert json.loads(lines[0].removeprefix("recovered "))["recovered_count"] == 1
    store = Store.open(data_dir)
    try:
        (batch,) = store.list_batches()
        assert batch.status is BatchStatus.COMPLETED
        assert (batch.processed_count, batch.failed_count) == (7, 1)
        (failed,) = store.batch_photos(batch.batch_id, state=PhotoState.FAILED)
        assert Path(failed.source_path).stem == "photo_003"
        assert failed.error == "This photo crashed the developer twice"
        assert failed.attempts == 2
    finally:
        store.close()
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 7 and "photo_003_Identity.jpg" not in names
