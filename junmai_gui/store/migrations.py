"""Numbered schema migrations, recorded in the database, and the checks made before opening.

The database is marked as ours with `PRAGMA application_id`; `PRAGMA user_version` holds the
schema version and the `schema_migrations` table records when each migration ran. A file
that is not SQLite, another program's database, or one written by a newer version of the
app is refused with a `StoreError` naming the file, and never written to.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from junmai_gui.domain.clock import utc_now_iso
from junmai_gui.store.errors import StoreError

APPLICATION_ID = 0x4A4E4D42  # "JNMB"

_BATCH_STATUSES = "'pending','running','paused','completed','cancelled','failed'"
_PAUSE_REASONS_1 = "'user','app_quit','interrupted','disk_full','output_unavailable'"
_PAUSE_REASONS_3 = f"{_PAUSE_REASONS_1},'farm_unavailable','out_of_resources'"
_PHOTO_STATES = "'pending','running','done','failed'"

# (version, what it does, SQL). Append only: a released migration is never edited.
MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "photos, batches, batch photos and the event log",
        f"""
        CREATE TABLE photos (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE
        );
        CREATE TABLE batches (
            batch_id TEXT PRIMARY KEY,
            name TEXT NOT NULL DEFAULT '',
            session_id INTEGER,
            status TEXT NOT NULL CHECK (status IN ({_BATCH_STATUSES})),
            pause_reason TEXT CHECK (pause_reason IS NULL OR pause_reason IN ({_PAUSE_REASONS_1})),
            priority INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            started_at TEXT,
            paused_at TEXT,
            completed_at TEXT,
            config TEXT,
            error TEXT,
            task_ids TEXT NOT NULL DEFAULT '[]',
            total_photos INTEGER NOT NULL DEFAULT 0,
            processed_count INTEGER NOT NULL DEFAULT 0,
            failed_count INTEGER NOT NULL DEFAULT 0,
            running_count INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE batch_photos (
            batch_id TEXT NOT NULL REFERENCES batches(batch_id) ON DELETE CASCADE,
            photo_id INTEGER NOT NULL REFERENCES photos(id),
            position INTEGER NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ({_PHOTO_STATES})),
            attempts INTEGER NOT NULL DEFAULT 0,
            error TEXT,
            output_path TEXT NOT NULL DEFAULT '',
            finished_at TEXT,
            PRIMARY KEY (batch_id, photo_id)
        ) WITHOUT ROWID;
        CREATE INDEX batch_photos_next ON batch_photos (batch_id, state, position);
        CREATE INDEX batch_photos_by_photo ON batch_photos (photo_id);
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            batch_id TEXT,
            kind TEXT NOT NULL,
            at TEXT NOT NULL,
            detail TEXT
        );
        CREATE INDEX events_by_kind ON events (kind, batch_id);
        CREATE INDEX events_by_batch ON events (batch_id);
        """,
    ),
    (
        2,
        "list a batch's photos in order without sorting them",
        "CREATE INDEX batch_photos_in_order ON batch_photos (batch_id, position)",
    ),
    (
        3,
        "batches created in steps, who developed each photo, pause reasons of the farm era",
        # SQLite cannot change a CHECK constraint in place: the batches table is rebuilt
        # (foreign keys are off while migrations run, so its photo rows stay).
        f"""
        CREATE TABLE batches_new (
            batch_id TEXT PRIMARY KEY,
            name TEXT NOT NULL DEFAULT '',
            session_id INTEGER,
            status TEXT NOT NULL CHECK (status IN ({_BATCH_STATUSES})),
            pause_reason TEXT CHECK (pause_reason IS NULL OR pause_reason IN ({_PAUSE_REASONS_3})),
            priority INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            started_at TEXT,
            paused_at TEXT,
            completed_at TEXT,
            config TEXT,
            error TEXT,
            task_ids TEXT NOT NULL DEFAULT '[]',
            total_photos INTEGER NOT NULL DEFAULT 0,
            processed_count INTEGER NOT NULL DEFAULT 0,
            failed_count INTEGER NOT NULL DEFAULT 0,
            running_count INTEGER NOT NULL DEFAULT 0,
            creating INTEGER NOT NULL DEFAULT 0
        );
        INSERT INTO batches_new (batch_id, name, session_id, status, pause_reason, priority,
            created_at, started_at, paused_at, completed_at, config, error, task_ids,
            total_photos, processed_count, failed_count, running_count)
            SELECT batch_id, name, session_id, status, pause_reason, priority, created_at,
            started_at, paused_at, completed_at, config, error, task_ids, total_photos,
            processed_count, failed_count, running_count FROM batches;
        DROP TABLE batches;
        ALTER TABLE batches_new RENAME TO batches;
        ALTER TABLE batch_photos ADD COLUMN developed_by TEXT
        """,
    ),
    (
        4,
        "find which batch holds an output path",
        "CREATE INDEX batch_photos_by_output ON batch_photos (output_path)",
    ),
    (
        5,
        "several outputs per photo, batch templates, watch folders and what they took",
        # batch_photos.output_path stays the first output (the AutoDev contract's); the
        # others are in batch_outputs, indexed by path like it. What a watch took is kept
        # when its batch is removed, so a photo is never taken twice.
        """
        CREATE TABLE batch_outputs (
            batch_id TEXT NOT NULL,
            photo_id INTEGER NOT NULL,
            output_index INTEGER NOT NULL CHECK (output_index >= 1),
            output_path TEXT NOT NULL,
            PRIMARY KEY (batch_id, photo_id, output_index),
            FOREIGN KEY (batch_id, photo_id) REFERENCES batch_photos (batch_id, photo_id)
                ON DELETE CASCADE
        ) WITHOUT ROWID;
        CREATE INDEX batch_outputs_by_output ON batch_outputs (output_path);
        CREATE TABLE templates (
            name TEXT PRIMARY KEY COLLATE NOCASE,
            config TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE watches (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            folder TEXT NOT NULL,
            config TEXT,
            template TEXT,
            paused INTEGER NOT NULL DEFAULT 0,
            batch_id TEXT,
            day TEXT,
            error TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE watch_taken (
            watch_id INTEGER NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            batch_id TEXT,
            taken_at TEXT NOT NULL,
            PRIMARY KEY (watch_id, path)
        ) WITHOUT ROWID
        """,
    ),
]

LATEST_VERSION = MIGRATIONS[-1][0]


def _refuse(path: Path, why: str, *, damaged: bool = False) -> StoreError:
    return StoreError(
        f"Cannot open the batch database {path}: {why}. It was left untouched.",
        path,
        damaged=damaged,
    )


def inspect_existing(path: Path) -> int:
    """Check a database file before anything writes to it; return its schema version.

    Opens it read-only, so a file we refuse is left byte-identical. An empty file or a
    database without tables counts as new (version 0).
    """
    if not path.exists() or path.stat().st_size == 0:
        return 0
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise _refuse(path, f"it cannot be read ({exc})") from exc
    try:
        app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        tables = {
            str(row[0])
            for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    except sqlite3.DatabaseError as exc:
        raise _refuse(path, f"it is not a readable SQLite database ({exc})", damaged=True) from exc
    finally:
        conn.close()
    if app_id != APPLICATION_ID:
        if not tables and app_id == 0 and version == 0:
            return 0
        raise _refuse(path, "it belongs to another program, not to Junmai Batch")
    if version > LATEST_VERSION:
        raise _refuse(
            path,
            f"it was written by a newer version of Junmai Batch (schema {version}, "
            f"this version knows up to {LATEST_VERSION}); please update the app",
        )
    return version


def migrate(conn: sqlite3.Connection, path: Path) -> int:
    """Bring the schema up to `LATEST_VERSION` in one transaction, each migration recorded.

    Foreign keys are off meanwhile (a table rebuilt by a migration would otherwise take its
    dependent rows with it) and checked before the commit."""
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        return _migrate(conn, path)
    finally:
        conn.execute("PRAGMA foreign_keys = ON")


def _migrate(conn: sqlite3.Connection, path: Path) -> int:
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version > LATEST_VERSION:
            raise _refuse(path, f"it was written by a newer version (schema {version})")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        for number, description, sql in MIGRATIONS:
            if number <= version:
                continue
            for statement in sql.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)",
                (number, description, utc_now_iso()),
            )
            conn.execute(f"PRAGMA user_version = {number}")
            version = number
        broken = conn.execute("PRAGMA foreign_key_check").fetchone()
        if broken is not None:
            raise _refuse(path, f"its rows do not fit together ({tuple(broken)})", damaged=True)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return version
