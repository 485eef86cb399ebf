"""Run by test_multi_output_crash: a controller with real develop processes (one photo at a
time) starts a batch of three outputs per photo and runs until it is killed.

    python -m tests.unit.controller.multi_output_child DATA_DIR PHOTOS OUTPUT_DIR
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from junmai_gui.controller.batch_controller import BatchController, ControllerSettings
from junmai_gui.controller.process_executor import LocalProcessExecutor
from junmai_gui.develop.library import PresetLibrary
from junmai_gui.store.database import Store

STALLING = "tests.unit.controller.helpers:stalling_develop"
OUTPUTS = [
    {"format": "jpeg", "quality": 92},
    {"format": "jpeg", "quality": 80, "long_edge": 300, "subfolder": "web"},
    {"format": "tiff", "bit_depth": 16, "subfolder": "master"},
]


def config(output_dir: str) -> dict[str, object]:
    return {"preset": "WhiteLayer_v4", "blend": 60, "output_dir": output_dir, "outputs": OUTPUTS}


def main() -> None:
    data_dir, photos, output_dir = sys.argv[1:4]
    app = QCoreApplication([])
    store = Store.open(data_dir)
    executor = LocalProcessExecutor(1, Path(data_dir) / "cache", develop=STALLING)
    controller = BatchController(
        store, PresetLibrary(None), ControllerSettings(1, Path(output_dir)), executor
    )
    creation = controller.start_batch(config=config(output_dir), photo_paths=[photos])
    creation.finished.connect(lambda: print(json.dumps(creation.result().batch_id), flush=True))
    app.exec()


if __name__ == "__main__":
    main()
