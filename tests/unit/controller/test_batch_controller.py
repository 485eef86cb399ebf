"""BatchController on a real store, real presets and real tiny JPEGs."""

from __future__ import annotations

import errno
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from junmai_gui.controller.batch_controller import BatchController, ControllerSettings
from junmai_gui.controller.executors import InProcessExecutor
from junmai_gui.develop.errors import PresetError
from junmai_gui.develop.files import TEMP_PREFIX
from junmai_gui.domain.clock import utc_now_iso
from junmai_gui.domain.errors import (
    BatchNotFoundError,
    IllegalTransitionError,
    InvalidBatchError,
    PhotoNotFoundError,
)
from junmai_gui.domain.status import BatchStatus, PauseReason, PhotoState
from junmai_gui.store.database import Store
from junmai_gui.store.records import NewBatch, NewBatchPhoto
from tests.creating import create
from tests.unit.controller.helpers import Instrumented

CONFIG = {"preset": "WhiteLayer_v4", "blend": 60}
AUTODEV_STATUS_KEYS = {
    "batch_id", "session_id", "status", "total_photos", "processed_count", "failed_count",
    "progress_percent", "created_at", "started_at", "paused_at", "completed_at",
}  # fmt: skip
AUTODEV_LIST_KEYS = {"batch_id", "status", "total_photos", "processed_count", "progress_percent"}

MakeController = Callable[..., BatchController]


def wait_status(qtbot: Any, controller: BatchController, batch_id: str, status: str) -> None:
    qtbot.waitUntil(lambda: controller.batch(batch_id).status == status, timeout=20_000)


def wait_in_flight(qtbot: Any, develop: Instrumented, count: int) -> None:
    qtbot.waitUntil(lambda: develop.in_flight >= count, timeout=20_000)


def outputs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def execute_sql(store: Store, sql: str, params: tuple[Any, ...]) -> None:
    """Change the store's file behind its back, as the passing of time or an earlier crash
    would have: states no public store call makes."""
    conn = sqlite3.connect(store.path)
    try:
        with conn:
            conn.execute(sql, params)
    finally:
        conn.close()


def add_photos(store: Store, photos: Any, count: int, **where: str) -> list[int]:
    """Make `count` tiny photos (`folder`, `prefix` as the `photos` fixture takes) and add
    them to the store; their photo ids."""
    return store.add_photos([str(p) for p in photos(count, **where)])


