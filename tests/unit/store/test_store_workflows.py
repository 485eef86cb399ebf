"""The store's part of several outputs per photo, templates and watched folders."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from junmai_gui.domain.errors import InvalidBatchError, WatchNotFoundError
from junmai_gui.domain.status import BatchStatus, PhotoState
from junmai_gui.store import NewBatch, NewBatchPhoto, Store
from tests.unit.store.invariants import assert_consistent


def _batch(batch_id: str, photos: list[NewBatchPhoto], status: BatchStatus) -> NewBatch:
    return NewBatch(batch_id, "", None, 0, {"preset": "p"}, status, photos, "2025-11-09T10:00:00Z")


def _three_outputs(store: Store, batch_id: str, status: BatchStatus = BatchStatus.PENDING) -> int:
    (photo,) = store.add_photos([f"/in/{batch_id}.jpg"])
    extra = (f"/out/web/{batch_id}.jpg", f"/out/{batch_id}.tif")
    store.create_batch(
        _batch(
            batch_id, [NewBatchPhoto(photo, f"/out/{batch_id}.jpg", extra_outputs=extra)], status
        )
    )
    return photo


def test_every_output_of_a_photo_is_stored_handed_out_and_listed(store: Store) -> None:
    photo = _three_outputs(store, "b1")
    (task,) = store.next_pending_photos("b1", 10)
    assert (task.output_path, task.extra_outputs) == (
        "/out/b1.jpg",
        ("/out/web/b1.jpg", "/out/b1.tif"),
    )
    (record,) = store.batch_photos("b1")
    assert record.output_paths == ("/out/b1.jpg", "/out/web/b1.jpg", "/out/b1.tif")
    assert store.batch_output_dirs("b1") == ["/out", "/out/web"]
    assert sorted(store.output_paths_of("b1")) == ["/out/b1.jpg", "/out/b1.tif", "/out/web/b1.jpg"]
    assert store.reserved_outputs("/out") == {
        path.casefold(): "b1" for path in ("/out/b1.jpg", "/out/web/b1.jpg", "/out/b1.tif")
    }
    assert photo > 0
    assert_consistent(store.path)


def test_no_output_of_an_unfinished_batch_is_given_to_another(store: Store) -> None:
    _three_outputs(store, "b1")
    (other,) = store.add_photos(["/in/other.jpg"])
    store.begin_batch(_batch("b2", [], BatchStatus.PENDING))
    with pytest.raises(InvalidBatchError, match=r"b1\.tif is already an output of b1"):
        store.add_batch_photos(
            "b2", [NewBatchPhoto(other, "/out/new.jpg", extra_outputs=("/out/b1.tif",))], 0
        )
    store.set_status("b1", BatchStatus.CANCELLED)  # finished: its paths are free again
    store.add_batch_photos(
        "b2", [NewBatchPhoto(other, "/out/new.jpg", extra_outputs=("/out/b1.tif",))], 0
    )


def test_a_merge_keeps_every_output_of_the_photos_it_moves(store: Store) -> None:
    _three_outputs(store, "b1")
    _three_outputs(store, "b2")
    merged = store.merge_batches(["b1", "b2"], _batch("b3", [], BatchStatus.PENDING))
    records = store.batch_photos(merged.batch_id)
    assert [r.output_paths[1:] for r in records] == [
        ("/out/web/b1.jpg", "/out/b1.tif"),
        ("/out/web/b2.jpg", "/out/b2.tif"),
    ]


def test_removing_a_batch_removes_its_outputs_rows(store: Store, data_dir: Path) -> None:
    _three_outputs(store, "b1", BatchStatus.RUNNING)
    store.set_status("b1", BatchStatus.CANCELLED)
    assert store.delete_batches(["b1"]) == 1
    with sqlite3.connect(data_dir / "batches.sqlite3") as conn:
        assert conn.execute("SELECT COUNT(*) FROM batch_outputs").fetchone() == (0,)


def test_a_template_round_trips_and_names_ignore_case(store: Store) -> None:
    config = {"preset": "WhiteLayer_v4", "outputs": [{"format": "tiff", "bit_depth": 16}]}
    saved = store.save_template("Wedding", config)
    assert store.template("wedding") == saved and saved.config == config
    again = store.save_template("WEDDING", {"preset": "Identity"})
    assert again.created_at == saved.created_at and again.name == "WEDDING"
    assert [t.name for t in store.templates()] == ["WEDDING"]
    assert store.delete_template("Wedding") and store.template("wedding") is None
    assert not store.delete_template("Wedding")


def test_a_watch_takes_a_photo_once_with_its_row_in_the_same_transaction(store: Store) -> None:
    watch = store.add_watch("Tethered", "/in", {"preset": "p"}, None)
    ids = store.add_photos(["/in/a.jpg", "/in/b.jpg"])
    photos = [NewBatchPhoto(pid, f"/out/{pid}.jpg") for pid in ids]
    new = _batch("w1", [], BatchStatus.PENDING)
    first = store.take_watched_photos(
        watch.watch_id, "2025-11-09", new, "w1", photos[:1], ["/in/a.jpg"]
    )
    assert (first.total_photos, first.status) == (1, BatchStatus.PENDING)
    again = store.take_watched_photos(
        watch.watch_id, "2025-11-09", None, "w1", photos, ["/in/a.jpg", "/in/b.jpg"]
    )
    assert again.total_photos == 2  # a.jpg was taken already: only b.jpg is added
    assert [r.position for r in store.batch_photos("w1")] == [0, 1]
    assert store.taken_paths(watch.watch_id) == {"/in/a.jpg", "/in/b.jpg"}
    watched = store.watch(watch.watch_id)
    assert (watched.batch_id, watched.day) == ("w1", "2025-11-09")
    store.set_status("w1", BatchStatus.CANCELLED)
    store.delete_batches(["w1"])
    assert store.taken_paths(watch.watch_id) == {"/in/a.jpg", "/in/b.jpg"}  # outlives its batch
    assert_consistent(store.path)


def test_a_failed_take_records_nothing(store: Store) -> None:
    watch = store.add_watch("W", "/in", None, "Wedding")
    _three_outputs(store, "held", BatchStatus.RUNNING)
    (pid,) = store.add_photos(["/in/c.jpg"])
    with pytest.raises(InvalidBatchError, match="already an output"):
        store.take_watched_photos(
            watch.watch_id,
            "2025-11-09",
            _batch("w2", [], BatchStatus.PENDING),
            "w2",
            [NewBatchPhoto(pid, "/out/held.jpg", PhotoState.PENDING)],
            ["/in/c.jpg"],
        )
    assert store.taken_paths(watch.watch_id) == set()
    assert store.get_batch("w2") is None
    store.remove_watch(watch.watch_id)
    with pytest.raises(WatchNotFoundError):
        store.watch(watch.watch_id)
