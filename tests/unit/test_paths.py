from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from junmai_gui import paths


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
