"""Launch cost with a large store: 1,000 batches of 100 photos each.

Builds the data dir directly through the store (some batches left running, with a photo
each stored running, as after a crash), then starts a fresh process that imports the app's
parts, opens the store, builds the BatchController and runs launch-time recovery. Prints
the time from process start (before the interpreter loads) to "recovery done, controller
ready", and the Python memory the controller holds per stored photo (tracemalloc, in a
second process, measured after recovery with the store open).

    python benchmarks/startup.py [--json] [--batches N] [--photos-per-batch N]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import sys, time, tracemalloc
measure_memory = sys.argv[2] == "memory"
if measure_memory:
    tracemalloc.start()
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from junmai_gui.controller.batch_controller import BatchController, ControllerSettings
from junmai_gui.develop.library import PresetLibrary
from junmai_gui.store import Store
app = QCoreApplication([])
data_dir = Path(sys.argv[1])
store = Store.open(data_dir)
presets = PresetLibrary(data_dir / "presets")
if measure_memory:
    import gc
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
controller = BatchController(
    store, presets, ControllerSettings(workers=2, default_output_dir=data_dir / "out")
)
result = controller.recover_interrupted_batches()
ready = time.time()
held = 0
if measure_memory:
    gc.collect()
    held = tracemalloc.get_traced_memory()[0] - before
print(ready, held, result["recovered_count"], len(controller.batches()))
controller.close()
store.close()
"""


def build(data_dir: Path, batches: int, per_batch: int, running: int) -> None:
    sys.path.insert(0, str(ROOT))
    from junmai_gui.domain.status import BatchStatus
    from junmai_gui.store import NewBatch, NewBatchPhoto, Store

    store = Store.open(data_dir)
    ids = store.add_photos([f"/photos/shoot/{i:07d}.jpg" for i in range(batches * per_batch)])
    for b in range(batches):
        chunk = ids[b * per_batch : (b + 1) * per_batch]
        status = BatchStatus.RUNNING if b < running else BatchStatus.COMPLETED
        done = status is BatchStatus.COMPLETED
        batch_id = f"batch_{b:012x}"
        store.create_batch(
            NewBatch(
                batch_id=batch_id,
                name=f"Shoot {b}",
                session_id=None,
                priority=0,
                config={"preset": "WhiteLayer_v4", "blend": 60, "output_dir": f"/out/{b}"},
                status=status,
                photos=[
                    NewBatchPhoto(pid, f"/out/{b}/{pid}.jpg", "done" if done else "pending")
                    for pid in chunk
                ],
                created_at=f"2025-{1 + b % 12:02d}-{1 + b % 28:02d}T10:00:00Z",
            )
        )
        if not done:
            store.mark_photo_running(batch_id, chunk[0])
    store.close()


def launch(data_dir: Path, mode: str) -> tuple[float, float, int, int]:
    started = time.time()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(data_dir), mode],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    ready, held, recovered, count = done.stdout.split()
    return float(ready) - started, float(held), int(recovered), int(count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--batches", type=int, default=1000)
    parser.add_argument("--photos-per-batch", type=int, default=100)
    parser.add_argument("--running", type=int, default=10, help="batches left running")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="junmai-startup-"))
    try:
        data_dir = base / "data"
        build(data_dir, args.batches, args.photos_per_batch, args.running)
        # a fresh process each round; the first recovers the running batches
        times = []
        recovered_first = 0
        for round_ in range(args.rounds):
            seconds, _held, recovered, count = launch(data_dir, "time")
            assert count == args.batches, count
            recovered_first = recovered if round_ == 0 else recovered_first
            times.append(seconds)
        _s, held, _r, _c = launch(data_dir, "memory")
        photos = args.batches * args.photos_per_batch
        empty = base / "empty"
        baseline = min(launch(empty, "time")[0] for _ in range(args.rounds))
        figures = {
            "startup_s": round(times[0], 3),
            "startup_warm_s": round(min(times[1:] or times), 3),
            "empty_store_startup_s": round(baseline, 3),
            "bytes_per_photo": round(held / photos, 1),
            "recovered_batches": recovered_first,
            "photos": photos,
        }
    finally:
        shutil.rmtree(base, ignore_errors=True)
    if args.json:
        print(json.dumps(figures))
        return
    for key, value in figures.items():
        print(f"{key:>22}: {value}")


if __name__ == "__main__":
    main()
