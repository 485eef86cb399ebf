"""Batches developed on a real farm: a hub (valkey-server from the wheel) and two
`junmai-farm worker` processes, driven by the real controller and `FarmExecutor`."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from junmai_gui.controller.batch_controller import BatchController
from junmai_gui.controller.farm_executor import FarmExecutor, farm_app_id
from junmai_gui.controller.process_executor import LocalProcessExecutor
from junmai_gui.controller.split_executor import SplitExecutor
from junmai_gui.develop.engine import OutputOptions, develop_photo
from junmai_gui.develop.files import TEMP_PREFIX
from junmai_gui.develop.library import PresetLibrary
from junmai_gui.domain.status import BatchStatus, PauseReason, PhotoState
from junmai_gui.farm import protocol
from tests.creating import create
from tests.photos import make_photos
from tests.unit.farm.conftest import Farm

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name == "nt", reason="the bundled broker is Linux/macOS"),
]

CONFIG = {"preset": "WhiteLayer_v4", "blend": 60}
WAIT_MS = 120_000

MakeController = Callable[..., BatchController]


def local_outputs(photos: list[Path], folder: Path) -> dict[str, bytes]:
    """What this computer's engine makes of the photos, by output name."""
    preset = PresetLibrary(None).get(str(CONFIG["preset"]))
    folder.mkdir()
    outputs = {}
    for photo in photos:
        out = folder / f"{photo.stem}_{preset.name}.jpg"
        develop_photo(photo, out, preset, float(CONFIG["blend"]), OutputOptions())
        outputs[out.name] = out.read_bytes()
    return outputs


