"""Opening a file that is not our database fails clearly and leaves the file as it was."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from junmai_gui.domain.status import BatchStatus, PauseReason
from junmai_gui.store import NewBatch, NewBatchPhoto, Store, StoreError
from junmai_gui.store.migrations import APPLICATION_ID, LATEST_VERSION, MIGRATIONS


def _bytes(path: Path) -> bytes:
    return path.read_bytes()


def _refused(path: Path, words: str) -> None:
    before = _bytes(path)
    with pytest.raises(StoreError) as caught:
        Store(path)
    assert str(path) in str(caught.value) and words in str(caught.value)
    assert caught.value.path == path
    assert _bytes(path) == before


def test_a_file_that_is_not_sqlite_is_refused(data_dir: Path) -> None:
    path = data_dir / "batches.sqlite3"
    path.write_bytes(os.urandom(8192))
    _refused(path, "not a readable SQLite database")


def test_a_database_with_a_damaged_header_is_refused(data_dir: Path) -> None:
    store = Store.open(data_dir)
    store.add_photos(["/p/1.jpg"])
    store.close()
    path = data_dir / "batches.sqlite3"
    data = bytearray(_bytes(path))
    data[0:16] = b"not a database!!"
    path.write_bytes(bytes(data))
    _refused(path, "not a readable SQLite database")


def test_a_database_of_another_program_is_refused(data_dir: Path) -> None:
    path = data_dir / "batches.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('Ada')")
    conn.commit()
    conn.close()
    _refused(path, "another program")


def test_a_newer_schema_is_refused(data_dir: Path) -> None:
    Store.open(data_dir).close()
    path = data_dir / "batches.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    _refused(path, "newer version")


def test_a_new_and_an_empty_file_become_a_fresh_database(data_dir: Path) -> None:
    empty = data_dir / "empty.sqlite3"
    empty.touch()
    for path in (empty, data_dir / "new.sqlite3"):
        store = Store(path)
        assert store.schema_version == LATEST_VERSION
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        recorded = conn.execute("SELECT version FROM schema_migrations").fetchall()
        assert [v for (v,) in recorded] == list(range(1, LATEST_VERSION + 1))
        conn.close()


def test_reopening_keeps_the_data_and_does_not_migrate_again(data_dir: Path) -> None:
    store = Store.open(data_dir)
    ids = store.add_photos(["/p/1.jpg", "/p/2.jpg"])
    store.close()
    again = Store.open(data_dir)
    assert again.add_photos(["/p/2.jpg", "/p/1.jpg"]) == ids[::-1]
    assert again.schema_version == LATEST_VERSION


def test_connections_follow_the_contract(data_dir: Path) -> None:
    store = Store.open(data_dir)
    conn = store._conn()
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    ids = store.add_photos(["/p/1.jpg"])
    store.create_batch(
        NewBatch("b", "b", None, 0, {}, BatchStatus.PENDING, [NewBatchPhoto(ids[0], "")], "")
    )
    store.record_photo_result("b", ids[0], ok=True)
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL for progress
    store.set_status("b", BatchStatus.RUNNING)
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL for the rest


def test_an_older_database_is_migrated_and_keeps_its_data(data_dir: Path) -> None:
    """A database of schema 1 (the first release) with a batch and its photos: opened by
    this version, it is migrated step by step and every row survives, photo rows included
    (the batches table is rebuilt by migration 3)."""
    path = data_dir / "batches.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0][2])
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(
        "CREATE TABLE schema_migrations ("
        " version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    conn.execute("INSERT INTO schema_migrations VALUES (1, 'first', '2025-11-09T10:00:00Z')")
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO photos (id, path) VALUES (7, '/p/1.jpg')")
    conn.execute(
        "INSERT INTO batches (batch_id, status, pause_reason, created_at, config, total_photos,"
        " processed_count) VALUES ('batch_old', 'paused', 'disk_full', '2025-11-09T10:00:00Z',"
        ' \'{"preset": "Identity"}\', 1, 1)'
    )
    conn.execute(
        "INSERT INTO batch_photos (batch_id, photo_id, position, state, output_path)"
        " VALUES ('batch_old', 7, 0, 'done', '/out/1.jpg')"
    )
    conn.commit()
    conn.close()

    again = Store.open(data_dir)
    assert again.schema_version == LATEST_VERSION == 5
    assert again.photo_paths([7]) == {7: "/p/1.jpg"}
    batch = again.get_batch("batch_old")
    assert batch is not None and batch.pause_reason is PauseReason.DISK_FULL
    assert (batch.total_photos, batch.processed_count) == (1, 1)
    (record,) = again.batch_photos("batch_old")
    assert (record.output_paths, record.developed_by) == (("/out/1.jpg",), None)
    again.set_status("batch_old", BatchStatus.CANCELLED)
    again.close()
    conn = sqlite3.connect(path)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    versions = [v for (v,) in conn.execute("SELECT version FROM schema_migrations ORDER BY 1")]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()
    assert {"batch_photos_in_order", "batch_photos_by_output", "batch_outputs_by_output"} <= names
    assert versions == [1, 2, 3, 4, 5]
