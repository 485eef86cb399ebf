"""New Batch: drops make a batch; folder scans and previews run off the GUI thread; invalid
choices are explained and keep Start disabled."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from junmai_gui.controller import planning
from junmai_gui.controller.batch_controller import BatchController
from junmai_gui.domain.status import BatchStatus
from junmai_gui.views.main_window import MainWindow
from junmai_gui.views.new_batch_dialog import NewBatchDialog
from junmai_gui.views.preview import PreviewResult


def _drop(widget: Any, paths: list[Path]) -> None:
    """Drag `paths` onto `widget` and drop them, as a file manager would."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    args = (
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    enter = QDragEnterEvent(QPoint(10, 10), *args)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(10, 10), *args)
    QApplication.sendEvent(widget, drop)
    assert drop.isAccepted()


def _wait_ready(qtbot: Any, dialog: NewBatchDialog) -> None:
    qtbot.wait_until(lambda: not dialog.scanning and bool(dialog.files), timeout=10_000)
    qtbot.wait_until(lambda: not dialog.preview_busy, timeout=20_000)


def test_dropping_folders_opens_new_batch_prefilled_and_start_creates_the_batch(
    qtbot: Any,
    window: MainWindow,
    controller: BatchController,
    photos: Callable[..., list[Path]],
    tmp_path: Path,
) -> None:
    photos(2, folder="shoot")
    photos(2, folder="shoot/day2", prefix="late")
    notes = tmp_path / "notes.txt"
    notes.write_text("not a photo")
    (tmp_path / "shoot" / "contract.pdf").write_bytes(b"%PDF")
    (tmp_path / "shoot" / "day2" / "IMG_0001.xmp").write_text("<x/>")

    _drop(window, [tmp_path / "shoot", notes])
    dialog = window.new_batch_dialog
    assert dialog is not None and dialog.isVisible()
    _wait_ready(qtbot, dialog)
    assert len(dialog.files) == 4  # folders are searched recursively
    assert [Path(p).name for p, _why in dialog.rejected_files] == ["notes.txt"]
    assert dialog.view.rejected_list.isVisibleTo(dialog)
    assert "notes.txt" in dialog.view.rejected_model.stringList()[0]
    # Files in the folder that are not photos are skipped, and said so, with the list on demand.
    assert dialog.view.skipped_label.text() == "2 files skipped: not photos"
    assert not dialog.view.skipped_list.isVisibleTo(dialog)
    qtbot.mouseClick(dialog.view.skipped_button, Qt.MouseButton.LeftButton)
    assert dialog.view.skipped_list.isVisibleTo(dialog)
    assert sorted(Path(p).name for p in dialog.view.skipped_model.stringList()) == [
        "IMG_0001.xmp",
        "contract.pdf",
    ]

    dialog.select_preset("WhiteLayer_v4")
    dialog.set_blend(40)
    assert dialog.view.start_button.isEnabled()
    with qtbot.wait_signal(window.model.rowsInserted):
        qtbot.mouseClick(dialog.view.start_button, Qt.MouseButton.LeftButton)
    qtbot.wait_until(lambda: window.new_batch_dialog is None)
    [batch] = controller.batches()
    assert batch.name == "shoot"
    assert batch.total_photos == 4
    assert batch.config["preset"] == "WhiteLayer_v4" and batch.config["blend"] == 40
    assert window.selected_batch_ids() == [batch.batch_id]
    qtbot.wait_until(
        lambda: controller.batch(batch.batch_id).status is BatchStatus.COMPLETED, timeout=30_000
    )

    # The next New Batch starts with the preset and blend of this one.
    again = window.open_new_batch()
    assert again is not None
    assert again.view.preset_combo.currentData() == "WhiteLayer_v4"
    assert again.view.blend_slider.value() == 40
    again.reject()


def test_preview_renders_off_the_gui_thread_and_follows_the_slider(
    qtbot: Any,
    controller: BatchController,
    settings: Any,
    photos: Callable[..., list[Path]],
) -> None:
    files = photos(1, size=64)
    dialog = NewBatchDialog(controller, settings)
    qtbot.addWidget(dialog)
    dialog.show()
    shown: list[PreviewResult] = []
    dialog.preview_shown.connect(shown.append)
    dialog.add_paths(files)
    _wait_ready(qtbot, dialog)
    dialog.select_preset("WhiteLayer_v4")
    qtbot.wait_until(lambda: not dialog.preview_busy, timeout=20_000)
    assert shown, "a preview was shown"
    first = shown[-1]
    assert first.thread_id != threading.main_thread().ident
    assert not first.before.isNull() and not first.after.isNull()
    assert dialog.view.before_label.pixmap() is not None

    shown.clear()
    for value in (10, 20, 30, 0):  # a quick drag: only the last position must be rendered
        dialog.set_blend(value)
    qtbot.wait_until(lambda: not dialog.preview_busy and bool(shown), timeout=20_000)
    assert shown[-1].blend == 0
    assert len(shown) <= 2
    # At blend 0 the "after" is the photo itself.
    before = _pixels(shown[-1].before)
    after = _pixels(shown[-1].after)
    assert np.abs(before.astype(int) - after.astype(int)).max() <= 2


def _pixels(image: Any) -> np.ndarray:
    image = image.convertToFormat(image.Format.Format_RGB888)
    width, height = image.width(), image.height()
    data = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    return data.reshape(height, image.bytesPerLine())[:, : width * 3]


