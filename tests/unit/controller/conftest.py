"""Fixtures of the controller tests: a real store, the real preset library, tiny photos."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from junmai_gui.controller.batch_controller import BatchController, ControllerSettings
from junmai_gui.controller.executors import InProcessExecutor
from junmai_gui.develop.engine import develop_photo
from junmai_gui.develop.library import PresetLibrary
from junmai_gui.store.database import Store
from tests.photos import make_photos
from tests.unit.controller.helpers import Instrumented


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    db = Store.open(data_dir)
    yield db
    db.close()


@pytest.fixture
def presets(data_dir: Path) -> PresetLibrary:
    return PresetLibrary(data_dir / "presets")


@pytest.fixture
def photos(tmp_path: Path) -> Callable[..., list[Path]]:
    def make(count: int, folder: str = "in", prefix: str = "photo") -> list[Path]:
        return make_photos(tmp_path / folder, count, prefix=prefix)

    return make


@pytest.fixture
def develop() -> Instrumented:
    return Instrumented()


@pytest.fixture
def make_controller(
    store: Store, presets: PresetLibrary, tmp_path: Path, qtbot: Any
) -> Iterator[Callable[..., BatchController]]:
    made: list[BatchController] = []

    def make(develop: Any = None, workers: int = 2) -> BatchController:
        controller = BatchController(
            store,
            presets,
            ControllerSettings(workers=workers, default_output_dir=tmp_path / "out"),
            InProcessExecutor(workers, develop or develop_photo),
        )
        made.append(controller)
        return controller

    yield make
    for controller in made:
        controller.shutdown(timeout_s=10)
        controller.close()
