"""What the batch controller costs on top of developing the photos.

Three figures, each against a baseline measured in the same run:

- `ratio`: the same photos (real 6-MP JPEGs, the real `develop_photo` with WhiteLayer_v4
  at 60 %) through (a) a bare `ThreadPoolExecutor` calling the develop function with the
  same number of workers, and (b) the `BatchController` with its store, dispatcher, signals
  and executor (`--executor process`: the app's develop processes, the default; `thread`:
  the in-process executor); throughput of (b) over throughput of (a), best of `--rounds`
  interleaved rounds (alternating which goes first); `median_ratio` compares the medians.
- `overhead_ms_per_photo`: 10,000 tiny photos with a develop function that does nothing, so
  all that is left is the per-photo cost: (b) minus (a), in milliseconds per photo.
- `fixed_work_ratio`: the ratio again with a develop function that waits 50 ms without using
  the CPU (100 photos): the controller's own cost per photo (the main thread's dispatch at each
  completion) without the noise of a shared machine's CPU load.
- `pause_drain_ms`: from `pause_batch()` returning to the last photo in flight finishing.

    python benchmarks/controller_overhead.py [--json] [--photos N] [--tiny N] [--workers N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pyvips
from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

from junmai_gui.controller.batch_controller import BatchController, ControllerSettings
from junmai_gui.controller.executors import Executor, InProcessExecutor
from junmai_gui.controller.process_executor import LocalProcessExecutor
from junmai_gui.develop.engine import OutputOptions, develop_photo
from junmai_gui.develop.library import PresetLibrary
from junmai_gui.store import Store

TICK_MS = 1  # how often the benchmark's wait loop looks at its condition
ROOT = Path(__file__).resolve().parents[1]
PRESET = "WhiteLayer_v4"
BLEND = 60.0


def make_photos(folder: Path, count: int, width: int, height: int) -> list[Path]:
    """Distinct photo-like JPEGs: a gradient with noise, a different tint each."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    base = pyvips.Image.xyz(width, height)
    for i in range(count):
        noise = pyvips.Image.gaussnoise(width, height, sigma=18, mean=0)
        r = base[0] * (255 / width) + noise
        g = base[1] * (255 / height) + noise + (i * 7) % 40
        b = (base[0] + base[1]) * (128 / (width + height)) + noise + (i * 13) % 60
        image = r.bandjoin([g, b]).cast("uchar")
        path = folder / f"photo_{i:05d}.jpg"
        image.jpegsave(str(path), Q=90)
        paths.append(path)
    return paths


def make_executor(kind: str, workers: int, cache: Path, develop: Any) -> Executor:
    """The app's develop processes (running `develop` by name), or the in-process one.
    Every run shares one cache folder, as an app's batches do: a preset's table is baked
    once (by the warm-up, as the bare arm's is)."""
    if kind == "process":
        reference = f"{develop.__module__}:{develop.__name__}"
        return LocalProcessExecutor(workers, cache, develop=reference)
    return InProcessExecutor(workers, develop)


def wait_until(condition: Any, timeout_s: float = 600.0) -> None:
    """Run the Qt event loop until `condition()` holds."""
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(lambda: condition() and loop.quit())
    deadline = time.monotonic() + timeout_s
    timer.start()
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the controller did not finish in time")
        loop.exec()
    timer.stop()


def time_bare(photos: list[Path], out: Path, workers: int, develop: Any, preset: Any) -> float:
    out.mkdir(parents=True, exist_ok=True)
    options = OutputOptions()
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(
            pool.map(
                lambda p: develop(p, out / f"{p.stem}.jpg", preset, BLEND, options, cancel=None),
                photos,
            )
        )
    return time.perf_counter() - started


def ready_controller(
    kind: str, folder: Path, workers: int, develop: Any, presets: PresetLibrary
) -> tuple[BatchController, Store]:
    """A controller whose develop processes (if any) are warm: they start with the app."""
    store = Store.open(folder / "data")
    executor = make_executor(kind, workers, folder.parent / "cache", develop)
    controller = BatchController(
        store,
        presets,
        ControllerSettings(workers=workers, default_output_dir=folder / "out"),
        executor,
    )
    if isinstance(executor, LocalProcessExecutor):
        executor.wait_warm()
    return controller, store


def time_controller(
    kind: str, photos: list[Path], folder: Path, workers: int, develop: Any, presets: PresetLibrary
) -> float:
    """Seconds from `start_batch` (photo rows already stored) to `batch_finished`."""
    controller, store = ready_controller(kind, folder, workers, develop, presets)
    ids = store.add_photos([str(p) for p in photos])
    finished: list[str] = []
    controller.batch_finished.connect(lambda batch_id, status: finished.append(status))
    started = time.perf_counter()
    controller.start_batch(ids, config={"preset": PRESET, "blend": BLEND})
    wait_until(lambda: bool(finished))
    elapsed = time.perf_counter() - started
    assert finished == ["completed"], finished
    controller.close()
    store.close()
    return elapsed