def test_invalid_choices_are_explained_and_keep_start_disabled(
    qtbot: Any,
    controller: BatchController,
    settings: Any,
    photos: Callable[..., list[Path]],
    tmp_path: Path,
) -> None:
    dialog = NewBatchDialog(controller, settings)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.view.start_button.isEnabled()
    assert "Add photos" in dialog.view.problems_label.text()

    dialog.add_paths(photos(1))
    _wait_ready(qtbot, dialog)
    assert dialog.view.start_button.isEnabled()

    dialog.view.naming_edit.setText("same-name")
    assert not dialog.view.start_button.isEnabled()
    assert not dialog.view.add_paused_button.isEnabled()
    assert "{stem}" in dialog.view.problems_label.text()

    dialog.view.naming_edit.setText("{stem}_edit")
    a_file = tmp_path / "occupied"
    a_file.write_text("")
    dialog.view.output_dir_edit.setText(str(a_file))
    assert "is a file, not a folder" in dialog.view.problems_label.text()
    dialog.view.output_dir_edit.setText(str(tmp_path / "developed"))
    assert dialog.view.problems_label.text() == ""

    with qtbot.wait_signal(dialog.batch_created) as created:
        qtbot.mouseClick(dialog.view.add_paused_button, Qt.MouseButton.LeftButton)
    batch = controller.batch(created.args[0])
    assert batch.status is BatchStatus.PENDING
    assert batch.config["naming"] == "{stem}_edit"
    assert batch.config["output_dir"] == str(tmp_path / "developed")


def test_importing_a_lut_adds_and_selects_it(
    qtbot: Any, controller: BatchController, settings: Any, tmp_path: Path
) -> None:
    cube = tmp_path / "Warm Film.cube"
    lines = ['TITLE "Warm Film"', "LUT_3D_SIZE 2"]
    for b in (0, 1):
        for g in (0, 1):
            for r in (0, 1):
                lines.append(f"{min(1.0, r * 1.0 + 0.05):.6f} {g:.6f} {b * 0.9:.6f}")
    cube.write_text("\n".join(lines) + "\n")
    dialog = NewBatchDialog(controller, settings)
    qtbot.addWidget(dialog)
    with qtbot.wait_signal(dialog.preset_imported) as imported:
        dialog.import_preset_file(cube)
    preset = imported.args[0]
    assert preset is not None
    assert dialog.view.preset_combo.currentData() == preset.name
    assert "(yours)" in dialog.view.preset_combo.currentText()

    broken = tmp_path / "broken.cube"
    broken.write_text("LUT_3D_SIZE 2\n0 0 0\n")
    with qtbot.wait_signal(dialog.preset_imported) as refused:
        dialog.import_preset_file(broken)
    assert refused.args == [None]
    assert "broken.cube" in dialog.view.problems_label.text()


def test_an_imported_xmp_lists_the_keys_it_does_not_render(
    qtbot: Any, controller: BatchController, settings: Any, tmp_path: Path
) -> None:
    xmp = tmp_path / "Moody.xmp"
    xmp.write_text(
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description xmlns:crs="http://ns.adobe.com/camera-raw-settings/1.0/" '
        'crs:Name="Moody" crs:Exposure2012="-0.3" crs:LensProfileEnable="1"/>'
        "</rdf:RDF></x:xmpmeta>",
        encoding="utf-8",
    )
    dialog = NewBatchDialog(controller, settings)
    qtbot.addWidget(dialog)
    with qtbot.wait_signal(dialog.preset_imported) as imported:
        dialog.import_preset_file(xmp)
    preset = imported.args[0]
    assert preset is not None and "LensProfileEnable" in preset.unsupported_keys
    assert "Not rendered" in dialog.view.preset_notes.text()
    assert "LensProfileEnable" in dialog.view.preset_notes.text()


def test_a_photo_that_cannot_be_previewed_is_named(
    qtbot: Any, controller: BatchController, settings: Any, tmp_path: Path
) -> None:
    broken = tmp_path / "IMG_0001.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    dialog = NewBatchDialog(controller, settings)
    qtbot.addWidget(dialog)
    dialog.add_paths([broken])
    _wait_ready(qtbot, dialog)
    assert dialog.last_preview is None
    assert "IMG_0001.jpg" in dialog.view.preview_status.text()


def test_the_batch_is_created_off_the_gui_thread_with_progress_and_can_be_cancelled(
    qtbot: Any,
    controller: BatchController,
    store: Any,
    settings: Any,
    photos: Callable[..., list[Path]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The creating thread is held in its second step of rows: the dialog shows how far it
    got, Cancel stops it, nothing is stored and the dialog stays open to say so."""
    monkeypatch.setattr(planning, "ROWS_PER_STEP", 2)
    held, release = threading.Event(), threading.Event()
    original = store.add_batch_photos

    def hold_the_second_step(*args: Any, **kwargs: Any) -> None:
        if args[2] > 0:  # first_position
            held.set()
            release.wait(30)
        original(*args, **kwargs)

    monkeypatch.setattr(store, "add_batch_photos", hold_the_second_step)
    dialog = NewBatchDialog(controller, settings)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.add_paths(photos(5))
    _wait_ready(qtbot, dialog)
    qtbot.mouseClick(dialog.view.start_button, Qt.MouseButton.LeftButton)
    assert dialog.creating and not dialog.view.start_button.isEnabled()
    qtbot.wait_until(lambda: held.is_set() and "2 of 5" in dialog.view.creation_bar.format())
    assert dialog.view.creation_bar.isVisible()
    qtbot.mouseClick(dialog.view.cancel_button, Qt.MouseButton.LeftButton)
    release.set()
    qtbot.wait_until(lambda: not dialog.creating)
    assert dialog.isVisible()
    assert "cancelled" in dialog.view.problems_label.text()
    assert controller.batches() == [] and store.list_batches() == []
    dialog.reject()
