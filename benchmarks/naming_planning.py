"""What names and folders from the photo's own metadata cost when a large batch is planned.

N small JPEGs carrying camera EXIF (maker, model, date taken; about 1 KB each) in one folder.
In the same run, best of 3 each, `plan_outputs` of all N photos:

- `stem_s`: `{stem}_{preset}` — no metadata read (the baseline);
- `facts_s`: `{date:%Y}/{camera}/{stem}` — each photo's header read for its date and camera;
- `facts_three_outputs_s`: the same with three outputs per photo (a full-size and a web JPEG
  and a TIFF in subfolders): the header is read once per photo, not per output;
- `facts_paced_s`: `facts_s` with the `Pacer` batch creation uses on its thread.

Then a controller creates a batch of the N photos with the metadata template on its creating
thread while a 5 ms timer on the main thread records how late each tick comes
(`create_max_late_ms`, and `idle_max_late_ms` before it as the baseline of this run).

    python benchmarks/naming_planning.py [--json] [--photos N]

Target: create_max_late_ms < 50 (the GUI thread and the API's loop never wait for planning).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyvips

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # shared helpers
from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

from benchmarks.batch_creation import best_of
from junmai_gui.controller.batch_controller import BatchController
from junmai_gui.controller.executors import InProcessExecutor
from junmai_gui.controller.settings import ControllerSettings
from junmai_gui.develop.engine import develop_photo
from junmai_gui.develop.library import PresetLibrary
from junmai_gui.develop.naming import OutputNaming, plan_outputs
from junmai_gui.pacing import Pacer, no_pacing
from junmai_gui.store import Store
from tests.lateness import QtProbe

ROUNDS = 3
FACTS = "{date:%Y}/{camera}/{stem}"


def camera_jpeg() -> bytes:
    image = pyvips.Image.black(16, 16, bands=3).new_from_image([90, 120, 150]).cast("uchar")
    image = image.copy(interpretation="srgb")
    for name, value in (
        ("exif-ifd0-Make", "Canon"),
        ("exif-ifd0-Model", "Canon EOS 40D"),
        ("exif-ifd2-DateTimeOriginal", "2008:05:30 15:56:01"),
        ("exif-ifd2-ISOSpeedRatings", "100"),
    ):
        image.set_type(pyvips.GValue.gstr_type, name, value)
    return bytes(image.jpegsave_buffer(Q=80))


def plan(files: list[str], out: Path, namings: list[OutputNaming], pace: Any) -> None:
    plan_outputs(
        files,
        output_dir=str(out),
        outputs=namings,
        preset_name="WhiteLayer_v4",
        batch_id="batch_000000000000",
        pace=pace,
    )


def lateness_while(busy: Callable[[], Any] | None, seconds: float) -> float:
    """The latest a 5 ms timer tick came, in ms, while `busy()` runs on another thread's
    behalf (it returns an object with a `finished` signal) or for `seconds` idle."""
    probe = QtProbe()
    loop = QEventLoop()
    probe.start()
    if busy is None:
        QTimer.singleShot(int(seconds * 1000), loop.quit)
    else:
        creation = busy()
        creation.finished.connect(loop.quit)
    loop.exec()
    return round(probe.stop(), 1)


def measure(base: Path, count: int) -> dict[str, Any]:
    folder = base / "card"
    folder.mkdir()
    data = camera_jpeg()
    for i in range(count):
        (folder / f"IMG_{i:06d}.jpg").write_bytes(data)
    files = sorted(str(p) for p in folder.iterdir())
    three = [
        OutputNaming(FACTS, ".jpg"),
        OutputNaming("web/" + FACTS, ".jpg"),
        OutputNaming("master/" + FACTS, ".tif"),
    ]
    out: dict[str, Any] = {"photos": count}
    for key, namings, pace in (
        ("stem_s", [OutputNaming("{stem}_{preset}", ".jpg")], no_pacing),
        ("facts_s", [OutputNaming(FACTS, ".jpg")], no_pacing),
        ("facts_three_outputs_s", three, no_pacing),
        ("facts_paced_s", [OutputNaming(FACTS, ".jpg")], None),
    ):
        out[key] = round(
            best_of(ROUNDS, lambda n=namings, p=pace: plan(files, base / "o", n, p or Pacer())), 3
        )
    out["facts_over_stem"] = round(out["facts_s"] / out["stem_s"], 2)
    _app = QCoreApplication.instance() or QCoreApplication([])  # alive while the timers run
    store = Store.open(base / "data")
    controller = BatchController(
        store,
        PresetLibrary(None),
        ControllerSettings(workers=1, default_output_dir=base / "out"),
        InProcessExecutor(1, develop_photo),
    )
    out["idle_max_late_ms"] = lateness_while(None, 2.0)
    config = {"preset": "Identity", "naming": FACTS}
    started = time.perf_counter()
    out["create_max_late_ms"] = lateness_while(
        lambda: controller.start_batch(photo_paths=[str(folder)], config=config, start=False),
        0,
    )
    out["create_s"] = round(time.perf_counter() - started, 2)
    controller.close()
    store.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--photos", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="junmai-naming-") as tmp:
        result = measure(Path(tmp), args.photos)
    result["load"] = round(os.getloadavg()[0], 1)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>24}: {value}")


if __name__ == "__main__":
    main()
