"""A real controller process for the crash tests: QCoreApplication + Store + BatchController.

    python -m tests.unit.controller.controller_child DATA_DIR PHOTOS [--start OUT]
        [--workers N] [--crash-on STEM]

Runs recovery and resumes every paused batch; once none is left running it starts a new
batch over PHOTOS writing into OUT (with `--start`), then exits when nothing runs. Prints
`recovered {json}`, `started <batch_id>`, one `photo_finished <batch_id> <photo_id>
<state>` per photo and `batch_finished <batch_id> <status>`. `--crash-on STEM` makes the
develop function end the process (os._exit) on that photo, as a native decoder crash would.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer

from junmai_gui.controller.batch_controller import BatchController, ControllerSettings
from junmai_gui.develop.library import PresetLibrary
from junmai_gui.domain.status import BatchStatus
from junmai_gui.store.database import Store
from tests.unit.controller.helpers import invert_develop

CONFIG = {"preset": "Identity", "blend": 100}
CRASH_EXIT_CODE = 70


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir")
    parser.add_argument("photos")
    parser.add_argument("--start", help="output folder of a new batch to start")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--crash-on")
    args = parser.parse_args()

    def develop(source: Path, output: Path, *rest: Any, **kwargs: Any) -> Path:
        if args.crash_on and Path(source).stem == args.crash_on:
            os._exit(CRASH_EXIT_CODE)
        return invert_develop(source, output, *rest, **kwargs)

    app = QCoreApplication([])
    store = Store.open(args.data_dir)
    controller = BatchController(
        store,
        PresetLibrary(None),
        ControllerSettings(workers=args.workers, default_output_dir=Path(args.data_dir)),
        develop=develop,
    )
    to_start = [args.start] if args.start else []

    def say(line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    def running() -> bool:
        return any(b.status is BatchStatus.RUNNING for b in controller.batches())

    def next_or_quit() -> None:
        if running():
            return
        if to_start:
            out = to_start.pop()
            result = controller.start_batch(
                config={**CONFIG, "output_dir": out}, photo_paths=[args.photos]
            )
            say(f"started {result.batch_id}")
        if not running():
            QTimer.singleShot(0, app.quit)

    def on_photo(batch_id: str, photo_id: int, state: str) -> None:
        say(f"photo_finished {batch_id} {photo_id} {state}")

    def on_batch(batch_id: str, status: str) -> None:
        say(f"batch_finished {batch_id} {status}")
        next_or_quit()

    controller.photo_finished.connect(on_photo)
    controller.batch_finished.connect(on_batch)
    say("recovered " + json.dumps(controller.recover_interrupted_batches()))
    for summary in controller.batches():
        if summary.status is BatchStatus.PAUSED:
            controller.resume_batch(summary.batch_id)
    next_or_quit()
    code = app.exec()
    controller.shutdown(timeout_s=30)
    store.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
