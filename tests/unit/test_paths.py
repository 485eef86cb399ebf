from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from junmai_gui import paths
from junmai_gui.store import AppSettings, Store, read_or_create_token, save_settings


def test_env_overrides_platform_dir(data_dir: Path) -> None:
    assert paths.resolve_data_dir() == data_dir.resolve()


def test_cli_overrides_env(tmp_path: Path) -> None:
    assert paths.resolve_data_dir(tmp_path / "x") == (tmp_path / "x").resolve()


def test_default_is_platform_user_data_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(paths.DATA_DIR_ENV)
    assert paths.resolve_data_dir() == paths.default_data_dir()
    assert "junmai-gui" in str(paths.default_data_dir())


@pytest.fixture
def restore_root_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


@pytest.mark.usefixtures("restore_root_logging")
def test_log_line_format(data_dir: Path) -> None:
    log_file = paths.setup_logging(data_dir, console=False)
    logger = logging.getLogger("junmai_gui.test")
    logger.info(
        paths.log_fields("Started batch processing", batch_id="batch_abc123", photo_count=5)
    )
    for handler in logging.getLogger().handlers:
        handler.flush()
    line = log_file.read_text().strip().splitlines()[-1]
    assert line.endswith("INFO: Started batch processing | batch_id=batch_abc123 | photo_count=5")


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.mark.usefixtures("restore_root_logging")
def test_a_new_data_folder_is_private(tmp_path: Path) -> None:
    """Other local users must not read the batches, settings, logs or token."""
    umask = os.umask(0o022)  # what most systems use: files would be readable by all
    data_dir = tmp_path / "new" / "data"
    try:
        paths.ensure_data_dir(data_dir)
    finally:
        os.umask(umask)
    log_file = paths.setup_logging(data_dir, console=False)
    logging.getLogger("junmai_gui.test").warning("a line")
    store = Store.open(data_dir)
    store.add_photos(["/photos/a.jpg"])  # a write: SQLite creates -wal and -shm
    save_settings(data_dir, AppSettings())
    read_or_create_token(data_dir)
    try:
        for folder in (data_dir, data_dir / "logs", data_dir / "presets"):
            assert mode(folder) == 0o700, folder
        files = [data_dir / name for name in ("batches.sqlite3", "batches.sqlite3-wal",
                 "batches.sqlite3-shm", "settings.json", "api-token")] + [log_file]  # fmt: skip
        for file in files:
            assert mode(file) == 0o600, file
        for handler in logging.getLogger().handlers:
            if isinstance(handler, paths.PrivateRotatingFileHandler):
                handler.doRollover()
        assert mode(log_file) == mode(log_file.with_name(log_file.name + ".1")) == 0o600
    finally:
        store.close()


def test_looser_modes_left_by_older_versions_are_tightened(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    (data_dir / "logs").mkdir(parents=True)
    files = [data_dir / "batches.sqlite3", data_dir / "batches.sqlite3-wal",
             data_dir / "settings.json", data_dir / "logs" / "junmai-gui.log.3"]  # fmt: skip
    for file in files:
        file.write_text("x")
        file.chmod(0o644)
    for folder in (data_dir, data_dir / "logs"):
        folder.chmod(0o755)
    outside = tmp_path / "someone-elses.txt"
    outside.write_text("x")
    outside.chmod(0o644)
    (data_dir / "link").symlink_to(outside)
    paths.ensure_data_dir(data_dir)
    assert [mode(f) for f in files] == [0o600] * len(files)
    assert mode(data_dir) == mode(data_dir / "logs") == mode(data_dir / "presets") == 0o700
    assert mode(outside) == 0o644  # a link is never followed
