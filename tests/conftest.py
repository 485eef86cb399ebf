"""Fixtures for every test: a private data dir, and proof that the real one is never touched."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from junmai_gui import paths

REAL_DATA_DIR = paths.default_data_dir()
TESTDATA = Path(__file__).resolve().parents[2] / "shared" / "testdata"


def _snapshot(folder: Path) -> set[str] | None:
    if not folder.exists():
        return None
    # names, sizes and modification times: a test that appends to a file shows too
    return {f"{p}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in folder.rglob("*")}


@pytest.fixture(scope="session", autouse=True)
def _real_data_dir_untouched() -> Iterator[None]:
    before = _snapshot(REAL_DATA_DIR)
    yield
    assert _snapshot(REAL_DATA_DIR) == before, (
        f"a test wrote into the real data dir {REAL_DATA_DIR}"
    )


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data dir; `JUNMAI_DATA_DIR` points there."""
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(folder))
    return folder


@pytest.fixture
def testdata() -> Path:
    """The shared real-world files; tests that use them skip where the folder is absent."""
    if not TESTDATA.is_dir():
        pytest.skip("../shared/testdata is not present in this checkout")
    return TESTDATA
