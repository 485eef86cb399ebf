"""Outputs never clobber each other or an original: reservations across batches and inputs
compared as the file system sees them (real files, the real develop engine)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import pyvips

from junmai_gui.controller.batch_controller import BatchController
from junmai_gui.develop.engine import develop_photo
from junmai_gui.domain.errors import InvalidBatchError
from junmai_gui.domain.status import BatchStatus
from tests.creating import create
from tests.photos import make_photos

MakeController = Callable[..., BatchController]


def wait_completed(qtbot: Any, controller: BatchController, batch_id: str) -> None:
    qtbot.waitUntil(
        lambda: controller.batch(batch_id).status is BatchStatus.COMPLETED, timeout=30_000
    )


def test_two_batches_of_one_photo_into_one_folder_never_write_the_same_file(
    make_controller: MakeController, tmp_path: Path, qtbot: Any
) -> None:
    """Two presets, one folder, naming {stem}, 'keep both': the second batch's output gets
    a suffix although the first has not written its file yet; 'replace' is refused with a
    sentence naming the first batch, and nothing of it is stored."""
    (photo,) = make_photos(tmp_path / "in", 1, size=48)
    out = tmp_path / "out"
    controller = make_controller(develop=develop_photo)
    first_config = {"preset": "Warm Film", "naming": "{stem}", "output_dir": str(out)}
    first = create(controller, config=first_config, photo_paths=[str(photo)], start=False)
    second_config = {**first_config, "preset": "Cool Matte"}
    second = create(controller, config=second_config, photo_paths=[str(photo)])
    with pytest.raises(InvalidBatchError, match=r"photo_000\.jpg is also an output of"):
        create(
            controller,
            config={**second_config, "on_conflict": "overwrite"},
            photo_paths=[str(photo)],
            name="Third",
        )
    assert len(controller.batches()) == 2
    controller.resume_batch(first.batch_id)
    wait_completed(qtbot, controller, first.batch_id)
    wait_completed(qtbot, controller, second.batch_id)
    (a,) = controller.batch_photos(first.batch_id)
    (b,) = controller.batch_photos(second.batch_id)
    assert Path(a.output_path).name == "photo_000.jpg"
    assert Path(b.output_path).name == "photo_000 (2).jpg"
    assert Path(a.output_path).read_bytes() != Path(b.output_path).read_bytes()


def test_a_finished_batch_frees_its_names_for_replace(
    make_controller: MakeController, tmp_path: Path, qtbot: Any
) -> None:
    (photo,) = make_photos(tmp_path / "in", 1)
    config = {"preset": "Identity", "naming": "{stem}", "output_dir": str(tmp_path / "out")}
    controller = make_controller(develop=develop_photo)
    first = create(controller, config=config, photo_paths=[str(photo)])
    wait_completed(qtbot, controller, first.batch_id)
    again = create(
        controller, config={**config, "on_conflict": "overwrite"}, photo_paths=[str(photo)]
    )
    wait_completed(qtbot, controller, again.batch_id)
    (record,) = controller.batch_photos(again.batch_id)
    assert Path(record.output_path).name == "photo_000.jpg"


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_an_output_folder_that_is_a_link_to_the_input_folder_never_replaces_an_original(
    make_controller: MakeController, tmp_path: Path, qtbot: Any
) -> None:
    """Output folder = a link to the input folder, naming {stem}, 'replace', PNG out, inputs
    x.png and x.jpg: the developed x.jpg would land on the original x.png. It is renamed."""
    folder = tmp_path / "shoot"
    folder.mkdir()
    image = pyvips.Image.black(40, 30).new_from_image([200, 40, 10]).cast("uchar")
    image.pngsave(str(folder / "x.png"))
    image.jpegsave(str(folder / "x.jpg"))
    originals = {p.name: p.read_bytes() for p in folder.iterdir()}
    link = tmp_path / "developed"
    link.symlink_to(folder, target_is_directory=True)
    config = {
        "preset": "High Contrast Punch",
        "naming": "{stem}",
        "format": "png",
        "on_conflict": "overwrite",
        "output_dir": str(link),
    }
    controller = make_controller(develop=develop_photo)
    batch = create(controller, config=config, photo_paths=[str(folder)])
    wait_completed(qtbot, controller, batch.batch_id)
    assert controller.batch(batch.batch_id).failed_count == 0
    for name, data in originals.items():
        assert (folder / name).read_bytes() == data, f"the original {name} was replaced"
    outputs = sorted(Path(r.output_path).name for r in controller.batch_photos(batch.batch_id))
    assert outputs == ["x (2).png", "x (3).png"]


@pytest.mark.skipif(os.name == "nt", reason="hard links need NTFS")
def test_an_output_name_that_is_an_input_under_another_name_is_never_used(
    make_controller: MakeController, tmp_path: Path, qtbot: Any
) -> None:
    """A hard link in the output folder to a photo of the batch: same file, other path."""
    (photo,) = make_photos(tmp_path / "in", 1)
    out = tmp_path / "out"
    out.mkdir()
    os.link(photo, out / "photo_000.jpg")
    config = {"preset": "Identity", "naming": "{stem}", "on_conflict": "overwrite"}
    controller = make_controller(develop=develop_photo)
    batch = create(controller, config={**config, "output_dir": str(out)}, photo_paths=[str(photo)])
    wait_completed(qtbot, controller, batch.batch_id)
    (record,) = controller.batch_photos(batch.batch_id)
    assert Path(record.output_path).name == "photo_000 (2).jpg"
    assert (out / "photo_000.jpg").read_bytes() == photo.read_bytes()
