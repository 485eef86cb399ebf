"""The batch planner on real files: one scan, checks before any write, rows in steps,
progress, and a cancel that leaves nothing behind."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from junmai_gui.controller import planning
from junmai_gui.controller.planning import BatchPlanner, BatchRequest, CreationCancelled
from junmai_gui.develop.library import PresetLibrary
from junmai_gui.domain.errors import InvalidBatchError
from junmai_gui.store.database import Store

CONFIG = {"preset": "Identity"}


class Recorder:
    """A creation's progress as the planner reports it; cancels after `cancel_after` reports
    of stored rows."""

    def __init__(self, cancel_after: int | None = None) -> None:
        self.reports: list[tuple[int, int]] = []
        self.batch_id: str | None = None
        self.cancel_after = cancel_after

    def begin(self, batch_id: str) -> None:
        self.batch_id = batch_id

    def report(self, done: int, total: int) -> None:
        self.reports.append((done, total))

    def cancelled(self) -> bool:
        stored = [r for r in self.reports if r[0]]
        return self.cancel_after is not None and len(stored) >= self.cancel_after


@pytest.fixture
def planner(store: Store, data_dir: Path, tmp_path: Path) -> BatchPlanner:
    return BatchPlanner(store, PresetLibrary(data_dir / "presets"), tmp_path / "out")


def empty_photos(folder: Path, count: int) -> list[Path]:
    """Empty files with photo names: enough for planning, which never reads pixels."""
    folder.mkdir(parents=True)
    files = [folder / f"IMG_{i:05d}.jpg" for i in range(count)]
    for file in files:
        file.touch()
    return files


def test_a_folder_is_scanned_once_and_stored_in_steps_with_progress(
    planner: BatchPlanner, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(planning, "ROWS_PER_STEP", 7)
    empty_photos(tmp_path / "in", 30)
    progress = Recorder()
    planned = planner.create(
        BatchRequest(photo_paths=[str(tmp_path / "in")], config=CONFIG, name="Trip"), progress
    )
    assert planned.summary.total_photos == 30
    assert planned.summary.batch_id == progress.batch_id
    stored = [r for r in progress.reports if r[0]]
    assert stored == [(7, 30), (14, 30), (21, 30), (28, 30), (30, 30)]
    records = store.batch_photos(planned.summary.batch_id, limit=100)
    assert [r.position for r in records] == list(range(30))
    assert Path(records[0].output_path).parent == tmp_path / "out" / "Trip"
    assert planned.config.preset == "Identity"


def test_files_found_by_a_scan_are_taken_as_they_are(planner: BatchPlanner, tmp_path: Path) -> None:
    files = empty_photos(tmp_path / "in", 3)
    request = BatchRequest(files=[str(f) for f in files], config=CONFIG)
    assert planner.create(request, Recorder()).summary.total_photos == 3


def test_cancel_between_steps_stores_nothing(
    planner: BatchPlanner, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(planning, "ROWS_PER_STEP", 5)
    empty_photos(tmp_path / "in", 20)
    progress = Recorder(cancel_after=2)
    with pytest.raises(CreationCancelled):
        planner.create(BatchRequest(photo_paths=[str(tmp_path / "in")], config=CONFIG), progress)
    assert progress.batch_id is not None
    assert store.list_batches() == []
    assert store.batch_photos(progress.batch_id) == []


def test_a_bad_request_is_refused_before_anything_is_written(
    planner: BatchPlanner, store: Store, tmp_path: Path
) -> None:
    empty_photos(tmp_path / "in", 2)
    blocker = tmp_path / "file"
    blocker.write_bytes(b"x")
    refused: list[tuple[dict[str, Any], str]] = [
        ({"preset": "Nope"}, "no preset named 'Nope'"),
        ({**CONFIG, "blend": 101}, "Blend"),
        ({**CONFIG, "output_dir": "relative/folder"}, "absolute"),
        ({**CONFIG, "output_dir": str(blocker / "sub")}, "not a folder we can write to"),
    ]
    for config, words in refused:
        with pytest.raises(InvalidBatchError, match=words):
            planner.create(
                BatchRequest(photo_paths=[str(tmp_path / "in")], config=config), Recorder()
            )
    assert store.list_batches() == []
    assert not (tmp_path / "out").exists()


def test_a_clashing_default_folder_gets_the_next_number(
    planner: BatchPlanner, tmp_path: Path
) -> None:
    files = [str(f) for f in empty_photos(tmp_path / "in", 1)]
    (tmp_path / "out" / "Trip").mkdir(parents=True)
    (tmp_path / "out" / "Trip 2").mkdir()
    planned = planner.create(BatchRequest(files=files, config=CONFIG, name="Trip"), Recorder())
    assert planned.config.output_dir == str(tmp_path / "out" / "Trip 3")


@pytest.mark.skipif(os.name == "nt", reason="POSIX file names are bytes")
def test_a_photo_whose_name_is_not_text_is_rejected_alone(
    planner: BatchPlanner, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    empty_photos(folder, 2)
    odd = os.path.join(os.fsencode(folder), b"caf\xe9.jpg")
    with open(odd, "wb"):
        pass
    planned = planner.create(BatchRequest(photo_paths=[str(folder)], config=CONFIG), Recorder())
    assert planned.summary.total_photos == 2
    ((path, reason),) = planned.rejected
    assert "caf" in path and "not valid text" in reason


def test_batches_without_an_output_folder_each_get_their_own(
    planner: BatchPlanner, tmp_path: Path
) -> None:
    """The default output folder (built-in or set in Settings) holds one folder per batch,
    never every batch's photos side by side."""
    files = [str(f) for f in empty_photos(tmp_path / "in", 2)]
    first = planner.create(BatchRequest(files=files, config=CONFIG, name="Wedding"), Recorder())
    second = planner.create(BatchRequest(files=files, config=CONFIG, name="Wedding"), Recorder())
    unnamed = planner.create(BatchRequest(files=files, config=CONFIG), Recorder())
    folders = [Path(p.config.output_dir or "") for p in (first, second, unnamed)]
    assert folders == [
        tmp_path / "out" / "Wedding",
        tmp_path / "out" / "Wedding 2",
        tmp_path / "out" / unnamed.summary.batch_id,
    ]