def files_in(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def wait_status(qtbot: Any, controller: BatchController, batch_id: str, status: str) -> None:
    qtbot.waitUntil(lambda: controller.batch(batch_id).status == status, timeout=WAIT_MS)


def developed_by(controller: BatchController, batch_id: str) -> Counter[str | None]:
    return Counter(r.developed_by for r in controller.batch_photos(batch_id, limit=1000))


def test_a_batch_on_the_farm_gives_the_bytes_of_a_local_run_and_both_workers_develop(
    live_farm: Farm, make_farm_controller: MakeController, out_dir: Path, tmp_path: Path,
    qtbot: Any,
) -> None:  # fmt: skip
    photos = make_photos(tmp_path / "in", 12)
    expected = local_outputs(photos, tmp_path / "local")
    controller = make_farm_controller(live_farm.hub.url)
    config = {**CONFIG, "output_dir": str(out_dir)}
    batch_id = create(controller, config=config, photo_paths=[str(tmp_path / "in")]).batch_id
    wait_status(qtbot, controller, batch_id, "completed")
    summary = controller.batch(batch_id)
    assert (summary.processed_count, summary.failed_count) == (12, 0)
    assert files_in(out_dir) == expected
    by = developed_by(controller, batch_id)
    assert set(by) == {"w1", "w2"}, by
    status = controller.farm_status()
    assert status is not None and status.connected
    assert {w.name for w in status.workers} >= {"w1", "w2"}


def test_after_pause_returns_no_photo_starts_anywhere_and_resume_completes(
    live_farm: Farm, make_farm_controller: MakeController, out_dir: Path, tmp_path: Path,
    qtbot: Any,
) -> None:  # fmt: skip
    """Paused from the slot that hears the fifth photo finish (about a third of 15): every
    start the workers logged on the broker came before the broker's clock read right after
    `pause_batch` returned."""
    make_photos(tmp_path / "in", 15)
    controller = make_farm_controller(live_farm.hub.url)
    config = {**CONFIG, "output_dir": str(out_dir)}
    client = live_farm.hub.client()
    paused_at: list[int] = []

    def on_photo(batch: str, _photo: int, _state: str) -> None:
        if not paused_at and controller.batch(batch).processed_count >= 5:
            controller.pause_batch(batch)
            paused_at.append(protocol.broker_time_us(client))

    controller.photo_finished.connect(on_photo)
    batch_id = create(controller, config=config, photo_paths=[str(tmp_path / "in")]).batch_id
    qtbot.waitUntil(lambda: bool(paused_at), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: controller.workers_busy() == 0, timeout=WAIT_MS)
    starts = protocol.read_starts(client, batch_id)
    assert starts and all(start.at_us < paused_at[0] for start in starts)
    summary = controller.batch(batch_id)
    assert summary.status is BatchStatus.PAUSED and summary.running_count == 0
    assert 5 <= summary.processed_count < 15 and summary.pending_count > 0
    started_before = {start.photo_id for start in starts}

    controller.resume_batch(batch_id)
    wait_status(qtbot, controller, batch_id, "completed")
    assert controller.batch(batch_id).processed_count == 15
    after = [s.photo_id for s in protocol.read_starts(client, batch_id)[len(starts) :]]
    assert not started_before & set(after), "a photo developed before the pause started again"
    assert len(after) == len(set(after)) == 15 - len(started_before)
    assert len(files_in(out_dir)) == 15
    client.close()


def test_cancel_stops_a_photo_being_developed_on_a_worker(
    live_farm: Farm, make_farm_controller: MakeController, out_dir: Path, tmp_path: Path,
    qtbot: Any,
) -> None:  # fmt: skip
    folder = tmp_path / "in"
    (held,) = make_photos(folder, 1, prefix="hold")
    make_photos(folder, 3)
    controller = make_farm_controller(live_farm.hub.url)
    config = {**CONFIG, "output_dir": str(out_dir)}
    batch_id = create(controller, config=config, photo_paths=[str(folder)]).batch_id
    qtbot.waitUntil(held.with_suffix(".pid").exists, timeout=WAIT_MS)
    controller.cancel_batch(batch_id)
    held.with_suffix(".release").touch()
    qtbot.waitUntil(lambda: controller.workers_busy() == 0, timeout=WAIT_MS)
    summary = controller.batch(batch_id)
    assert summary.status is BatchStatus.CANCELLED and summary.running_count == 0
    names = set(files_in(out_dir))
    assert f"{held.stem}_WhiteLayer_v4.jpg" not in names
    assert not [n for n in names if n.startswith(TEMP_PREFIX)]


def _hold_batch(
    controller: BatchController, folder: Path, out_dir: Path, qtbot: Any
) -> tuple[str, Path, int]:
    (held,) = make_photos(folder, 1, prefix="hold")
    make_photos(folder, 5)
    config = {**CONFIG, "output_dir": str(out_dir)}
    batch_id = create(controller, config=config, photo_paths=[str(folder)]).batch_id
    pid_file = held.with_suffix(".pid")
    qtbot.waitUntil(pid_file.exists, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: pid_file.read_text().strip() != "", timeout=WAIT_MS)
    return batch_id, held, int(pid_file.read_text())


def _check_each_photo_once(
    controller: BatchController, batch_id: str, out_dir: Path, client: Any, held: Path
) -> None:
    summary = controller.batch(batch_id)
    assert (summary.processed_count, summary.failed_count) == (6, 0)
    names = sorted(files_in(out_dir))
    assert len(names) == 6 and not [n for n in names if n.startswith(TEMP_PREFIX)]
    starts = Counter(s.photo_id for s in protocol.read_starts(client, batch_id))
    (held_record,) = [
        r for r in controller.batch_photos(batch_id, limit=100) if r.source_path == str(held)
    ]
    assert starts[held_record.photo_id] == 2  # redelivered once
    assert sorted(starts.values()) == [1, 1, 1, 1, 1, 2]


def test_a_pool_process_killed_mid_photo_gives_its_photo_back_to_the_farm(
    live_farm: Farm, make_farm_controller: MakeController, out_dir: Path, tmp_path: Path,
    qtbot: Any,
) -> None:  # fmt: skip
    """SIGKILL to the process developing a photo: the task is rejected back to the queue
    (`task_reject_on_worker_lost`), developed again onto the same path, once."""
    controller = make_farm_controller(live_farm.hub.url)
    batch_id, held, pid = _hold_batch(controller, tmp_path / "in", out_dir, qtbot)
    held.with_suffix(".pid").write_text("")
    os.kill(pid, 9)
    held.with_suffix(".release").touch()
    wait_status(qtbot, controller, batch_id, "completed")
    client = live_farm.hub.client()
    _check_each_photo_once(controller, batch_id, out_dir, client, held)
    client.close()


def test_a_worker_killed_whole_mid_photo_has_its_photo_developed_by_another(
    live_farm: Farm, make_farm_controller: MakeController, out_dir: Path, tmp_path: Path,
    qtbot: Any,
) -> None:  # fmt: skip
    """SIGKILL to a whole worker (its main process too, as a power cut): its unacknowledged
    task goes to another worker after the visibility timeout (shortened for the test on a
    third worker, which restores it)."""
    controller = make_farm_controller(live_farm.hub.url)
    batch_id, held, pid = _hold_batch(controller, tmp_path / "in", out_dir, qtbot)
    (victim,) = [w for w in live_farm.workers.values() if _is_child_of(pid, w.process.pid)]
    victim.kill()
    held.with_suffix(".release").touch()
    rescuer = live_farm.start_worker("w3", visibility_timeout=3)
    try:
        wait_status(qtbot, controller, batch_id, "completed")
        client = live_farm.hub.client()
        _check_each_photo_once(controller, batch_id, out_dir, client, held)
        client.close()
    finally:
        rescuer.stop()
        del live_farm.workers["w3"]


def _is_child_of(pid: int, parent: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return int(stat.rsplit(")", 1)[1].split()[1]) == parent


def test_a_worker_writes_every_output_of_a_photo(
    live_farm: Farm, make_farm_controller: MakeController, out_dir: Path, tmp_path: Path,
    qtbot: Any,
) -> None:  # fmt: skip
    photos = make_photos(tmp_path / "in", 3)
    controller = make_farm_controller(live_farm.hub.url)
    outputs = [
        {"format": "jpeg", "quality": 92},
        {"format": "jpeg", "quality": 80, "long_edge": 64, "subfolder": "web"},
    ]
    config = {**CONFIG, "output_dir": str(out_dir), "outputs": outputs}
    batch_id = create(controller, config=config, photo_paths=[str(tmp_path / "in")]).batch_id
    wait_status(qtbot, controller, batch_id, "completed")
    errors = [r.error for r in controller.batch_photos(batch_id, PhotoState.FAILED)]
    assert errors == []
    names = {f"{photo.stem}_WhiteLayer_v4.jpg" for photo in photos}
    assert set(files_in(out_dir)) == names
    assert set(files_in(out_dir / "web")) == names
    for record in controller.batch_photos(batch_id):
        assert [Path(p).parent.name for p in record.output_paths] == [out_dir.name, "web"]
        assert record.developed_by in {"w1", "w2"}


def test_an_output_outside_the_allowed_roots_fails_that_photo_with_a_sentence(
    live_farm: Farm, make_farm_controller: MakeController, tmp_path: Path, qtbot: Any
) -> None:
    make_photos(tmp_path / "in", 2)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    controller = make_farm_controller(live_farm.hub.url)
    config = {**CONFIG, "output_dir": str(elsewhere)}
    batch_id = create(controller, config=config, photo_paths=[str(tmp_path / "in")]).batch_id
    wait_status(qtbot, controller, batch_id, "completed")
    assert controller.batch(batch_id).failed_count == 2
    for record in controller.batch_photos(batch_id, PhotoState.FAILED):
        assert record.error is not None
        assert "is outside the folders this worker may write to" in record.error
        assert Path(record.source_path).name in record.error
    assert not list(elsewhere.iterdir())


def test_a_wrong_password_pauses_the_batch_with_a_sentence(
    live_farm: Farm, make_farm_controller: MakeController, out_dir: Path, tmp_path: Path,
    qtbot: Any,
) -> None:  # fmt: skip
    make_photos(tmp_path / "in", 2)
    wrong = live_farm.hub.url.replace("redis://:", "redis://:wrong", 1)
    controller = make_farm_controller(wrong)
    config = {**CONFIG, "output_dir": str(out_dir)}
    batch_id = create(controller, config=config, photo_paths=[str(tmp_path / "in")]).batch_id
    wait_status(qtbot, controller, batch_id, "paused")
    summary = controller.batch(batch_id)
    assert summary.pause_reason is PauseReason.FARM_UNAVAILABLE
    assert summary.error is not None and "refused the password" in summary.error
    status = controller.farm_status()
    assert status is not None and not status.connected
    assert status.problem is not None and "refused the password" in status.problem
    assert summary.pending_count == 2 and summary.running_count == 0


def test_the_broker_stopped_mid_batch_pauses_it_and_resume_completes_once_it_is_back(
    live_farm: Farm, make_farm_controller: MakeController, out_dir: Path, tmp_path: Path,
    qtbot: Any,
) -> None:  # fmt: skip
    make_photos(tmp_path / "in", 20)
    controller = make_farm_controller(live_farm.hub.url)
    config = {**CONFIG, "output_dir": str(out_dir)}
    stopped: list[bool] = []

    def on_photo(batch: str, _photo: int, _state: str) -> None:
        if not stopped and controller.batch(batch).processed_count >= 5:
            live_farm.hub.stop()
            stopped.append(True)

    controller.photo_finished.connect(on_photo)
    batch_id = create(controller, config=config, photo_paths=[str(tmp_path / "in")]).batch_id
    wait_status(qtbot, controller, batch_id, "paused")
    summary = controller.batch(batch_id)
    assert summary.pause_reason is PauseReason.FARM_UNAVAILABLE
    assert summary.error is not None and "cannot be reached" in summary.error
    qtbot.waitUntil(lambda: controller.workers_busy() == 0, timeout=WAIT_MS)

    live_farm.hub.start()
    farm = controller.farm_status
    qtbot.waitUntil(lambda: (s := farm()) is not None and s.connected, timeout=WAIT_MS)
    controller.resume_batch(batch_id)
    wait_status(qtbot, controller, batch_id, "completed")
    summary = controller.batch(batch_id)
    assert (summary.processed_count, summary.failed_count) == (20, 0)
    names = set(files_in(out_dir))
    assert len(names) == 20 and not [n for n in names if n.startswith(TEMP_PREFIX)]


def test_this_computer_develops_too_and_carries_on_when_the_broker_stops(
    live_farm: Farm, make_farm_controller: MakeController, out_dir: Path, tmp_path: Path,
    data_dir: Path, qtbot: Any,
) -> None:  # fmt: skip
    """Local develop processes and the farm as one executor: photos go to both; with the
    broker gone the farm's photos are developed here and the batch never pauses."""
    photos = make_photos(tmp_path / "in", 24)
    expected = local_outputs(photos, tmp_path / "local")
    farm = FarmExecutor(live_farm.hub.url, farm_app_id(data_dir))
    local = LocalProcessExecutor(1, data_dir / "cache")
    controller = make_farm_controller(live_farm.hub.url, SplitExecutor(local, farm))
    config = {**CONFIG, "output_dir": str(out_dir)}
    stopped: list[bool] = []

    def on_photo(batch: str, _photo: int, _state: str) -> None:
        by = developed_by(controller, batch)
        if not stopped and by["local"] and (by["w1"] or by["w2"]):
            live_farm.hub.stop()
            stopped.append(True)

    controller.photo_finished.connect(on_photo)
    paused: list[str] = []
    controller.batch_changed.connect(
        lambda b: paused.append(b) if controller.batch(b).status is BatchStatus.PAUSED else None
    )
    try:
        batch_id = create(controller, config=config, photo_paths=[str(tmp_path / "in")]).batch_id
        wait_status(qtbot, controller, batch_id, "completed")
    finally:
        if stopped:
            live_farm.hub.start()
    assert stopped and not paused
    summary = controller.batch(batch_id)
    assert (summary.processed_count, summary.failed_count) == (24, 0)
    assert files_in(out_dir) == expected
    by = developed_by(controller, batch_id)
    assert by["local"] >= 1 and by["w1"] + by["w2"] >= 1, by


def test_a_batch_of_higher_priority_overtakes_one_already_on_the_farm(
    live_farm: Farm, make_farm_controller: MakeController, out_dir: Path, tmp_path: Path,
    qtbot: Any,
) -> None:  # fmt: skip
    """Priority is exact without broker priorities: the app's window holds at most
    `capacity` photos, so once the urgent batch is stored, at most that many photos of the
    older batch (already sent) start before the urgent batch's last photo; by age alone all
    of the older batch's would."""
    make_photos(tmp_path / "slow", 24, prefix="slow")
    make_photos(tmp_path / "urgent", 6, prefix="urgent")
    controller = make_farm_controller(live_farm.hub.url)
    client = live_farm.hub.client()
    urgent: list[tuple[str, int]] = []  # (batch id, broker time when it was stored)

    def stored(batch_id: str) -> None:
        if asked:  # the urgent batch: the slow one was added before it was asked for
            urgent.append((batch_id, protocol.broker_time_us(client)))

    def start_urgent(batch: str, _photo: int, _state: str) -> None:
        if not asked and controller.batch(batch).processed_count >= 3:
            asked.append(True)
            (out_dir / "urgent").mkdir()
            config = {**CONFIG, "output_dir": str(out_dir / "urgent")}
            controller.start_batch(
                config=config, photo_paths=[str(tmp_path / "urgent")], priority=10
            )

    asked: list[bool] = []
    controller.batch_added.connect(stored)
    controller.photo_finished.connect(start_urgent)
    (out_dir / "slow").mkdir()
    config = {**CONFIG, "output_dir": str(out_dir / "slow")}
    slow = create(controller, config=config, photo_paths=[str(tmp_path / "slow")]).batch_id
    qtbot.waitUntil(lambda: bool(urgent), timeout=WAIT_MS)
    urgent_id, stored_at = urgent[0]
    wait_status(qtbot, controller, urgent_id, "completed")
    wait_status(qtbot, controller, slow, "completed")
    starts = protocol.read_starts(client)
    client.close()
    last_urgent = max(s.at_us for s in starts if s.batch_id == urgent_id)
    overtaking = [s for s in starts if s.batch_id == slow and stored_at < s.at_us < last_urgent]
    assert len(overtaking) <= controller.executor.capacity, len(overtaking)
    assert len([s for s in starts if s.batch_id == slow]) == 24
