"""The API token file: created once, private, regenerated on request."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest

from junmai_gui.store import read_or_create_token, read_token, regenerate_token


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_no_token_until_one_is_created(data_dir: Path) -> None:
    assert read_token(data_dir) is None


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_token_is_created_once_with_mode_0600(data_dir: Path) -> None:
    token = read_or_create_token(data_dir)
    assert len(token) >= 40
    assert read_or_create_token(data_dir) == token == read_token(data_dir)
    assert _mode(data_dir / "api-token") == 0o600
    assert sorted(p.name for p in data_dir.iterdir()) == ["api-token"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_regenerate_replaces_the_token_and_keeps_it_private(data_dir: Path) -> None:
    old = read_or_create_token(data_dir)
    new = regenerate_token(data_dir)
    assert new != old and read_token(data_dir) == new
    assert _mode(data_dir / "api-token") == 0o600


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_a_too_open_token_file_is_made_private(data_dir: Path) -> None:
    path = data_dir / "api-token"
    path.write_text("secret\n")
    path.chmod(0o644)
    assert read_or_create_token(data_dir) == "secret"
    assert _mode(path) == 0o600


def test_an_empty_token_file_is_replaced(data_dir: Path) -> None:
    (data_dir / "api-token").write_text("")
    token = read_or_create_token(data_dir)
    assert token and read_token(data_dir) == token