def pause_drain_ms(
    kind: str, photos: list[Path], folder: Path, workers: int, presets: PresetLibrary
) -> float:
    controller, store = ready_controller(kind, folder, workers, develop_photo, presets)
    ids = store.add_photos([str(p) for p in photos])
    done: list[int] = []
    controller.photo_finished.connect(lambda b, photo_id, s: done.append(photo_id))
    creation = controller.start_batch(ids, config={"preset": PRESET, "blend": BLEND})
    wait_until(lambda: len(done) >= workers)  # running steadily, every worker busy
    batch_id = creation.result().batch_id
    controller.pause_batch(batch_id)
    paused = time.perf_counter()
    wait_until(lambda: controller.workers_busy() == 0)
    drained = time.perf_counter() - paused
    controller.close()
    store.close()
    return drained * 1000


def run(
    photo_count: int, tiny_count: int, workers: int, rounds: int, kind: str
) -> dict[str, float]:
    app = QCoreApplication.instance() or QCoreApplication([])
    assert app is not None
    # The stubs are imported by name, here and by develop processes: from the repository.
    sys.path.insert(0, str(ROOT))
    os.environ["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])
    )
    from benchmarks.develop_stubs import no_develop, sleepy_develop

    base = Path(tempfile.mkdtemp(prefix="junmai-bench-"))
    try:
        presets = PresetLibrary(None)
        preset = presets.get(PRESET)
        photos = make_photos(base / "photos", photo_count, 3000, 2000)
        time_bare(photos[:workers], base / "warm", workers, develop_photo, preset)  # warm-up
        time_controller(kind, photos[:workers], base / "warm_ctrl", workers, develop_photo, presets)
        bare_s, ctrl_s = [], []
        for r in range(rounds):  # interleaved, alternating which arm goes first
            for arm in ("bare", "ctrl") if r % 2 == 0 else ("ctrl", "bare"):
                if arm == "bare":
                    bare_s.append(
                        time_bare(photos, base / f"bare{r}", workers, develop_photo, preset)
                    )
                else:
                    ctrl_s.append(
                        time_controller(
                            kind, photos, base / f"ctrl{r}", workers, develop_photo, presets
                        )
                    )
        ratio = min(bare_s) / min(ctrl_s)

        tiny = [base / "tiny" / f"t{i:05d}.jpg" for i in range(tiny_count)]  # never opened
        bare_tiny = time_bare(tiny, base / "bare_tiny", workers, no_develop, preset)
        ctrl_tiny = time_controller(kind, tiny, base / "ctrl_tiny", workers, no_develop, presets)
        overhead_ms = (ctrl_tiny - bare_tiny) * 1000 / tiny_count

        fixed = [base / "fixed" / f"f{i:04d}.jpg" for i in range(100)]  # never opened
        fixed_bare = time_bare(fixed, base / "fixed_bare", workers, sleepy_develop, preset)
        fixed_ctrl = time_controller(
            kind, fixed, base / "fixed_ctrl", workers, sleepy_develop, presets
        )

        drain = pause_drain_ms(kind, photos, base / "drain", workers, presets)
        return {
            "executor": kind,
            "ratio": round(ratio, 3),
            "overhead_ms_per_photo": round(overhead_ms, 3),
            "pause_drain_ms": round(drain, 1),
            "bare_photos_per_s": round(photo_count / min(bare_s), 2),
            "controller_photos_per_s": round(photo_count / min(ctrl_s), 2),
            "fixed_work_ratio": round(fixed_bare / fixed_ctrl, 3),
            "median_ratio": round(statistics.median(bare_s) / statistics.median(ctrl_s), 3),
            "bare_spread_s": round(max(bare_s) - min(bare_s), 3),
            "controller_spread_s": round(max(ctrl_s) - min(ctrl_s), 3),
            "tiny_bare_s": round(bare_tiny, 3),
            "tiny_controller_s": round(ctrl_tiny, 3),
            "median_develop_ms": round(statistics.median(bare_s) * 1000 * workers / photo_count, 1),
        }
    finally:
        shutil.rmtree(base, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--photos", type=int, default=24, help="real photos (3000x2000)")
    parser.add_argument("--tiny", type=int, default=10_000, help="photos for the overhead")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--executor", choices=("process", "thread"), default="process")
    args = parser.parse_args()
    figures = run(args.photos, args.tiny, args.workers, args.rounds, args.executor)
    if args.json:
        print(json.dumps(figures))
        return
    for key, value in figures.items():
        print(f"{key:>26}: {value}")


if __name__ == "__main__":
    sys.exit(main())
