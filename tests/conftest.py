"""Fixtures for every test: a private data dir, and proof that the real one is never touched."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The apps the tests start speak English whatever this computer's language ("system", the
# default Language setting, follows LANGUAGE first); tests of the Japanese interface ask.
os.environ["LANGUAGE"] = "en"

from junmai_gui import paths
from junmai_gui.store.database import Store

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


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    """A real store in the test's data dir, closed at the end."""
    db = Store.open(data_dir)
    yield db
    db.close()


@pytest.fixture
def photos(tmp_path: Path) -> Callable[..., list[Path]]:
    """Makes `count` tiny distinct JPEGs under tmp_path/`folder` (see tests.photos)."""
    from tests.photos import make_photos  # pyvips only for the tests that make photos

    def make(count: int, folder: str = "in", **kwargs: Any) -> list[Path]:
        return make_photos(tmp_path / folder, count, **kwargs)

    return make


LARGE_FOLDER_PHOTOS = 100_000


@pytest.fixture(scope="session")
def large_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder of 100,000 empty files with photo names, for the tests that create a batch
    of them (planning never reads pixels). Made with plain strings: 100,000 Path objects in
    a test process would cost the garbage collector seconds."""
    folder = tmp_path_factory.mktemp("large") / "card"
    folder.mkdir()
    base = str(folder)
    for i in range(LARGE_FOLDER_PHOTOS):
        name = os.path.join(base, f"IMG_{i:06d}.jpg")
        os.close(os.open(name, os.O_CREAT | os.O_WRONLY, 0o644))
    return folder
