"""Render farm throughput: the farm against local develop processes, and the dispatcher's
ceiling.

    python benchmarks/farm_throughput.py [--photos N] [--concurrency C] [--slots S]
                                         [--tiny N] [--json]

Everything runs on this computer: a `junmai-farm hub` on a loopback port and
`junmai-farm worker` processes, driven by the real `BatchController` and `FarmExecutor`.

- `farm_ratio`: N 24-MP JPEGs (`develop_throughput.generate_photo`) developed with
  WhiteLayer_v4 at 60 % (a) by `LocalProcessExecutor(C)` and (b) by one farm worker with
  `--concurrency C`, the same total concurrency; photos per second of (b) over (a), medians
  of `--rounds` batches each, alternating which goes first. Each side first develops a
  warm-up batch (process start, numba, the baked table), so the clock measures steady
  work, as in a long batch.
- `dispatch_ratio`: `--tiny` photos through two farm workers with `S/2` processes each,
  whose develop function sleeps 20 ms (no CPU): achieved photos per second over the ideal
  S / 20 ms; `overhead_ms_per_photo` is what each photo costs a slot beyond its 20 ms.

`--json` prints {"local_photos_per_s", "farm_photos_per_s", "farm_ratio",
"dispatch_photos_per_s", "dispatch_ideal_photos_per_s", "dispatch_ratio",
"overhead_ms_per_photo"}.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from PySide6.QtCore import QCoreApplication, QEventLoop  # noqa: E402

from junmai_gui.controller.batch_controller import (  # noqa: E402
    BatchController,
    ControllerSettings,
)
from junmai_gui.controller.executors import Executor  # noqa: E402
from junmai_gui.controller.farm_executor import FarmExecutor  # noqa: E402
from junmai_gui.controller.process_executor import LocalProcessExecutor  # noqa: E402
from junmai_gui.develop.library import PresetLibrary  # noqa: E402
from junmai_gui.farm import protocol  # noqa: E402
from junmai_gui.store import Store  # noqa: E402

SLEEP_S = 0.020
CONFIG = {"preset": "WhiteLayer_v4", "blend": 60}
FARM = [str(Path(sys.executable).with_name("junmai-farm"))]


def sleep_develop(
    source: Path, output: Path, preset: Any, blend: float, options: Any, *, cancel: Any = None
) -> Path:
    """The dispatcher benchmark's develop: 20 ms without the CPU, no file."""
    threading.Event().wait(SLEEP_S)
    return Path(output)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Farm:
    """A hub and workers for one measurement; closed at the end."""

    def __init__(self, root: Path, workers: list[tuple[str, int]], develop: str | None) -> None:
        self.hub = subprocess.Popen(
            [*FARM, "hub", "--port", str(_free_port()), "--data-dir", str(root / "hub")],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.hub.stdout is not None
        self.url = self.hub.stdout.readline().strip().removeprefix("farm url: ")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), str(HERE.parent)])}
        self.workers = []
        for name, concurrency in workers:
            command = [
                *FARM, "worker", "--broker", self.url, "--name", name,
                "--concurrency", str(concurrency), "--allow-output-root", str(root),
                "--cache", str(root / "cache"), "--loglevel", "WARNING",
            ]  # fmt: skip
            if develop:
                command += ["--develop", develop]
            log = open(root / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
            self.workers.append(
                subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
            )
        client = protocol.connect(self.url)
        names = {name for name, _ in workers}
        deadline = time.monotonic() + 600
        while {w.name for w in protocol.read_snapshot(client).workers} < names:
            assert time.monotonic() < deadline, "the workers did not start"
            time.sleep(0.2)
        client.close()

    def close(self) -> None:
        for worker in self.workers:
            worker.terminate()
        for worker in self.workers:
            worker.wait(timeout=60)
        self.hub.terminate()
        self.hub.wait(timeout=30)


class Bench:
    """A controller over one executor, with its own store; `run` times one batch."""

    def __init__(self, executor: Executor, data_dir: Path, out: Path) -> None:
        self._app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
        data_dir.mkdir(parents=True)
        self._store = Store.open(data_dir)
        self._out = out
        self._runs = 0
        settings = ControllerSettings(workers=1, default_output_dir=out)
        self.controller = BatchController(self._store, PresetLibrary(None), settings, executor)

    def run(self, photos: Path) -> float:
        """Seconds from `start_batch` to the batch finished (the only one running)."""
        self._runs += 1
        out = self._out / f"run{self._runs}"
        out.mkdir(parents=True)
        loop = QEventLoop()
        self.controller.batch_finished.connect(loop.quit)
        started = time.perf_counter()
        creation = self.controller.start_batch(
            config={**CONFIG, "output_dir": str(out)}, photo_paths=[str(photos)]
        )
        loop.exec()
        elapsed = time.perf_counter() - started
        self.controller.batch_finished.disconnect(loop.quit)
        batch_id = creation.result().batch_id
        summary = self.controller.batch(batch_id)
        failed = [r.error for r in self.controller.batch_photos(batch_id) if r.error]
        assert summary.processed_count == summary.total_photos, failed
        return elapsed

    def close(self) -> None:
        self.controller.shutdown(timeout_s=10)
        self._store.close()


def farm_ratio(root: Path, photos: int, concurrency: int, rounds: int) -> dict[str, float]:
    """Local and farm batches alternate (after a warm-up batch each); medians compared."""
    from develop_throughput import generate_photo

    folder = root / "photos"
    folder.mkdir()
    for index in range(photos):
        generate_photo(folder / f"photo_{index:03d}.jpg", index)
    farm = Farm(root / "farm", [("bench", concurrency)], None)
    local = Bench(
        LocalProcessExecutor(concurrency, root / "local" / "cache"),
        root / "local",
        root / "local-out",
    )
    remote = Bench(FarmExecutor(farm.url, "bench-farm"), root / "farm-data", root / "farm" / "out")
    times: dict[str, list[float]] = {"local": [], "farm": []}
    try:
        for bench in (local, remote):
            bench.run(folder)  # warm-up
        for round_ in range(rounds):
            order = [("local", local), ("farm", remote)]
            for name, bench in order if round_ % 2 == 0 else reversed(order):
                times[name].append(bench.run(folder))
    finally:
        local.close()
        remote.close()
        farm.close()
    local_s, farm_s = statistics.median(times["local"]), statistics.median(times["farm"])
    return {
        "local_photos_per_s": round(photos / local_s, 3),
        "farm_photos_per_s": round(photos / farm_s, 3),
        "farm_ratio": round(local_s / farm_s, 3),
    }


def dispatch_ratio(root: Path, tiny: int, slots: int) -> dict[str, float]:
    from tests.photos import make_photos

    make_photos(root / "tiny", tiny, size=8)
    per_worker = slots // 2
    farm = Farm(root / "dispatch", [("d1", per_worker), ("d2", slots - per_worker)],
                "farm_throughput:sleep_develop")  # fmt: skip
    bench = Bench(
        FarmExecutor(farm.url, "bench-dispatch"), root / "dispatch-data", root / "dispatch" / "out"
    )
    try:
        bench.run(root / "tiny")  # warm-up
        seconds = bench.run(root / "tiny")
    finally:
        bench.close()
        farm.close()
    ideal = slots / SLEEP_S
    achieved = tiny / seconds
    return {
        "dispatch_photos_per_s": round(achieved, 1),
        "dispatch_ideal_photos_per_s": round(ideal, 1),
        "dispatch_ratio": round(achieved / ideal, 3),
        "overhead_ms_per_photo": round(1000 * seconds * slots / tiny - 1000 * SLEEP_S, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=8, help="24-MP photos (0: no farm_ratio)")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3, help="measured batches each side")
    parser.add_argument("--slots", type=int, default=32, help="worker processes (dispatch)")
    parser.add_argument("--tiny", type=int, default=2000, help="photos (0: no dispatch_ratio)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="junmai-farm-bench-") as tmp:
        root = Path(tmp)
        figures = (
            farm_ratio(root, args.photos, args.concurrency, args.rounds) if args.photos else {}
        )
        if args.tiny:
            figures.update(dispatch_ratio(root, args.tiny, args.slots))
    if args.json:
        print(json.dumps(figures))
        return
    for key, value in figures.items():
        print(f"{key:>28}: {value}")


if __name__ == "__main__":
    main()
