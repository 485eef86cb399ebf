"""The AutoDev contract's batch state files: import, export, and damaged files set aside."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from junmai_gui.domain.status import BatchStatus, PhotoState
from junmai_gui.store import Store
from junmai_gui.store.autodev_json import (
    StateFileError,
    state_from_dict,
    state_to_dict,
    write_state_file,
)

# The "State File Format" example of the AutoDev contract design, verbatim.
AUTODEV_EXAMPLE: dict[str, Any] = {
    "batch_id": "batch_abc123def456",
    "session_id": 123,
    "photo_ids": [1, 2, 3, 4, 5],
    "processed_photo_ids": [1, 2, 3],
    "failed_photo_ids": [],
    "status": "paused",
    "created_at": "2025-11-09T10:00:00Z",
    "started_at": "2025-11-09T10:00:05Z",
    "paused_at": "2025-11-09T10:15:30Z",
    "completed_at": None,
    "total_photos": 5,
    "processed_count": 3,
    "failed_count": 0,
    "config": {"preset": "WhiteLayer_v4", "blend": 60},
    "task_ids": ["task1", "task2", "task3"],
}


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_autodev_example_round_trips_field_for_field(data_dir: Path, tmp_path: Path) -> None:
    states = tmp_path / "data" / "batch_states"
    _write(states, "batch_abc123def456.json", json.dumps(AUTODEV_EXAMPLE, indent=2))
    store = Store.open(data_dir)

    report = store.import_states(tmp_path / "data")

    assert report.imported == ["batch_abc123def456"] and not report.corrupt
    summary = store.get_batch("batch_abc123def456")
    assert summary is not None
    assert summary.status is BatchStatus.PAUSED
    assert (summary.total_photos, summary.processed_count, summary.failed_count) == (5, 3, 0)
    assert summary.progress_percent == 60.0
    assert [t.photo_id for t in store.next_pending_photos("batch_abc123def456", 10)] == [4, 5]
    assert store.photo_paths([1, 5]) == {1: "photo:1", 5: "photo:5"}

    exported = state_to_dict(store.export_state("batch_abc123def456"))
    assert list(exported) == list(AUTODEV_EXAMPLE)
    for key, value in AUTODEV_EXAMPLE.items():
        assert exported[key] == value, key
        assert type(exported[key]) is type(value), key

    out = write_state_file(store.export_state("batch_abc123def456"), tmp_path / "export")
    assert json.loads(out.read_text(encoding="utf-8")) == AUTODEV_EXAMPLE


def test_importing_twice_skips_the_stored_batch(data_dir: Path, tmp_path: Path) -> None:
    _write(tmp_path / "in", "a.json", json.dumps(AUTODEV_EXAMPLE))
    store = Store.open(data_dir)
    store.import_states(tmp_path / "in")
    report = store.import_states(tmp_path / "in")
    assert report.imported == [] and report.skipped == ["batch_abc123def456"]


def test_extras_round_trip_when_asked(data_dir: Path, tmp_path: Path) -> None:
    data = {**AUTODEV_EXAMPLE, "name": "Wedding", "priority": 3, "pause_reason": "disk_full"}
    _write(tmp_path / "in", "a.json", json.dumps(data))
    store = Store.open(data_dir)
    store.import_states(tmp_path / "in")
    assert state_to_dict(store.export_state(data["batch_id"]), include_extras=True) == data


def _good(batch_id: str) -> str:
    return json.dumps({**AUTODEV_EXAMPLE, "batch_id": batch_id, "photo_ids": [1, 2, 3, 4, 5]})


@pytest.mark.parametrize(
    ("name", "text", "reason"),
    [
        ("truncated.json", json.dumps(AUTODEV_EXAMPLE)[:80], "not valid JSON"),
        ("empty.json", "", "empty"),
        ("blank.json", "  \n", "empty"),
        ("a_list.json", "[1, 2, 3]", "JSON object"),
        ("ids_text.json", json.dumps({**AUTODEV_EXAMPLE, "photo_ids": "1,2,3"}), "photo_ids"),
        ("count_text.json", json.dumps({**AUTODEV_EXAMPLE, "total_photos": "5"}), "total"),
        ("bad_status.json", json.dumps({**AUTODEV_EXAMPLE, "status": "paused!"}), "status"),
        (
            "no_id.json",
            json.dumps({k: v for k, v in AUTODEV_EXAMPLE.items() if k != "batch_id"}),
            "batch_id",
        ),
        (
            "bad_time.json",
            json.dumps({**AUTODEV_EXAMPLE, "created_at": "yesterday"}),
            "created_at",
        ),
        ("stray.json", json.dumps({**AUTODEV_EXAMPLE, "failed_photo_ids": [9]}), "photo_ids"),
        ("binary.json", "\udcff", "not valid JSON"),
    ],
)
def test_damaged_files_are_set_aside_and_the_rest_imports(
    data_dir: Path,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    name: str,
    text: str,
    reason: str,
) -> None:
    folder = tmp_path / "in" / "batch_states"
    _write(folder, "batch_000000000001.json", _good("batch_000000000001"))
    damaged = folder / name
    damaged.write_bytes(text.encode("utf-8", "surrogateescape"))
    _write(folder, "batch_000000000002.json", _good("batch_000000000002"))
    store = Store.open(data_dir)

    with caplog.at_level(logging.WARNING):
        report = store.import_states(tmp_path / "in")

    assert report.imported == ["batch_000000000001", "batch_000000000002"]
    assert [n for n, _ in report.corrupt] == [name]
    assert reason in report.corrupt[0][1]
    assert not damaged.exists()
    assert (folder / (name + ".corrupt")).read_bytes() == text.encode("utf-8", "surrogateescape")
    assert name in caplog.text and reason in caplog.text


def test_a_second_damaged_copy_does_not_overwrite_the_first(tmp_path: Path, data_dir: Path) -> None:
    folder = tmp_path / "in"
    _write(folder, "x.json", "{")
    store = Store.open(data_dir)
    store.import_states(folder)
    _write(folder, "x.json", "[")
    store.import_states(folder)
    assert (folder / "x.json.corrupt").read_text() == "{"
    assert (folder / "x.json.corrupt.1").read_text() == "["


def test_state_from_dict_names_the_problem() -> None:
    with pytest.raises(StateFileError, match="both processed and failed"):
        state_from_dict({**AUTODEV_EXAMPLE, "failed_photo_ids": [1]})
    with pytest.raises(StateFileError, match="more than once"):
        state_from_dict({**AUTODEV_EXAMPLE, "photo_ids": [1, 1, 2, 3]})
    with pytest.raises(StateFileError, match="whole numbers"):
        state_from_dict({**AUTODEV_EXAMPLE, "photo_ids": [1, True]})


def test_counters_that_disagree_with_the_lists_follow_the_lists(
    data_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _write(tmp_path / "in", "a.json", json.dumps({**AUTODEV_EXAMPLE, "processed_count": 9}))
    store = Store.open(data_dir)
    with caplog.at_level(logging.WARNING):
        store.import_states(tmp_path / "in")
    assert store.count_photos("batch_abc123def456", PhotoState.DONE) == 3
    assert "disagree" in caplog.text


def test_exported_batch_lists_photos_in_batch_order(data_dir: Path) -> None:
    from junmai_gui.store import NewBatch, NewBatchPhoto

    store = Store.open(data_dir)
    ids = store.add_photos([f"/p/{i}.jpg" for i in range(4)])
    order = [ids[2], ids[0], ids[3], ids[1]]
    store.create_batch(
        NewBatch(
            batch_id="batch_0000000000aa",
            name="n",
            session_id=None,
            priority=0,
            config={"preset": "p"},
            status=BatchStatus.PENDING,
            photos=[NewBatchPhoto(pid, f"/o/{pid}.jpg") for pid in order],
            created_at="2025-11-09T10:00:00Z",
            task_ids=["t"],
        )
    )
    store.set_status("batch_0000000000aa", BatchStatus.RUNNING)
    store.mark_photo_running("batch_0000000000aa", order[3])
    store.record_photo_result("batch_0000000000aa", order[3], ok=True)
    store.record_photo_result("batch_0000000000aa", order[1], ok=False, error="bad")
    state = store.export_state("batch_0000000000aa")
    assert state.photo_ids == order
    assert state.processed_photo_ids == [order[3]] and state.failed_photo_ids == [order[1]]
    assert state.task_ids == ["t"] and state.config == {"preset": "p"}
