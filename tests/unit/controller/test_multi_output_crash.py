"""Three outputs per photo, the app killed with SIGKILL while a photo has written only its
first output, then resumed at the next launch: every output exists once and has the bytes of
a clean development.

The "app" is a child process running a controller with real develop processes
(`multi_output_child`); its develop function writes the stalled photo's first output and then
waits, so the kill lands between two outputs of one photo every time.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from junmai_gui.controller.batch_controller import BatchController, ControllerSettings
from junmai_gui.controller.process_executor import LocalProcessExecutor
from junmai_gui.develop.engine import OutputOptions, develop_photo
from junmai_gui.develop.files import TEMP_PREFIX
from junmai_gui.develop.library import PresetLibrary
from junmai_gui.domain.config import BatchConfig
from junmai_gui.domain.status import BatchStatus, PauseReason, PhotoState
from junmai_gui.store.database import Store
from tests.photos import make_photos
from tests.unit.controller.helpers import STALL_MARKER_ENV, STALL_ON_ENV
from tests.unit.controller.multi_output_child import config

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX"),
]
ROOT = Path(__file__).resolve().parents[3]


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _clean_run(photos: list[Path], folder: Path) -> dict[str, bytes]:
    """Each photo developed once, in this process, into `folder` as the batch names them."""
    parsed = BatchConfig.from_dict(config(str(folder)))
    options = OutputOptions.for_config(parsed)
    preset = PresetLibrary(None).get("WhiteLayer_v4")
    for photo in photos:
        paths = [
            folder / spec.subfolder / f"{photo.stem}_WhiteLayer_v4{spec.extension}"
            for spec in parsed.output_specs
        ]
        for path in paths:
            path.parent.mkdir(parents=True, exist_ok=True)
        develop_photo(
            photo, paths[0], preset, 60, options[0],
            extra_outputs=list(zip(paths[1:], options[1:], strict=True)),
        )  # fmt: skip
    return _files(folder)


def test_a_kill_between_two_outputs_of_a_photo_then_resume_gives_each_output_once(
    tmp_path: Path, data_dir: Path, qtbot: Any
) -> None:
    photos = make_photos(tmp_path / "photos", 3, size=400)
    expected = _clean_run(photos, tmp_path / "clean")
    out, marker = tmp_path / "out", tmp_path / "stalled"
    env = {
        **os.environ,
        STALL_ON_ENV: "photo_001",
        STALL_MARKER_ENV: str(marker),
        "PYTHONPATH": str(ROOT),
        "QT_QPA_PLATFORM": "offscreen",
    }
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.unit.controller.multi_output_child",
         str(data_dir), str(tmp_path / "photos"), str(out)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 180
    while not marker.exists():
        assert time.monotonic() < deadline, "the stalled photo never wrote its first output"
        try:  # a short interval in a bounded loop; ends early only if the child died
            child.wait(timeout=0.05)
        except subprocess.TimeoutExpired:
            continue
        raise AssertionError(child.stderr.read().decode() if child.stderr else "")
    develop_process = int(marker.read_text())
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)

    def develop_process_ended() -> bool:
        try:
            os.kill(develop_process, 0)
        except ProcessLookupError:
            return True
        return False

    qtbot.waitUntil(develop_process_ended, timeout=30_000)  # it followed the app: input closed

    partial = _files(out)
    stalled = "photo_001_WhiteLayer_v4"
    assert f"{stalled}.jpg" in partial and f"web/{stalled}.jpg" not in partial
    assert f"master/{stalled}.tif" not in partial

    store = Store.open(data_dir)
    controller = BatchController(
        store,
        PresetLibrary(None),
        ControllerSettings(1, out),
        LocalProcessExecutor(1, data_dir / "cache"),
    )
    try:
        controller.recover_interrupted_batches()
        (batch,) = controller.batches()
        assert (batch.status, batch.pause_reason) == (BatchStatus.PAUSED, PauseReason.INTERRUPTED)
        assert (batch.processed_count, batch.pending_count) == (1, 2)
        controller.resume_batch(batch.batch_id)
        qtbot.waitUntil(
            lambda: controller.batch(batch.batch_id).status is BatchStatus.COMPLETED,
            timeout=180_000,
        )
        records = controller.batch_photos(batch.batch_id)
        assert [(r.state, r.error) for r in records] == [(PhotoState.DONE, None)] * 3
    finally:
        controller.close()
        store.close()
    files = _files(out)
    assert not [name for name in files if Path(name).name.startswith(TEMP_PREFIX)]
    assert sorted(files) == sorted(expected) and len(files) == 9
    for name, data in expected.items():
        assert files[name] == data, name
