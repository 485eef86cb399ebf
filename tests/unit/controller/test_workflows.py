"""Batches with several outputs, names from EXIF, templates and after-batch actions, through
the controller with the real develop engine."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import PIL.Image
import pytest
import pyvips

from junmai_gui.controller.batch_controller import BatchController
from junmai_gui.domain.errors import InvalidBatchError, TemplateNotFoundError
from junmai_gui.domain.status import BatchStatus, PhotoState
from junmai_gui.store.database import Store
from tests.creating import create

MakeController = Callable[..., BatchController]
EXIF_MODEL, GPS_IFD, GPS_LATITUDE = 0x0110, 0x8825, 2
THREE_OUTPUTS = [
    {"format": "jpeg", "quality": 92},
    {"format": "jpeg", "quality": 80, "long_edge": 320, "subfolder": "web"},
    {"format": "tiff", "bit_depth": 16, "subfolder": "master"},
]


def wait_finished(qtbot: Any, controller: BatchController, batch_id: str) -> None:
    qtbot.waitUntil(lambda: controller.batch(batch_id).status.is_finished, timeout=60_000)


def test_a_batch_writes_three_outputs_per_photo(
    make_controller: MakeController, testdata: Path, tmp_path: Path, qtbot: Any
) -> None:
    controller = make_controller()
    source = testdata / "photos" / "exifsamples-DSCN0010-gps.jpg"
    out = tmp_path / "three"
    config = {"preset": "WhiteLayer_v4", "output_dir": str(out), "outputs": THREE_OUTPUTS}
    batch_id = create(controller, config=config, photo_paths=[str(source)]).batch_id
    wait_finished(qtbot, controller, batch_id)
    assert controller.batch(batch_id).status is BatchStatus.COMPLETED
    (record,) = controller.batch_photos(batch_id)
    stem = "exifsamples-DSCN0010-gps_WhiteLayer_v4"
    assert record.output_paths == (
        str(out / f"{stem}.jpg"),
        str(out / "web" / f"{stem}.jpg"),
        str(out / "master" / f"{stem}.tif"),
    )
    sizes = [
        (image.width, image.height, image.format)
        for image in (pyvips.Image.new_from_file(p) for p in record.output_paths)
    ]
    assert sizes == [(640, 480, "uchar"), (320, 240, "uchar"), (640, 480, "ushort")]
    for path in record.output_paths:  # the camera's EXIF and GPS in every output, TIFF too
        exif = PIL.Image.open(path).getexif()
        assert exif.get(EXIF_MODEL) == "COOLPIX P6000", path
        assert exif.get_ifd(GPS_IFD).get(GPS_LATITUDE) == (43.0, 28.0, 2.814), path


def test_date_camera_and_stem_sort_real_camera_jpegs_into_folders(
    make_controller: MakeController, testdata: Path, tmp_path: Path, qtbot: Any
) -> None:
    photos = tmp_path / "card"
    photos.mkdir()
    for name in ("exifsamples-Canon_40D.jpg", "piexif-r_sony.jpg", "piexif-r_pana.jpg"):
        shutil.copy(testdata / "photos" / name, photos / name)
    controller = make_controller()
    config = {
        "preset": "Identity",
        "output_dir": str(tmp_path / "sorted"),
        "naming": "{date:%Y}/{camera}/{stem}",
    }
    assert controller.example_output_names(config, photos / "piexif-r_sony.jpg") == [
        "2013/SONY DSC-RX1R/piexif-r_sony.jpg"
    ]
    batch_id = create(controller, config=config, photo_paths=[str(photos)]).batch_id
    wait_finished(qtbot, controller, batch_id)
    written = sorted(
        str(p.relative_to(tmp_path / "sorted")) for p in (tmp_path / "sorted").rglob("*.jpg")
    )
    assert written == [
        "2007/Panasonic DMC-L10/piexif-r_pana.jpg",
        "2008/Canon EOS 40D/exifsamples-Canon_40D.jpg",
        "2013/SONY DSC-RX1R/piexif-r_sony.jpg",
    ]


def test_the_example_names_say_why_settings_cannot_be_used(
    make_controller: MakeController, photos: Callable[..., list[Path]]
) -> None:
    controller = make_controller()
    (photo,) = photos(1)
    config = {"preset": "Identity", "outputs": [{}, {"naming": "web/{seq:05}", "format": "png"}]}
    assert controller.example_output_names(config, photo) == [
        "photo_000_Identity.jpg",
        "web/00001.png",
    ]
    with pytest.raises(InvalidBatchError, match="must contain"):
        controller.example_output_names({"preset": "Identity", "naming": "{date}"}, photo)


def test_a_template_round_trips_and_starts_a_batch(
    make_controller: MakeController, photos: Callable[..., list[Path]], qtbot: Any
) -> None:
    controller = make_controller()
    settings = {
        "preset": "Identity",
        "blend": 40,
        "naming": "{seq:03}_{stem}",
        "outputs": THREE_OUTPUTS[:2],
        "after": [{"action": "open_folder"}, {"action": "command", "command": ["true"]}],
    }
    with qtbot.waitSignal(controller.templates.templates_changed):
        saved = controller.templates.save("Web and print", settings)
    again = controller.templates.get("web and print")
    assert again == saved and controller.templates.names() == ["Web and print"]
    assert {k: again.config[k] for k in settings} == {
        **settings,
        "outputs": [
            {"bit_depth": 8, "long_edge": None, "naming": "{stem}_{preset}", "subfolder": "",
             "xmp_sidecar": False, **THREE_OUTPUTS[0]},
            {"bit_depth": 8, "naming": "{stem}_{preset}", "xmp_sidecar": False, **THREE_OUTPUTS[1]},
        ],
        "after": [{"action": "open_folder"}, {"action": "command", "command": ["true"]}],
    }  # fmt: skip
    assert "output_dir" not in again.config  # each batch gets a folder of its own
    paths = photos(2)
    result = create(
        controller, photo_paths=[str(p) for p in paths], template="Web and print",
        config={"blend": 70},
    )  # fmt: skip
    batch = controller.batch(result.batch_id)
    assert batch.config["blend"] == 70 and batch.config["preset"] == "Identity"
    assert len(batch.config["outputs"]) == 2 and batch.config["after"] == settings["after"]
    with pytest.raises(TemplateNotFoundError, match="no template named 'Nope'"):
        create(controller, photo_paths=[str(paths[0])], template="Nope")
    controller.templates.delete("Web and print")
    assert controller.templates.all() == []


COMMAND = """
import json, pathlib, sys
result = json.load(sys.stdin)
pathlib.Path(sys.argv[1]).write_text(json.dumps(result))
sys.exit(int(sys.argv[2]))
"""


@pytest.mark.parametrize("exit_code", [0, 3])
def test_an_after_batch_command_gets_the_result_as_json_and_a_failure_is_reported(
    make_controller: MakeController,
    photos: Callable[..., list[Path]],
    store: Store,
    tmp_path: Path,
    qtbot: Any,
    exit_code: int,
) -> None:
    controller = make_controller()
    script = tmp_path / "after.py"
    script.write_text(COMMAND)
    received = tmp_path / "received.json"
    argv = [sys.executable, str(script), str(received), str(exit_code)]
    config = {"preset": "Identity", "after": [{"action": "command", "command": argv}]}
    paths = photos(3)
    with qtbot.waitSignal(controller.after_batch.action_finished, timeout=60_000) as done:
        batch_id = create(controller, config=config, photo_paths=[str(p) for p in paths]).batch_id
    assert done.args[0:3] == [batch_id, "command", exit_code == 0]
    result = json.loads(received.read_text())
    assert result["batch_id"] == batch_id and result["status"] == "completed"
    assert result["processed_count"] == 3
    assert sorted(Path(p["source_path"]).name for p in result["photos"]) == [p.name for p in paths]
    assert all(Path(p["outputs"][0]).is_file() for p in result["photos"])
    status = controller.get_batch_status(batch_id)
    assert status["status"] == "completed"  # a failing action never fails the batch
    (report,) = status["after_batch"]
    assert report["ok"] is (exit_code == 0)
    if exit_code:
        assert report["message"].startswith("The command after batch")
        assert "ended with exit code 3" in report["message"]
    assert [e[1] for e in store.events(batch_id)].count("after_batch") == 1


def test_copy_and_open_folder_after_a_batch(
    make_controller: MakeController, photos: Callable[..., list[Path]], tmp_path: Path, qtbot: Any
) -> None:
    controller = make_controller()
    backup = tmp_path / "backup"
    backup.mkdir()
    (backup / "web").mkdir()
    (backup / "web" / "photo_000_Identity.jpg").write_bytes(b"someone else's file")
    config = {
        "preset": "Identity",
        "output_dir": str(tmp_path / "out"),
        "outputs": [{}, {"subfolder": "web", "long_edge": 16}],
        "after": [{"action": "open_folder"}, {"action": "copy", "folder": str(backup)}],
    }
    opened: list[tuple[str, str]] = []
    controller.after_batch.open_folder_requested.connect(lambda *a: opened.append(a))
    copied = []
    controller.after_batch.action_finished.connect(
        lambda b, action, ok, message: copied.append((action, ok, message))
    )
    batch_id = create(controller, config=config, photo_paths=[str(p) for p in photos(2)]).batch_id
    qtbot.waitUntil(lambda: any(a == "copy" for a, _, _ in copied), timeout=60_000)
    assert opened == [(batch_id, str(tmp_path / "out"))]
    assert ("copy", True, f"Copied 4 output(s) to {backup}") in copied
    names = sorted(str(p.relative_to(backup)) for p in backup.rglob("*.jpg"))
    assert names == [
        "photo_000_Identity.jpg", "photo_001_Identity.jpg",
        "web/photo_000_Identity (2).jpg", "web/photo_000_Identity.jpg",
        "web/photo_001_Identity.jpg",
    ]  # fmt: skip
    assert (backup / "web" / "photo_000_Identity.jpg").read_bytes() == b"someone else's file"
    done = [r for r in controller.batch_photos(batch_id) if r.state is PhotoState.DONE]
    assert len(done) == 2
