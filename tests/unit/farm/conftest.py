"""One hub and two `junmai-farm worker`s for the farm tests (started once: a worker takes a
few seconds to start), on a free loopback port with a password; and controllers whose
executor is the real `FarmExecutor`."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from junmai_gui.controller.batch_controller import BatchController, ControllerSettings
from junmai_gui.controller.executors import Executor
from junmai_gui.controller.farm_executor import FarmExecutor, farm_app_id
from junmai_gui.develop.library import PresetLibrary
from junmai_gui.store.database import Store
from tests.unit.api.headless_app import free_port
from tests.unit.farm.helpers import START_TIMEOUT_S, Hub, Worker, live_workers, wait_until

pytestmark = pytest.mark.skipif(os.name == "nt", reason="the bundled broker is Linux/macOS")


class Farm:
    """The hub, the workers by name, and the folder workers may write under."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.output_root = root / "farm-out"
        self.output_root.mkdir()
        self.hub = Hub(root / "hub", free_port())
        self.workers: dict[str, Worker] = {}
        for name in ("w1", "w2"):
            self.start_worker(name)
        self.wait_for_workers()

    def start_worker(self, name: str, **options: Any) -> Worker:
        worker = Worker(self.hub, name, self.root / "workers", self.output_root, **options)
        self.workers[name] = worker
        return worker

    def wait_for_workers(self) -> None:
        names = set(self.workers)
        wait_until(lambda: names <= live_workers(self.hub), START_TIMEOUT_S, f"workers {names}")

    def ensure_workers(self) -> None:
        """Workers a test killed are started again."""
        for name, worker in list(self.workers.items()):
            if worker.process.poll() is not None:
                self.start_worker(name)
        self.wait_for_workers()

    def close(self) -> None:
        for worker in self.workers.values():
            worker.stop()
        self.hub.stop()


@pytest.fixture(scope="session")
def farm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Farm]:
    running = Farm(tmp_path_factory.mktemp("farm"))
    yield running
    running.close()


@pytest.fixture
def live_farm(farm: Farm) -> Farm:
    farm.ensure_workers()
    return farm


@pytest.fixture
def out_dir(farm: Farm, request: pytest.FixtureRequest) -> Path:
    """A folder of this test's own under the root the workers may write to."""
    folder = farm.output_root / request.node.name.replace("[", "_").replace("]", "")
    folder.mkdir()
    return folder


@pytest.fixture
def make_farm_controller(
    store: Store, data_dir: Path, tmp_path: Path, qtbot: Any
) -> Iterator[Callable[..., BatchController]]:
    made: list[BatchController] = []

    def make(url: str, executor: Executor | None = None) -> BatchController:
        controller = BatchController(
            store,
            PresetLibrary(None),
            ControllerSettings(workers=1, default_output_dir=tmp_path / "out"),
            executor or FarmExecutor(url, farm_app_id(data_dir)),
        )
        made.append(controller)
        return controller

    yield make
    for controller in made:
        controller.shutdown(timeout_s=10)