def test_start_from_photo_ids_develops_every_photo_with_the_real_engine(
    make_controller: MakeController,
    store: Store,
    photos: Any,
    qtbot: Any,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    ids = add_photos(store, photos, 5)
    controller = make_controller()
    assert "WhiteLayer_v4" in controller.presets.names()
    finished: list[tuple[str, int, str]] = []
    controller.photo_finished.connect(lambda b, p, s: finished.append((b, p, s)))
    with qtbot.waitSignal(controller.batch_added) as added:
        result = create(controller, ids, session_id=123, config=CONFIG)
    assert added.args == [result.batch_id]
    assert result.photo_count == 5 and result.rejected == []
    with qtbot.waitSignal(controller.batch_finished, timeout=30_000) as done:
        pass
    assert done.args == [result.batch_id, "completed"]
    status = controller.get_batch_status(result.batch_id)
    assert status.keys() >= AUTODEV_STATUS_KEYS
    assert {"photos_per_minute", "eta_seconds"} <= status.keys()
    assert status["session_id"] == 123
    assert status["processed_count"] == 5 and status["progress_percent"] == 100.0
    assert sorted(p for _b, p, s in finished if s == "done") == sorted(ids)
    files = outputs(tmp_path / "out" / result.batch_id)
    assert len(files) == 5 and all(f.stat().st_size > 0 for f in files)
    assert status["config"]["output_dir"] == str(tmp_path / "out" / result.batch_id)
    assert status["config"]["format"] == "jpeg"  # the defaults filled in
    messages = [r.getMessage() for r in caplog.records]
    assert f"Started batch processing | batch_id={result.batch_id} | photo_count=5" in messages
    assert (
        f"Batch processing completed | batch_id={result.batch_id} | processed=5 | failed=0"
        in messages
    )


def test_start_from_paths_reports_every_rejected_path(
    make_controller: MakeController,
    develop: Instrumented,
    photos: Any,
    tmp_path: Path,
    qtbot: Any,
) -> None:
    folder = photos(3, folder="in/nested")
    loose = photos(1, folder="loose", prefix="single")
    (tmp_path / "loose" / "notes.txt").write_text("not a photo")
    controller = make_controller(develop)
    result = create(
        controller,
        config=CONFIG,
        photo_paths=[
            tmp_path / "in",
            loose[0],
            tmp_path / "loose" / "notes.txt",
            tmp_path / "missing.jpg",
        ],
        name="Wedding",
    )
    assert result.photo_count == 4
    assert [path for path, _ in result.rejected] == [
        str(tmp_path / "loose" / "notes.txt"),
        str(tmp_path / "missing.jpg"),
    ]
    assert all(reason for _, reason in result.rejected)
    wait_status(qtbot, controller, result.batch_id, "completed")
    assert len(outputs(tmp_path / "out" / "Wedding")) == len(folder) + 1


def test_import_photos_returns_ids_and_rejections(
    make_controller: MakeController, photos: Any, tmp_path: Path, store: Store
) -> None:
    photos(2)
    controller = make_controller()
    result = controller.import_photos([tmp_path / "in", tmp_path / "nope.png"])
    assert len(result.photo_ids) == 2
    assert set(store.photo_paths(result.photo_ids).values()) == {
        str(p) for p in sorted((tmp_path / "in").iterdir())
    }
    assert result.rejected[0][0] == str(tmp_path / "nope.png")


@pytest.mark.parametrize(
    ("config", "fragment"),
    [
        ({"preset": "NoSuchPreset"}, "NoSuchPreset"),
        ({"preset": "WhiteLayer_v4", "blend": 150}, "Blend"),
        ({"blend": 60}, "preset"),
        ({"preset": "WhiteLayer_v4", "naming": "{stem}_{shutter}"}, "shutter"),
    ],
)
def test_an_invalid_config_is_refused_and_creates_nothing(
    make_controller: MakeController,
    store: Store,
    photos: Any,
    config: dict[str, Any],
    fragment: str,
) -> None:
    paths = photos(2)
    controller = make_controller()
    with pytest.raises(InvalidBatchError, match=fragment):
        create(controller, config=config, photo_paths=paths)
    assert store.list_batches() == [] and controller.batches() == []
    assert store.photo_paths([1, 2]) == {}  # not even the photo rows


def test_an_unwritable_output_folder_is_refused(
    make_controller: MakeController, store: Store, photos: Any, tmp_path: Path
) -> None:
    ids = add_photos(store, photos, 1)
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    controller = make_controller()
    with pytest.raises(InvalidBatchError, match="output folder"):
        create(controller, ids, config={**CONFIG, "output_dir": str(blocker / "sub")})
    readonly = tmp_path / "readonly"
    readonly.mkdir()
    readonly.chmod(0o500)
    try:
        if not os.access(readonly, os.W_OK):  # root can write anywhere
            with pytest.raises(InvalidBatchError, match="cannot be written"):
                create(controller, ids, config={**CONFIG, "output_dir": str(readonly)})
    finally:
        readonly.chmod(0o700)
    assert store.list_batches() == []


def test_unknown_photo_ids_and_no_photos_are_refused(
    make_controller: MakeController, store: Store
) -> None:
    controller = make_controller()
    with pytest.raises(PhotoNotFoundError):
        create(controller, [999], config=CONFIG)
    with pytest.raises(InvalidBatchError):
        create(controller, config=CONFIG)
    with pytest.raises(InvalidBatchError, match="no photos"):
        create(controller, config=CONFIG, photo_paths=["/nonexistent/a.jpg"])
    assert store.list_batches() == []


def test_a_batch_created_paused_waits_for_resume(
    make_controller: MakeController,
    develop: Instrumented,
    store: Store,
    photos: Any,
    qtbot: Any,
) -> None:
    ids = add_photos(store, photos, 3)
    controller = make_controller(develop)
    result = create(controller, ids, config=CONFIG, start=False)
    assert controller.batch(result.batch_id).status is BatchStatus.PENDING
    assert develop.started == [] and controller.workers_busy() == 0
    controller.resume_batch(result.batch_id)
    wait_status(qtbot, controller, result.batch_id, "completed")
    assert len(develop.started) == 3


def test_skip_policy_counts_existing_outputs_as_done_at_creation(
    make_controller: MakeController,
    develop: Instrumented,
    store: Store,
    photos: Any,
    tmp_path: Path,
    qtbot: Any,
) -> None:
    paths = photos(3)
    out = tmp_path / "chosen"
    out.mkdir()
    existing = out / "photo_001_WhiteLayer_v4.jpg"
    existing.write_bytes(b"already developed")
    controller = make_controller(develop)
    config = {**CONFIG, "output_dir": str(out), "on_conflict": "skip"}
    result = create(controller, config=config, photo_paths=paths)
    wait_status(qtbot, controller, result.batch_id, "completed")
    records = controller.batch_photos(result.batch_id)
    skipped = next(r for r in records if r.source_path.endswith("photo_001.jpg"))
    assert skipped.state is PhotoState.DONE and skipped.error is None
    assert skipped.output_path == str(existing)
    assert existing.read_bytes() == b"already developed"
    assert len(develop.started) == 2


def test_pause_starts_nothing_new_and_in_flight_photos_are_recorded(
    make_controller: MakeController,
    develop: Instrumented,
    store: Store,
    photos: Any,
    qtbot: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    ids = add_photos(store, photos, 6)
    develop.gate.clear()
    controller = make_controller(develop, workers=2)
    batch_id = create(controller, ids, config=CONFIG).batch_id
    wait_in_flight(qtbot, develop, 2)
    with qtbot.waitSignal(controller.batch_changed):
        controller.pause_batch(batch_id)
    summary = controller.batch(batch_id)
    assert summary.status is BatchStatus.PAUSED and summary.pause_reason is PauseReason.USER
    assert summary.paused_at is not None
    develop.gate.set()
    qtbot.waitUntil(lambda: controller.workers_busy() == 0, timeout=20_000)
    assert len(develop.started) == 2
    assert controller.batch(batch_id).processed_count == 2
    stored = store.get_batch(batch_id)
    assert stored is not None and stored.status is BatchStatus.PAUSED
    controller.resume_batch(batch_id)
    assert f"Resumed batch processing | batch_id={batch_id} | remaining_photos=4" in [
        r.getMessage() for r in caplog.records
    ]
    assert f"Paused batch processing | batch_id={batch_id}" in [
        r.getMessage() for r in caplog.records
    ]
    wait_status(qtbot, controller, batch_id, "completed")
    assert sorted(develop.successes.values()) == [1] * 6


def test_cancel_aborts_in_flight_photos_and_keeps_finished_outputs(
    make_controller: MakeController,
    develop: Instrumented,
    store: Store,
    photos: Any,
    qtbot: Any,
    tmp_path: Path,
) -> None:
    ids = add_photos(store, photos, 5)
    controller = make_controller(develop, workers=1)
    batch_id = create(controller, ids, config=CONFIG).batch_id
    qtbot.waitUntil(lambda: controller.batch(batch_id).processed_count >= 1, timeout=20_000)
    develop.wait_for_cancel = True  # photos starting from now wait until they are cancelled
    wait_in_flight(qtbot, develop, 1)
    with qtbot.waitSignal(controller.batch_finished) as finished:
        controller.cancel_batch(batch_id)
    assert finished.args == [batch_id, "cancelled"]
    qtbot.waitUntil(lambda: controller.workers_busy() == 0, timeout=20_000)
    summary = controller.batch(batch_id)
    assert summary.status is BatchStatus.CANCELLED
    assert summary.running_count == 0
    assert summary.processed_count + summary.pending_count == 5
    done = [r for r in controller.batch_photos(batch_id) if r.state is PhotoState.DONE]
    assert all(Path(r.output_path).is_file() for r in done)
    assert not any(p.name.startswith(TEMP_PREFIX) for p in (tmp_path / "out").rglob("*"))
    started = len(develop.started)
    develop.gate.set()
    assert len(develop.started) == started


def test_illegal_transitions_raise_and_change_nothing(
    make_controller: MakeController,
    develop: Instrumented,
    store: Store,
    photos: Any,
    qtbot: Any,
) -> None:
    ids = add_photos(store, photos, 2)
    controller = make_controller(develop)
    batch_id = create(controller, ids, config=CONFIG).batch_id
    wait_status(qtbot, controller, batch_id, "completed")
    before = controller.get_batch_status(batch_id)
    for action in (
        controller.pause_batch,
        controller.resume_batch,
        controller.cancel_batch,
        controller.retry_failed,  # completed without failures
    ):
        with pytest.raises(IllegalTransitionError):
            action(batch_id)
    pending = create(controller, ids, config=CONFIG, start=False).batch_id
    with pytest.raises(IllegalTransitionError):
        controller.pause_batch(pending)
    with pytest.raises(IllegalTransitionError):
        controller.remove_batches([pending])
    with pytest.raises(IllegalTransitionError):
        controller.merge_batches([batch_id, pending])
    after = controller.get_batch_status(batch_id)
    assert {k: v for k, v in after.items() if k != "photos_per_minute"} == {
        k: v for k, v in before.items() if k != "photos_per_minute"
    }
    assert controller.batch(pending).status is BatchStatus.PENDING
    with pytest.raises(BatchNotFoundError):
        controller.pause_batch("batch_nothere")
    with pytest.raises(BatchNotFoundError):
        controller.get_batch_status("batch_nothere")


def test_a_bad_photo_fails_alone_and_retry_failed_redoes_only_it(
    make_controller: MakeController,
    develop: Instrumented,
    store: Store,
    photos: Any,
    qtbot: Any,
) -> None:
    paths = photos(4)
    ids = store.add_photos([str(p) for p in paths])
    develop.fail_names = {"photo_002"}
    develop.fail_once = True
    controller = make_controller(develop)
    states: list[str] = []
    controller.photo_finished.connect(lambda _b, _p, state: states.append(state))
    batch_id = create(controller, ids, config=CONFIG).batch_id
    wait_status(qtbot, controller, batch_id, "completed")
    summary = controller.batch(batch_id)
    assert (summary.processed_count, summary.failed_count) == (3, 1)
    failed = controller.batch_photos(batch_id, PhotoState.FAILED)
    assert failed[0].error == "photo_002.jpg is damaged and cannot be read"
    assert sorted(states) == ["done", "done", "done", "failed"]
    with qtbot.waitSignal(controller.batch_finished, timeout=20_000):
        assert controller.retry_failed(batch_id) == 1
    summary = controller.batch(batch_id)
    assert (summary.status, summary.processed_count, summary.failed_count) == (
        BatchStatus.COMPLETED,
        4,
        0,
    )
    assert sorted(develop.successes.values()) == [1] * 4  # nothing developed twice


def test_priority_decides_which_batch_runs_first(
    make_controller: MakeController,
    develop: Instrumented,
    store: Store,
    photos: Any,
    qtbot: Any,
) -> None:
    low_ids = add_photos(store, photos, 3, folder="low", prefix="low")
    high_ids = add_photos(store, photos, 3, folder="high", prefix="high")
    develop.gate.clear()
    controller = make_controller(develop, workers=1)
    low = create(controller, low_ids, config=CONFIG).batch_id
    wait_in_flight(qtbot, develop, 1)
    high = create(controller, high_ids, config=CONFIG).batch_id
    with qtbot.waitSignal(controller.batch_changed):
        controller.set_priority(high, 5)
    assert controller.batch(high).priority == 5
    develop.gate.set()
    wait_status(qtbot, controller, low, "completed")
    order = [Path(p).name.split("_")[0] for p in develop.started]
    assert order == ["low", "high", "high", "high", "low", "low"]
    assert controller.batch(high).status is BatchStatus.COMPLETED


def test_merge_combines_pending_photos_and_cancels_the_originals(
    make_controller: MakeController,
    develop: Instrumented,
    store: Store,
    photos: Any,
    qtbot: Any,
) -> None:
    a_ids = add_photos(store, photos, 2, folder="a", prefix="a")
    b_ids = add_photos(store, photos, 3, folder="b", prefix="b")
    controller = make_controller(develop)
    a = create(controller, a_ids, config=CONFIG, start=False, priority=1).batch_id
    b = create(controller, b_ids, config=CONFIG, start=False, priority=3).batch_id
    other = create(
        controller, a_ids, config={**CONFIG, "blend": 20}, start=False, name="Soft"
    ).batch_id
    with pytest.raises(InvalidBatchError, match="same settings") as refused:
        controller.merge_batches([a, other])
    assert "differ in blend" in refused.value.message and "Soft" in refused.value.message
    assert other not in refused.value.message  # named by name, not by internal id
    with pytest.raises(InvalidBatchError):
        controller.merge_batches([a])
    added: list[str] = []
    controller.batch_added.connect(added.append)
    merged = controller.merge_batches([a, b])
    assert added == [merged]
    summary = controller.batch(merged)
    assert (summary.status, summary.total_photos, summary.priority) == (
        BatchStatus.PENDING,
        5,
        3,
    )
    for original in (a, b):
        status = controller.get_batch_status(original)
        assert status["status"] == "cancelled"
        assert status["error"] == f"merged into batch {merged}"
    planned = {r.output_path for r in store.batch_photos(a)} | {
        r.output_path for r in store.batch_photos(b)
    }
    assert {r.output_path for r in controller.batch_photos(merged)} == planned
    controller.resume_batch(merged)
    wait_status(qtbot, controller, merged, "completed")
    assert set(develop.successes) == planned


def test_merge_waits_until_photos_in_flight_have_finished(
    make_controller: MakeController,
    develop: Instrumented,
    store: Store,
    photos: Any,
    qtbot: Any,
) -> None:
    a_ids = add_photos(store, photos, 4, folder="a", prefix="a")
    b_ids = add_photos(store, photos, 2, folder="b", prefix="b")
    develop.gate.clear()
    controller = make_controller(develop, workers=2)
    a = create(controller, a_ids, config=CONFIG).batch_id
    b = create(controller, b_ids, config=CONFIG, start=False).batch_id
    wait_in_flight(qtbot, develop, 2)
    controller.pause_batch(a)
    with pytest.raises(IllegalTransitionError, match="2 of its photos are still being developed"):
        controller.merge_batches([a, b])
    assert controller.batch(a).status is BatchStatus.PAUSED  # nothing changed
    assert controller.batch(b).status is BatchStatus.PENDING
    assert len(controller.batches()) == 2
    develop.gate.set()
    qtbot.waitUntil(lambda: controller.workers_busy() == 0, timeout=20_000)
    merged = controller.merge_batches([a, b])
    assert controller.batch(merged).total_photos == 4  # a's 2 left pending, and b's 2
    controller.resume_batch(merged)
    wait_status(qtbot, controller, merged, "completed")
    assert sorted(develop.successes.values()) == [1] * 6


class RefusingStore(Store):
    """A store that refuses photo results: on worker threads only, or for chosen photos."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.refuse_on_workers = False
        self.refuse_photos: set[int] = set()

    def record_photo_result(
        self, batch_id: str, photo_id: int, *, ok: bool, error: str | None = None, **more: Any
    ) -> bool:
        on_worker = threading.current_thread() is not threading.main_thread()
        if (self.refuse_on_workers and on_worker) or photo_id in self.refuse_photos:
            raise sqlite3.OperationalError("disk I/O error")
        return super().record_photo_result(batch_id, photo_id, ok=ok, error=error, **more)


def _refusing_controller(
    data_dir: Path, presets: Any, tmp_path: Path, develop: Instrumented, workers: int
) -> tuple[BatchController, RefusingStore]:
    store = RefusingStore(data_dir / "refusing.sqlite3")
    controller = BatchController(
        store,
        presets,
        ControllerSettings(workers=workers, default_output_dir=tmp_path / "out"),
        InProcessExecutor(workers, develop),
    )
    return controller, store


def test_a_result_refused_on_a_worker_thread_is_recorded_on_the_main_thread(
    data_dir: Path, presets: Any, tmp_path: Path, photos: Any, qtbot: Any
) -> None:
    develop = Instrumented()
    controller, store = _refusing_controller(data_dir, presets, tmp_path, develop, 2)
    store.refuse_on_workers = True
    try:
        ids = add_photos(store, photos, 4)
        batch_id = create(controller, ids, config=CONFIG).batch_id
        wait_status(qtbot, controller, batch_id, "completed")
        summary = controller.batch(batch_id)
        assert (summary.processed_count, summary.running_count) == (4, 0)
        assert {r.state for r in store.batch_photos(batch_id)} == {PhotoState.DONE}
    finally:
        controller.close()
        store.close()


def test_a_result_the_store_keeps_refusing_pauses_the_batch_naming_the_photo(
    data_dir: Path, presets: Any, tmp_path: Path, photos: Any, qtbot: Any
) -> None:
    develop = Instrumented()
    controller, store = _refusing_controller(data_dir, presets, tmp_path, develop, 1)
    try:
        files = photos(3)
        ids = store.add_photos([str(p) for p in files])
        store.refuse_photos = {ids[1]}
        batch_id = create(controller, ids, config=CONFIG).batch_id
        wait_status(qtbot, controller, batch_id, "paused")
        summary = controller.batch(batch_id)
        assert summary.pause_reason is PauseReason.INTERRUPTED
        assert summary.error is not None and files[1].name in summary.error
        assert summary.running_count == 0
        assert store.batch_photos(batch_id, offset=1, limit=1)[0].state is PhotoState.PENDING
        store.refuse_photos = set()
        controller.resume_batch(batch_id)
        wait_status(qtbot, controller, batch_id, "completed")
        assert controller.batch(batch_id).processed_count == 3
    finally:
        controller.close()
        store.close()


def test_a_batch_imported_from_the_autodev_format_plans_its_outputs_when_resumed(
    make_controller: MakeController,
    develop: Instrumented,
    store: Store,
    photos: Any,
    tmp_path: Path,
    qtbot: Any,
) -> None:
    ids = add_photos(store, photos, 4)
    unknown = max(ids) + 100  # known to the AutoDev contract by id only: a placeholder row
    state = {
        "batch_id": "batch_abc123def456", "session_id": 7,
        "photo_ids": [*ids, unknown], "processed_photo_ids": [ids[0]], "failed_photo_ids": [],
        "status": "paused", "created_at": "2025-11-09T10:00:00Z",
        "started_at": "2025-11-09T10:00:05Z", "paused_at": "2025-11-09T10:15:30Z",
        "completed_at": None, "total_photos": 5, "processed_count": 1, "failed_count": 0,
        "config": {"preset": "WhiteLayer_v4", "blend": 60}, "task_ids": [],
    }  # fmt: skip
    folder = tmp_path / "states" / "batch_states"
    folder.mkdir(parents=True)
    (folder / "batch_abc123def456.json").write_text(json.dumps(state), encoding="utf-8")
    assert store.import_states(tmp_path / "states").imported == ["batch_abc123def456"]
    assert {r.output_path for r in store.batch_photos("batch_abc123def456")} == {""}
    controller = make_controller(develop)
    controller.resume_batch("batch_abc123def456")
    wait_status(qtbot, controller, "batch_abc123def456", "completed")
    summary = controller.batch("batch_abc123def456")
    assert (summary.processed_count, summary.failed_count) == (4, 1)
    out = tmp_path / "out" / "batch_abc123def456"
    expected = [out / f"photo_{i:03d}_WhiteLayer_v4.jpg" for i in (1, 2, 3)]
    assert sorted(develop.successes) == [str(p) for p in expected]
    assert outputs(out) == expected
    failed = store.batch_photos("batch_abc123def456", state=PhotoState.FAILED)
    assert [(r.photo_id, r.error) for r in failed] == [
        (
            unknown,
            f"Photo {unknown} was imported from a saved batch without the location of its "
            "file, so it cannot be developed",
        )
    ]


def test_remove_and_cleanup_delete_rows_never_files(
    make_controller: MakeController,
    develop: Instrumented,
    store: Store,
    photos: Any,
    qtbot: Any,
    tmp_path: Path,
) -> None:
    ids = add_photos(store, photos, 2)
    controller = make_controller(develop)
    first = create(controller, ids, config=CONFIG).batch_id
    second = create(controller, ids, config=CONFIG).batch_id
    running = create(controller, ids, config=CONFIG, start=False).batch_id
    wait_status(qtbot, controller, first, "completed")
    wait_status(qtbot, controller, second, "completed")
    files_before = outputs(tmp_path / "out")
    removed: list[str] = []
    controller.batch_removed.connect(removed.append)
    assert controller.remove_batches([first]) == 1
    assert removed == [first] and store.get_batch(first) is None
    with pytest.raises(BatchNotFoundError):
        controller.batch(first)
    with pytest.raises(InvalidBatchError):
        controller.cleanup_completed_batches(-1)
    assert controller.cleanup_completed_batches(7) == {
        "message": "Batch cleanup completed",
        "cleaned_count": 0,
        "days_old": 7,
    }
    execute_sql(  # the second batch finished ten days ago
        store,
        "UPDATE batches SET completed_at = '2020-01-01T00:00:00Z' WHERE batch_id = ?",
        (second,),
    )
    assert controller.cleanup_completed_batches(7) == {
        "message": "Batch cleanup completed",
        "cleaned_count": 1,
        "days_old": 7,
    }
    assert removed == [first, second]
    assert [b.batch_id for b in controller.batches()] == [running]
    assert outputs(tmp_path / "out") == files_before


def test_disk_full_pauses_the_batch_leaves_no_partial_file_and_resume_completes(
    make_controller: MakeController,
    develop: Instrumented,
    store: Store,
    photos: Any,
    qtbot: Any,
    tmp_path: Path,
) -> None:
    ids = add_photos(store, photos, 4)
    develop.disk_full_names = {"photo_002"}
    controller = make_controller(develop, workers=1)
    batch_id = create(controller, ids, config=CONFIG).batch_id
    wait_status(qtbot, controller, batch_id, "paused")
    qtbot.waitUntil(lambda: controller.workers_busy() == 0, timeout=20_000)
    summary = controller.batch(batch_id)
    assert summary.pause_reason is PauseReason.DISK_FULL
    assert summary.error is not None and "full" in summary.error
    assert summary.failed_count == 0 and summary.pending_count == 2
    folder = tmp_path / "out" / batch_id
    assert sorted(p.name for p in folder.iterdir()) == [
        "photo_000_WhiteLayer_v4.jpg",
        "photo_001_WhiteLayer_v4.jpg",
    ]
    develop.disk_full_names = set()
    controller.resume_batch(batch_id)
    wait_status(qtbot, controller, batch_id, "completed")
    assert controller.batch(batch_id).error is None
    assert len(list(folder.iterdir())) == 4


def test_running_out_of_file_handles_pauses_the_batch_instead_of_failing_photos(
    make_controller: MakeController, store: Store, photos: Any, qtbot: Any
) -> None:
    """EMFILE while a photo is opened is the computer's trouble, not the photo's: the batch
    pauses (out_of_resources), nothing fails, and resume completes."""
    from junmai_gui.develop.errors import resource_error

    ids = add_photos(store, photos, 4)
    develop = Instrumented()
    exhausted = [True]

    def no_handles_left(source: Path) -> None:
        if exhausted[0] and source.stem == "photo_001":
            error = resource_error(errno.EMFILE, f"opening {source.name}")
            assert error is not None
            raise error

    develop.hook = no_handles_left
    controller = make_controller(develop, workers=1)
    batch_id = create(controller, ids, config=CONFIG).batch_id
    wait_status(qtbot, controller, batch_id, "paused")
    qtbot.waitUntil(lambda: controller.workers_busy() == 0, timeout=20_000)
    summary = controller.batch(batch_id)
    assert summary.pause_reason is PauseReason.OUT_OF_RESOURCES
    assert summary.error is not None and "photo_001.jpg" in summary.error
    assert (summary.failed_count, summary.processed_count, summary.pending_count) == (0, 1, 3)
    exhausted[0] = False
    controller.resume_batch(batch_id)
    wait_status(qtbot, controller, batch_id, "completed")
    assert controller.batch(batch_id).processed_count == 4


def test_an_unplugged_output_drive_pauses_with_output_unavailable(
    make_controller: MakeController, store: Store, photos: Any, qtbot: Any, tmp_path: Path
) -> None:
    ids = add_photos(store, photos, 3)
    develop = Instrumented()
    gone = tmp_path / "usb"
    develop.hook = lambda source: (
        gone.exists()
        and source.stem == "photo_001"
        and ([p.unlink() for p in gone.iterdir()] and gone.rmdir())
    )
    controller = make_controller(develop, workers=1)
    batch_id = create(controller, ids, config={**CONFIG, "output_dir": str(gone)}).batch_id
    wait_status(qtbot, controller, batch_id, "paused")
    assert controller.batch(batch_id).pause_reason is PauseReason.OUTPUT_UNAVAILABLE
    gone.mkdir()
    controller.resume_batch(batch_id)
    wait_status(qtbot, controller, batch_id, "completed")
    assert controller.batch(batch_id).processed_count == 3


def test_a_preset_deleted_before_resume_fails_the_batch(
    make_controller: MakeController,
    develop: Instrumented,
    store: Store,
    photos: Any,
    qtbot: Any,
    data_dir: Path,
    presets: Any,
) -> None:
    (data_dir / "presets").mkdir(exist_ok=True)
    preset_file = data_dir / "presets" / "Mine.json"
    preset_file.write_text(
        '{"format": "junmai-preset", "version": 1, "name": "Mine",'
        ' "settings": {"Exposure2012": 0.5}}'
    )
    presets.reload()
    assert "Mine" in presets.names()
    ids = add_photos(store, photos, 3)
    controller = make_controller(develop)
    batch_id = create(controller, ids, config={"preset": "Mine"}, start=False).batch_id
    preset_file.unlink()
    presets.reload()
    with qtbot.waitSignal(controller.batch_finished) as finished:
        controller.resume_batch(batch_id)
    assert finished.args == [batch_id, "failed"]
    summary = controller.batch(batch_id)
    assert summary.status is BatchStatus.FAILED and "Mine" in (summary.error or "")
    assert develop.started == []


def test_shutdown_pauses_running_batches_and_drains_in_flight_photos(
    make_controller: MakeController,
    develop: Instrumented,
    store: Store,
    photos: Any,
    qtbot: Any,
) -> None:
    ids = add_photos(store, photos, 6)
    controller = make_controller(develop, workers=2)
    batch_id = create(controller, ids, config=CONFIG).batch_id
    develop.gate.clear()
    wait_in_flight(qtbot, develop, 2)
    started = len(develop.started)
    develop.gate.set()
    controller.shutdown(timeout_s=20)
    stored = store.get_batch(batch_id)
    assert stored is not None
    assert stored.status is BatchStatus.PAUSED and stored.pause_reason is PauseReason.APP_QUIT
    assert stored.running_count == 0
    assert len(develop.started) == started
    assert stored.processed_count == started


def test_batch_changed_is_coalesced_however_fast_photos_finish(
    make_controller: MakeController, store: Store, photos: Any, qtbot: Any
) -> None:
    ids = add_photos(store, photos, 60)
    controller = make_controller(Instrumented(), workers=2)
    changes: list[str] = []
    controller.batch_changed.connect(changes.append)
    photo_events: list[int] = []
    controller.photo_finished.connect(lambda _b, p, _s: photo_events.append(p))
    import time

    start = time.monotonic()
    batch_id = create(controller, ids, config=CONFIG).batch_id
    wait_status(qtbot, controller, batch_id, "completed")
    elapsed = time.monotonic() - start
    assert len(photo_events) == 60
    # one emit per 100 ms at most, plus the immediate ones for status changes
    assert len(changes) <= elapsed * 10 + 3, (len(changes), elapsed)
    qtbot.waitUntil(lambda: changes.count(batch_id) >= 1)


def test_throughput_eta_workers_and_metrics(
    make_controller: MakeController,
    develop: Instrumented,
    store: Store,
    photos: Any,
    qtbot: Any,
) -> None:
    ids = add_photos(store, photos, 6)
    controller = make_controller(develop, workers=1)
    assert controller.workers == 1
    batch_id = create(controller, ids, config=CONFIG).batch_id
    qtbot.waitUntil(lambda: controller.batch(batch_id).processed_count >= 2, timeout=20_000)
    develop.gate.clear()
    wait_in_flight(qtbot, develop, 1)
    # Speed and time left are computed at each change notification: wait for one.
    qtbot.waitUntil(lambda: controller.throughput(batch_id) > 0)
    assert controller.throughput() == controller.throughput(batch_id)  # the one batch running
    eta = controller.eta_seconds(batch_id)
    assert eta is not None and eta > 0
    assert controller.eta_seconds() is not None
    with qtbot.waitSignal(controller.activity_changed, timeout=5_000):
        controller.workers = 3
    with pytest.raises(InvalidBatchError):
        controller.workers = 0
    develop.gate.set()
    wait_status(qtbot, controller, batch_id, "completed")
    assert develop.max_in_flight <= 3
    assert controller.eta_seconds(batch_id) is None
    assert controller.throughput(batch_id) == 0.0  # a finished batch has no speed
    entries = controller.get_all_batches()
    assert entries[0].keys() >= AUTODEV_LIST_KEYS
    assert entries[0]["batch_id"] == batch_id
    metrics = controller.metrics()
    assert metrics["batches_started"] == 1 and metrics["batches_completed"] == 1
    assert metrics["photos_done"] == 6 and metrics["success_rate"] == 1.0
    assert metrics["workers"] == 3


def test_recovery_pauses_interrupted_batches_and_blames_no_photo(
    make_controller: MakeController,
    store: Store,
    photos: Any,
    tmp_path: Path,
    develop: Instrumented,
    qtbot: Any,
) -> None:
    """An app killed from outside (twice, even) leaves running photos: they go back to
    pending, however many attempts they had; a batch whose creation never finished goes."""
    ids = add_photos(store, photos, 4)
    first = make_controller(develop)
    batch_id = create(first, ids, config=CONFIG, start=False).batch_id
    first.close()
    # what a killed process leaves: a running batch, running photos, a temporary file
    store.set_status(batch_id, BatchStatus.RUNNING)
    store.mark_photo_running(batch_id, ids[0])
    store.mark_photo_running(batch_id, ids[1])
    execute_sql(  # killed twice while ids[1] was being developed
        store,
        "UPDATE batch_photos SET attempts = 2 WHERE batch_id = ? AND photo_id = ?",
        (batch_id, ids[1]),
    )
    half_created = NewBatch("batch_half", "", None, 0, CONFIG, BatchStatus.RUNNING, [], "x")
    store.begin_batch(half_created)
    store.add_batch_photos("batch_half", [NewBatchPhoto(ids[2], "/out/a.jpg")], 0)
    folder = tmp_path / "out" / batch_id
    leftover = folder / f"{TEMP_PREFIX}abc-photo_000_WhiteLayer_v4.jpg"
    leftover.write_bytes(b"half")
    controller = make_controller(develop)
    assert controller.workers_busy() == 0 and develop.started == []
    result = controller.recover_interrupted_batches()
    assert set(result) == {"message", "recovered_count", "failed_count", "timestamp"}
    assert result["message"] == "Batch recovery completed"
    assert (result["recovered_count"], result["failed_count"]) == (1, 0)
    summary = controller.batch(batch_id)
    assert summary.status is BatchStatus.PAUSED
    assert summary.pause_reason is PauseReason.INTERRUPTED
    assert (summary.pending_count, summary.failed_count, summary.running_count) == (4, 0, 0)
    assert not leftover.exists()
    assert [b.batch_id for b in controller.batches()] == [batch_id]
    assert store.get_batch("batch_half") is None
    assert not store.batch_photos("batch_half")
    assert controller.recover_interrupted_batches()["recovered_count"] == 0
    assert controller.metrics()["recovery_count"] == 1
    controller.resume_batch(batch_id)
    wait_status(qtbot, controller, batch_id, "completed")
    assert controller.batch(batch_id).processed_count == 4


def test_recovery_leaves_batches_this_controller_runs_alone(
    make_controller: MakeController,
    develop: Instrumented,
    store: Store,
    photos: Any,
    qtbot: Any,
) -> None:
    ids = add_photos(store, photos, 3)
    develop.gate.clear()
    controller = make_controller(develop, workers=1)
    batch_id = create(controller, ids, config=CONFIG).batch_id
    wait_in_flight(qtbot, develop, 1)
    assert controller.recover_interrupted_batches()["recovered_count"] == 0
    assert controller.batch(batch_id).status is BatchStatus.RUNNING
    assert controller.batch(batch_id).running_count == 1
    develop.gate.set()
    wait_status(qtbot, controller, batch_id, "completed")


def test_recovery_also_finds_batches_written_to_the_store_behind_its_back(
    make_controller: MakeController,
    develop: Instrumented,
    store: Store,
    photos: Any,
    qtbot: Any,
) -> None:
    ids = add_photos(store, photos, 2)
    controller = make_controller(develop)
    store.create_batch(
        NewBatch(
            batch_id="batch_0123456789ab",
            name="",
            session_id=None,
            priority=0,
            config=CONFIG,
            status=BatchStatus.RUNNING,
            photos=[NewBatchPhoto(pid, "") for pid in ids],
            created_at=utc_now_iso(),
        )
    )
    with qtbot.waitSignal(controller.batch_added) as added:
        assert controller.recover_interrupted_batches()["recovered_count"] == 1
    assert added.args == ["batch_0123456789ab"]
    summary = controller.batch("batch_0123456789ab")
    assert summary.status is BatchStatus.PAUSED
    assert summary.pause_reason is PauseReason.INTERRUPTED


def test_a_preset_error_while_developing_fails_the_batch_with_its_message(
    make_controller: MakeController,
    develop: Instrumented,
    store: Store,
    photos: Any,
    qtbot: Any,
) -> None:
    def lut_gone(source: Path) -> None:
        if source.stem == "photo_001":
            raise PresetError("The LUT file of WhiteLayer_v4 is missing")

    develop.hook = lut_gone
    ids = add_photos(store, photos, 4)
    controller = make_controller(develop, workers=1)
    with qtbot.waitSignal(controller.batch_finished, timeout=20_000) as finished:
        batch_id = create(controller, ids, config=CONFIG).batch_id
    assert finished.args == [batch_id, "failed"]
    summary = controller.batch(batch_id)
    assert summary.error == "The LUT file of WhiteLayer_v4 is missing"
    assert (summary.processed_count, summary.pending_count, summary.running_count) == (1, 3, 0)
    assert len(develop.started) == 2  # nothing started after the failure


def test_finished_workers_are_released(
    make_controller: MakeController, photos: Callable[..., list[Path]], develop: Instrumented,
    qtbot: Any, tmp_path: Path,
) -> None:  # fmt: skip
    """PySide keeps every autoDelete-off QRunnable alive for good; the executor starts
    callables instead, so nothing of a finished photo stays (10,000 of them once made
    garbage collections stall the GUI thread)."""
    import gc

    from junmai_gui.develop.engine import CancelToken
    from junmai_gui.develop.jobs import PhotoJob, PhotoResult

    kinds = PhotoJob | PhotoResult | CancelToken
    gc.collect()
    before = {id(o) for o in gc.get_objects() if isinstance(o, kinds)}  # of earlier tests
    controller = make_controller(develop=develop)
    batch = create(controller, photo_paths=photos(60), config=CONFIG)
    wait_status(qtbot, controller, batch.batch_id, "completed")
    qtbot.waitUntil(lambda: controller.workers_busy() == 0, timeout=20_000)
    gc.collect()
    alive = [o for o in gc.get_objects() if isinstance(o, kinds) and id(o) not in before]
    assert alive == []


def test_rates_add_up_and_a_batch_without_a_worker_waits_in_line(
    make_controller: MakeController,
    develop: Instrumented,
    store: Store,
    photos: Any,
    qtbot: Any,
) -> None:
    """One definition: the overall speed is the sum of the rows; photos go to the batches in
    dispatch order, so the second batch waits in line and finishes last."""
    # Enough photos in the first batch that it is still running when the gate closes (the
    # worker may take a few more photos before the test closes it).
    first_ids = add_photos(store, photos, 30, folder="a", prefix="a")
    second_ids = add_photos(store, photos, 3, folder="b", prefix="b")
    controller = make_controller(develop, workers=1)
    first = create(controller, first_ids, config=CONFIG, name="First", priority=1).batch_id
    second = create(controller, second_ids, config=CONFIG, name="Second").batch_id
    qtbot.waitUntil(lambda: controller.batch(first).processed_count >= 2, timeout=20_000)
    develop.gate.clear()
    wait_in_flight(qtbot, develop, 1)
    qtbot.waitUntil(lambda: controller.throughput(first) > 0)
    ahead, behind = controller.progress(first), controller.progress(second)
    activity = controller.activity()
    assert ahead.place_in_line == 0 and behind.place_in_line == 1
    assert behind.rate == 0.0
    assert activity.rate == ahead.rate + behind.rate
    assert activity.running == 2 and activity.total == 33
    assert activity.finished == ahead.finished + behind.finished
    assert ahead.eta_seconds is not None and behind.eta_seconds is not None
    assert ahead.eta_seconds < behind.eta_seconds == activity.eta_seconds
    develop.gate.set()
    wait_status(qtbot, controller, second, "completed")


def test_one_failed_photo_is_retried_alone(
    make_controller: MakeController,
    develop: Instrumented,
    store: Store,
    photos: Any,
    qtbot: Any,
) -> None:
    ids = store.add_photos([str(p) for p in photos(3)])
    develop.fail_names = {"photo_000", "photo_001"}
    develop.fail_once = True
    controller = make_controller(develop)
    batch_id = create(controller, ids, config=CONFIG).batch_id
    wait_status(qtbot, controller, batch_id, "completed")
    first, second = controller.batch_photos(batch_id, PhotoState.FAILED)
    with pytest.raises(InvalidBatchError, match="Only a photo that failed"):
        controller.retry_photo(batch_id, ids[2])  # done, not failed
    with qtbot.waitSignal(controller.batch_finished, timeout=20_000):
        controller.retry_photo(batch_id, first.photo_id)
        assert controller.batch(batch_id).status is BatchStatus.RUNNING
    summary = controller.batch(batch_id)
    assert (summary.status, summary.processed_count, summary.failed_count) == (
        BatchStatus.COMPLETED,
        2,
        1,
    )
    [still] = controller.batch_photos(batch_id, PhotoState.FAILED)
    assert still.photo_id == second.photo_id


def test_batches_set_aside_come_back_on_undo_and_are_deleted_after(
    make_controller: MakeController, store: Store, photos: Any, qtbot: Any
) -> None:
    ids = store.add_photos([str(p) for p in photos(1)])
    controller = make_controller()
    batch_id = create(controller, ids, config=CONFIG, start=False).batch_id
    controller.cancel_batch(batch_id)
    with pytest.raises(IllegalTransitionError):
        controller.set_aside_batches([create(controller, ids, config=CONFIG, start=False).batch_id])
    removed: list[str] = []
    controller.batch_removed.connect(removed.append)
    assert controller.set_aside_batches([batch_id]) == [batch_id]
    assert removed == [batch_id] and batch_id not in [b.batch_id for b in controller.batches()]
    with pytest.raises(BatchNotFoundError):
        controller.get_batch_status(batch_id)
    assert store.get_batch(batch_id) is not None  # still stored: undo is possible
    assert controller.restore_batches([batch_id]) == [batch_id]
    assert controller.batch(batch_id).status is BatchStatus.CANCELLED
    controller.set_aside_batches([batch_id])
    controller.forget_set_aside([batch_id])
    assert store.get_batch(batch_id) is None
    assert controller.restore_batches([batch_id]) == []