def test_an_option_this_computer_cannot_honour_is_refused_before_anything_is_stored(
    planner: BatchPlanner, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from junmai_gui.develop import output

    monkeypatch.setattr(output, "avif_available", lambda: False)
    files = [str(f) for f in empty_photos(tmp_path / "in", 1)]
    with pytest.raises(InvalidBatchError, match="AVIF output is not available"):
        planner.create(BatchRequest(files=files, config={**CONFIG, "format": "avif"}), Recorder())
    assert store.list_batches() == [] and not (tmp_path / "out").exists()


def test_a_refused_batch_leaves_no_empty_output_folder(
    planner: BatchPlanner, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Refused after its folder was made (here: cancelled while its rows were written), a
    batch takes the folders it created back with it."""
    monkeypatch.setattr(planning, "ROWS_PER_STEP", 2)
    files = [str(f) for f in empty_photos(tmp_path / "in", 6)]
    target = tmp_path / "developed" / "2026" / "wedding"
    config = {**CONFIG, "output_dir": str(target)}
    with pytest.raises(CreationCancelled):
        planner.create(BatchRequest(files=files, config=config), Recorder(cancel_after=1))
    assert not (tmp_path / "developed").exists()
    assert store.list_batches() == []


def test_a_folder_that_changes_during_the_scan_gives_the_photos_still_there(
    planner: BatchPlanner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A subfolder deleted while the scan walks the tree (and one created meanwhile) does
    not fail the request: what vanished is skipped, the rest makes the batch."""
    root = tmp_path / "card"
    empty_photos(root / "keep", 3)
    doomed = empty_photos(root / "vanishing", 2)
    from junmai_gui.develop import formats

    original = formats.find_photos

    def find_while_the_card_changes(*args: Any, **kwargs: Any) -> Any:
        def pace() -> None:
            for photo in doomed:  # deleted under the walk, on its first step
                photo.unlink(missing_ok=True)
            if (root / "vanishing").exists():
                (root / "vanishing").rmdir()
                (root / "new").mkdir()

        kwargs["pace"] = pace
        return original(*args, **kwargs)

    monkeypatch.setattr(planning, "find_photos", find_while_the_card_changes)
    planned = planner.create(BatchRequest(photo_paths=[str(root)], config=CONFIG), Recorder())
    assert planned.summary.total_photos == 3
    assert planned.rejected == []
