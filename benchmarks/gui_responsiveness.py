"""How responsive the main window stays while a large batch is created and while it runs.

An offscreen main window over the real controller, store and develop processes. A 5 ms
timer on the GUI thread records how late each tick arrives:

- idle, first, as the baseline of this run;
- while a batch of 100,000 photos (empty files: creating a batch never reads pixels) is
  created from a folder (`create_100k_max_late_ms`), and how long the GUI thread spends
  inside `start_batch` itself (`start_batch_call_ms`);
- while a batch of tiny photos (10,000 by default) is developed, selected in the window so
  the detail pane refreshes its photo list as it would for a user watching it.

    python benchmarks/gui_responsiveness.py [--json] [--photos N] [--create N] [--workers N]
        [--hidden] [--stalls MS]

Targets: max_late_ms, create_100k_max_late_ms and start_batch_call_ms < 50.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # shared helpers

import pyvips
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from benchmarks.batch_creation import created
from junmai_gui.controller.batch_controller import BatchController
from junmai_gui.controller.process_executor import LocalProcessExecutor
from junmai_gui.controller.settings import ControllerSettings
from junmai_gui.controller.settings_service import SettingsService
from junmai_gui.develop.library import PresetLibrary
from junmai_gui.domain.status import BatchStatus
from junmai_gui.store import Store
from junmai_gui.store.settings import AppSettings
from junmai_gui.views.main_window import MainWindow
from tests.lateness import QtProbe

IDLE_SECONDS = 3.0
WARMUP_PHOTOS = 20


class LatenessProbe(QtProbe):
    """The tests' 5 ms probe, printing each tick later than `report_stalls_ms` (when set)."""

    def __init__(self, report_stalls_ms: float = 0.0) -> None:
        super().__init__()
        self.report_stalls_ms = report_stalls_ms

    def _tick(self) -> None:
        super()._tick()
        late = self.late_ms[-1]
        if self.report_stalls_ms and late > self.report_stalls_ms:
            at = self._last / 1e9
            print(f"stall: {late:.0f} ms late at {at:.2f} s", file=sys.stderr)


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary(samples: list[float]) -> dict[str, float]:
    return {
        "max_late_ms": round(max(samples, default=0.0), 2),
        "p99_late_ms": round(percentile(samples, 0.99), 2),
        "ticks": len(samples),
    }


