"""What creating a large batch and recovering large batches cost.

Creates batches of N tiny photos (created paused, nothing develops) three ways: from photo
ids already stored, from N files a scan found (what the New Batch dialog hands over) and
from one folder (what the API passes) — from `start_batch` to the batch stored, on the
creating thread (the GUI thread only starts it); and times each part of the work in the
same run (finding the files, adding the photo rows, planning the output paths), so the share
of each part is a ratio within one run. Then times launch-time recovery of two interrupted
batches of 10 × N photos writing into one folder of N files (on the GUI thread).

    python benchmarks/batch_creation.py [--json] [--photos N]
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyvips
from PySide6.QtCore import QCoreApplication, QEventLoop

from junmai_gui.controller.batch_controller import (
    BatchController,
    ControllerSettings,
)
from junmai_gui.controller.creation import BatchCreation
from junmai_gui.controller.executors import InProcessExecutor
from junmai_gui.controller.planning import StartResult
from junmai_gui.develop.formats import find_photos
from junmai_gui.develop.library import PresetLibrary
from junmai_gui.develop.naming import OutputNaming, plan_outputs
from junmai_gui.domain.status import BatchStatus
from junmai_gui.store import NewBatch, NewBatchPhoto, Store

CONFIG = {"preset": "WhiteLayer_v4"}
ROUNDS = 3


def best_of(rounds: int, work: Callable[[], Any]) -> float:
    """The fastest of `rounds` runs, in seconds (the least disturbed by other processes)."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def created(creation: BatchCreation) -> StartResult:
    """Wait (running the event loop) until the batch is stored; what was created."""
    loop = QEventLoop()
    creation.finished.connect(loop.quit)
    if not creation.done:
        loop.exec()
    return creation.result()


def controller_for(base: Path, store: Store) -> BatchController:
    return BatchController(
        store,
        PresetLibrary(base / "data" / "presets"),
        ControllerSettings(workers=2, default_output_dir=base / "out"),
        InProcessExecutor(2),
    )


def measure(base: Path, count: int) -> dict[str, Any]:
    source = base / "in"
    source.mkdir()
    data = pyvips.Image.black(16, 16, bands=3).cast("uchar").jpegsave_buffer()
    for i in range(count):
        (source / f"p{i:05d}.jpg").write_bytes(data)
    files = sorted(str(p) for p in source.iterdir())
    store = Store.open(base / "data")
    controller = controller_for(base, store)
    ids = controller.import_photos(files).photo_ids
    out: dict[str, Any] = {"photos": count}
    out["start_from_ids_s"] = best_of(
        ROUNDS, lambda: created(controller.start_batch(ids, config=CONFIG, start=False))
    )
    out["start_from_files_s"] = best_of(
        ROUNDS, lambda: created(controller.start_batch(files=files, config=CONFIG, start=False))
    )
    out["start_from_folder_s"] = best_of(
        ROUNDS,
        lambda: created(controller.start_batch(photo_paths=[source], config=CONFIG, start=False)),
    )
    # the parts of a start from a folder, each timed alone
    (base / "plan").mkdir()
    parts = {
        "find_photos": lambda: find_photos([source]),
        "add_photos": lambda: store.add_photos(files),
        "plan_outputs": lambda: plan_outputs(
            files,
            output_dir=str(base / "plan"),
            outputs=[OutputNaming("{stem}_{preset}", ".jpg")],
            preset_name="WhiteLayer_v4",
            batch_id="batch_000000000000",
        ),
    }
    timed = {name: best_of(ROUNDS, work) for name, work in parts.items()}
    total = sum(timed.values())
    out["parts_s"] = {name: round(seconds, 4) for name, seconds in timed.items()}
    out["parts_share"] = {name: round(seconds / total, 2) for name, seconds in timed.items()}
    out["recover_s"] = measure_recovery(base, store, count)
    controller.close()
    store.close()
    return out


def measure_recovery(base: Path, store: Store, count: int) -> float:
    folder = base / "recovered"
    folder.mkdir()
    for i in range(count):
        (folder / f"done_{i}.jpg").write_bytes(b"x")
    for n in range(2):
        ids = store.add_photos([f"/in/{n}/{i}.jpg" for i in range(10 * count)])
        store.create_batch(
            NewBatch(
                batch_id=f"batch_00000000000{n}",
                name="",
                session_id=None,
                priority=0,
                config=CONFIG,
                status=BatchStatus.RUNNING,
                photos=[NewBatchPhoto(p, str(folder / f"{n}_{i}.jpg")) for i, p in enumerate(ids)],
                created_at="2025-01-01T00:00:00Z",
            )
        )
        store.mark_photo_running(f"batch_00000000000{n}", ids[0])
    controller = controller_for(base, store)
    started = time.perf_counter()
    controller.recover_interrupted_batches()
    seconds = time.perf_counter() - started
    controller.close()
    return round(seconds, 4)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--photos", type=int, default=10_000)
    args = parser.parse_args()
    app = QCoreApplication.instance() or QCoreApplication([])
    base = Path(tempfile.mkdtemp(prefix="junmai-batch-creation-"))
    try:
        result = measure(base, args.photos)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    del app
    if args.json:
        print(json.dumps(result))
        return
    for key, value in result.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