def make_photos(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(count):
        colour = [(37 * i) % 256, (91 * i + 40) % 256, (13 * i + 120) % 256]
        image = (pyvips.Image.black(16, 12) + colour).cast("uchar")
        path = folder / f"p{i:05d}.jpg"
        image.jpegsave(str(path), Q=85)
        files.append(path)
    return files


def make_empty_files(folder: Path, count: int) -> None:
    """Empty files with photo names: creating a batch plans them without reading them."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        os.close(os.open(folder / f"IMG_{i:06d}.jpg", os.O_CREAT | os.O_WRONLY, 0o644))


def spin(seconds: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def run_batch(
    controller: BatchController, window: MainWindow, files: list[Path], name: str, probe: Any
) -> tuple[Any, float]:
    """Start a batch of `files`, select it in the window, return when it has finished.

    The probe runs from the moment `start_batch` has returned: the call itself is timed on
    its own (the batch is created on a thread of its own)."""
    began = time.perf_counter()
    creation = controller.start_batch(
        photo_paths=files, config={"preset": "WhiteLayer_v4", "blend": 60}, name=name
    )
    start_call_ms = (time.perf_counter() - began) * 1000
    probe.start()
    result = created(creation)
    window.select_batch(result.batch_id)
    loop = QEventLoop()

    def finished(batch_id: str, _status: str) -> None:
        if batch_id == result.batch_id:
            loop.quit()

    controller.batch_finished.connect(finished)
    if controller.batch(result.batch_id).status is BatchStatus.RUNNING:
        loop.exec()
    controller.batch_finished.disconnect(finished)
    return result, start_call_ms


def create_large(
    controller: BatchController, folder: Path, probe: LatenessProbe
) -> tuple[float, float, dict[str, float]]:
    """Create (not start) a batch from a folder of many files; the GUI thread's time inside
    `start_batch`, the seconds until the batch is stored, and the lateness meanwhile."""
    probe.start()
    began = time.perf_counter()
    creation = controller.start_batch(
        photo_paths=[str(folder)], config={"preset": "Identity"}, name="large", start=False
    )
    call_ms = (time.perf_counter() - began) * 1000
    created(creation)
    seconds = time.perf_counter() - began
    probe.stop()
    return call_ms, seconds, summary(probe.late_ms)


def run(
    photo_count: int,
    workers: int,
    *,
    create_count: int = 100_000,
    with_window: bool = True,
    stalls_ms: float = 0.0,
) -> dict[str, Any]:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="junmai-gui-bench-") as tmp:
        root = Path(tmp)
        data_dir = root / "data"
        data_dir.mkdir()
        files = make_photos(root / "in", photo_count)
        warmup = make_photos(root / "warmup", WARMUP_PHOTOS)
        make_empty_files(root / "large", create_count)
        store = Store.open(data_dir)
        presets = PresetLibrary(data_dir / "presets")
        controller = BatchController(
            store,
            presets,
            ControllerSettings(workers=workers, default_output_dir=root / "out"),
            LocalProcessExecutor(workers, data_dir / "cache"),
        )
        window = MainWindow(controller, SettingsService(data_dir, AppSettings(workers=workers)))
        window.allow_close()
        if with_window:
            window.show()
        probe = LatenessProbe(stalls_ms)

        probe.start()
        spin(IDLE_SECONDS)
        probe.stop()
        idle = summary(probe.late_ms)

        create_call_ms, create_seconds, creating = create_large(controller, root / "large", probe)

        # A short batch first: the develop engine's one-time start-up (compiled kernels,
        # preset tables) happens there and is reported on its own.
        run_batch(controller, window, warmup, "warm-up", probe)
        probe.stop()
        warm = summary(probe.late_ms)

        began = time.perf_counter()
        result, start_call_ms = run_batch(controller, window, files, "bench", probe)
        probe.stop()
        run_seconds = time.perf_counter() - began
        busy = summary(probe.late_ms)
        batch = controller.batch(result.batch_id)
        controller.shutdown()
        window.close()
        window.deleteLater()
        store.close()
        app.processEvents()
    return {
        "photos": photo_count,
        "workers": workers,
        "processed": batch.processed_count,
        "failed": batch.failed_count,
        "run_seconds": round(run_seconds, 1),
        "start_batch_call_ms": round(max(start_call_ms, create_call_ms), 1),
        "create_photos": create_count,
        "create_seconds": round(create_seconds, 1),
        "create_100k_max_late_ms": creating["max_late_ms"],
        "create_p99_late_ms": creating["p99_late_ms"],
        "idle": idle,
        "warmup_max_late_ms": warm["max_late_ms"],
        "max_late_ms": busy["max_late_ms"],
        "p99_late_ms": busy["p99_late_ms"],
        "ticks": busy["ticks"],
        "p99_ratio_to_idle": round(busy["p99_late_ms"] / max(idle["p99_late_ms"], 0.01), 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--photos", type=int, default=10_000)
    parser.add_argument("--create", type=int, default=100_000, help="photos of the large batch")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--hidden", action="store_true", help="keep the window hidden (the controller's own cost)"
    )
    parser.add_argument(
        "--stalls", type=float, default=0.0, help="print every tick later than this (ms)"
    )
    args = parser.parse_args()
    figures = run(
        args.photos,
        args.workers,
        create_count=args.create,
        with_window=not args.hidden,
        stalls_ms=args.stalls,
    )
    if args.json:
        print(json.dumps(figures))
    else:
        print(
            f"{figures['photos']:,} photos ({figures['processed']:,} developed, "
            f"{figures['failed']} failed) in {figures['run_seconds']} s on "
            f"{figures['workers']} workers"
        )
        print(f"start_batch call: {figures['start_batch_call_ms']} ms (target < 50)")
        print(
            f"creating a batch of {figures['create_photos']:,} photos: "
            f"{figures['create_seconds']} s, max {figures['create_100k_max_late_ms']} ms, "
            f"p99 {figures['create_p99_late_ms']} ms late (target max < 50 ms)"
        )
        print(
            f"idle window: max {figures['idle']['max_late_ms']} ms, "
            f"p99 {figures['idle']['p99_late_ms']} ms late"
        )
        print(
            f"warm-up batch of {WARMUP_PHOTOS} photos: max {figures['warmup_max_late_ms']} ms late"
        )
        print(
            f"during the batch: max {figures['max_late_ms']} ms, p99 {figures['p99_late_ms']} ms "
            f"late over {figures['ticks']:,} ticks (target max < 50 ms)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
