"""New Batch's workflows: several outputs, a live example name from the photo's metadata,
templates that fill the form, and after-batch actions, on a real controller and real photos."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from junmai_gui.controller.batch_controller import BatchController
from junmai_gui.views.new_batch_dialog import NewBatchDialog


def _dialog(qtbot: Any, controller: BatchController, settings: Any) -> NewBatchDialog:
    dialog = NewBatchDialog(controller, settings)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _wait_ready(qtbot: Any, dialog: NewBatchDialog) -> None:
    qtbot.wait_until(lambda: not dialog.scanning and bool(dialog.files), timeout=10_000)
    qtbot.wait_until(lambda: not dialog.preview_busy, timeout=20_000)


def _wait_examples(qtbot: Any, dialog: NewBatchDialog) -> None:
    qtbot.wait_until(lambda: not dialog.form.finding_examples, timeout=10_000)


def test_three_outputs_make_a_batch_whose_config_has_them(
    qtbot: Any,
    controller: BatchController,
    settings: Any,
    photos: Callable[..., list[Path]],
    tmp_path: Path,
) -> None:
    dialog = _dialog(qtbot, controller, settings)
    editor = dialog.view.outputs_editor
    assert not editor.list.isVisibleTo(dialog)  # one output looks as it always did
    dialog.add_paths(photos(1))
    _wait_ready(qtbot, dialog)
    dialog.view.output_dir_edit.setText(str(tmp_path / "developed"))

    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert editor.list.isVisibleTo(dialog) and editor.current == 1
    editor.long_edge_spin.setValue(2048)
    editor.subfolder_edit.setText("web")
    editor.quality_spin.setValue(80)
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    editor.format_combo.setCurrentIndex(editor.format_combo.findData("tiff"))
    editor.bit_depth_combo.setCurrentIndex(editor.bit_depth_combo.findData(16))
    editor.long_edge_spin.setValue(0)
    editor.subfolder_edit.setText("print")
    editor.xmp_check.setChecked(True)
    assert editor.list.count() == 3
    assert "TIFF" in editor.list.item(2).text() and "print" in editor.list.item(2).text()
    assert dialog.view.problems_label.text() == ""
    _wait_examples(qtbot, dialog)
    assert editor.examples_label.text().splitlines() == [
        "1: photo_000_WhiteLayer_v4.jpg",
        "2: web/photo_000_WhiteLayer_v4.jpg",
        "3: print/photo_000_WhiteLayer_v4.tif",
    ]

    # 16 bits are for TIFF and PNG only: JPEG sets the output back to 8
    editor.select(1)
    assert not editor.bit_depth_combo.isEnabled()
    assert editor.long_edge_spin.value() == 2048
    editor.select(2)
    assert editor.bit_depth_combo.isEnabled() and editor.bit_depth_combo.currentData() == 16
    editor.format_combo.setCurrentIndex(editor.format_combo.findData("jpeg"))
    assert editor.outputs()[2]["bit_depth"] == 8 and not editor.bit_depth_combo.isEnabled()
    editor.format_combo.setCurrentIndex(editor.format_combo.findData("tiff"))
    editor.bit_depth_combo.setCurrentIndex(editor.bit_depth_combo.findData(16))

    with qtbot.wait_signal(dialog.batch_created) as created:
        qtbot.mouseClick(dialog.view.add_paused_button, Qt.MouseButton.LeftButton)
    config = controller.batch(created.args[0]).config
    assert [(o["format"], o["long_edge"], o["subfolder"]) for o in config["outputs"]] == [
        ("jpeg", None, ""),
        ("jpeg", 2048, "web"),
        ("tiff", None, "print"),
    ]
    assert config["outputs"][1]["quality"] == 80
    assert config["outputs"][2]["bit_depth"] == 16 and config["outputs"][2]["xmp_sidecar"]


def test_removing_outputs_leaves_one_batch_output_as_before(
    qtbot: Any, controller: BatchController, settings: Any
) -> None:
    dialog = _dialog(qtbot, controller, settings)
    editor = dialog.view.outputs_editor
    editor.add_button.click()
    editor.add_button.click()
    editor.select(0)
    editor.remove_button.click()
    editor.remove_button.click()
    assert editor.list.count() == 1 and not editor.remove_button.isVisibleTo(dialog)
    assert editor.outputs()[0]["subfolder"] == "output 3"  # the one that was left
    assert len(dialog.config_dict()["outputs"]) == 1  # in its subfolder
    editor.subfolder_edit.setText("")
    config = dialog.config_dict()
    assert "outputs" not in config  # the single keys, as a batch always had them
    assert config["naming"] == "{stem}_{preset}" and config["format"] == "jpeg"


def test_the_example_name_follows_a_metadata_template_on_a_camera_jpeg(
    qtbot: Any, controller: BatchController, settings: Any, testdata: Path, tmp_path: Path
) -> None:
    photo = tmp_path / "card" / "IMG_4711.jpg"
    photo.parent.mkdir()
    shutil.copyfile(testdata / "photos" / "exifsamples-Canon_40D.jpg", photo)
    dialog = _dialog(qtbot, controller, settings)
    dialog.add_paths([photo])
    _wait_ready(qtbot, dialog)
    editor = dialog.view.outputs_editor
    _wait_examples(qtbot, dialog)
    assert editor.examples_label.text() == "IMG_4711_WhiteLayer_v4.jpg"

    dialog.view.naming_edit.setText("{date:%Y}/{camera}/{stem}")
    _wait_examples(qtbot, dialog)
    assert editor.examples_label.text() == "2008/Canon EOS 40D/IMG_4711.jpg"
    assert dialog.view.start_button.isEnabled()

    # an unusable template is a sentence, and Start waits for a usable one
    dialog.view.naming_edit.setText("{date:%Y}/{camera}")
    assert "must contain {stem} or {seq}" in editor.examples_label.text()
    assert not dialog.view.start_button.isEnabled()
    dialog.view.naming_edit.setText("{camera}/{lens}/{stem")
    assert "malformed" in editor.examples_label.text()
    assert not dialog.view.start_button.isEnabled()
    dialog.view.naming_edit.setText("{seq:04}_{iso}")
    _wait_examples(qtbot, dialog)
    assert editor.examples_label.text() == "0001_100.jpg"
    assert dialog.view.start_button.isEnabled()


def test_a_template_saved_in_the_dialog_is_offered_and_fills_the_form(
    qtbot: Any,
    controller: BatchController,
    settings: Any,
    tmp_path: Path,
    monkeypatch: Any,
) -> None:
    asked: list[str] = []

    def answer(_parent: Any, _title: str, text: str, *_args: Any) -> Any:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(answer))
    dialog = _dialog(qtbot, controller, settings)
    dialog.set_blend(35)
    editor = dialog.view.outputs_editor
    editor.naming_edit.setText("{date:%Y-%m-%d}/{stem}")
    editor.add_button.click()
    editor.format_combo.setCurrentIndex(editor.format_combo.findData("png"))
    editor.subfolder_edit.setText("png")
    after = dialog.view.after_editor
    after.copy_check.setChecked(True)
    after.copy_folder_edit.setText(str(tmp_path / "backup"))
    after.command_check.setChecked(True)
    after.command_edit.setText("notify-send 'Batch done' --urgency=low")
    assert dialog.view.problems_label.text().startswith("Add photos")

    with qtbot.wait_signal(controller.templates.templates_changed):
        assert dialog.templates.save("Wedding web")
    assert asked == []
    record = controller.templates.get("Wedding web")
    assert record.config["after"][1] == {
        "action": "command",
        "command": ["notify-send", "Batch done", "--urgency=low"],
    }
    assert "output_dir" not in record.config  # each batch gets its own folder

    # a new dialog offers it, and picking it fills the form
    dialog.reject()
    again = _dialog(qtbot, controller, settings)
    picker = again.templates.combo
    assert picker.findData("Wedding web") > 0
    assert again.view.outputs_editor.outputs()[0]["naming"] == "{stem}_{preset}"
    again.templates.choose("Wedding web")
    assert again.view.blend_slider.value() == 35
    outputs = again.view.outputs_editor.outputs()
    assert [(o["format"], o["subfolder"], o["naming"]) for o in outputs] == [
        ("jpeg", "", "{date:%Y-%m-%d}/{stem}"),
        ("png", "png", "{date:%Y-%m-%d}/{stem}"),
    ]
    assert again.view.after_editor.copy_folder_edit.text() == str(tmp_path / "backup")
    assert again.view.after_editor.command_edit.text() == "notify-send 'Batch done' --urgency=low"
    assert again.config_dict()["after"] == record.config["after"]

    # saving under the same name asks first; deleting asks too
    again.set_blend(80)
    assert again.templates.save("Wedding web")
    assert "exists" in asked[-1]
    assert controller.templates.get("Wedding web").config["blend"] == 80
    assert again.templates.delete("Wedding web")
    assert controller.templates.names() == []
    assert picker.findData("Wedding web") < 0

    # settings that cannot make a batch are not saved, and the bar says why
    again.view.naming_edit.setText("{camera}")
    assert not again.templates.save("Broken")
    assert again.templates.problem_label.text().startswith("The template was not saved:")
    assert "{stem} or {seq}" in again.templates.problem_label.text()
    assert controller.templates.names() == []
    again.view.naming_edit.setText("{stem}")
    assert again.templates.save("Fixed") and again.templates.problem_label.text() == ""


def test_an_unreadable_command_line_keeps_start_disabled(
    qtbot: Any, controller: BatchController, settings: Any, photos: Callable[..., list[Path]]
) -> None:
    dialog = _dialog(qtbot, controller, settings)
    dialog.add_paths(photos(1))
    _wait_ready(qtbot, dialog)
    after = dialog.view.after_editor
    after.command_check.setChecked(True)
    assert "Type the command" in dialog.view.problems_label.text()
    after.command_edit.setText("upload --album 'Sarah")
    assert "cannot be read" in dialog.view.problems_label.text()
    assert not dialog.view.start_button.isEnabled()
    after.command_edit.setText("upload --album 'Sarah & Tom'")
    assert dialog.view.problems_label.text() == ""
    assert dialog.config_dict()["after"] == [
        {"action": "command", "command": ["upload", "--album", "Sarah & Tom"]}
    ]


def test_a_template_keeps_the_typed_folder_every_action_and_names_a_missing_preset(
    qtbot: Any, controller: BatchController, settings: Any, tmp_path: Path
) -> None:
    backups = [str(tmp_path / "backup-a"), str(tmp_path / "backup-b")]
    controller.templates.save(
        "Two copies",
        {
            "preset": "WhiteLayer_v4",
            "after": [{"action": "copy", "folder": folder} for folder in backups],
        },
    )
    controller.templates.save("Gone", {"preset": "WhiteLayer_v4"})
    dialog = _dialog(qtbot, controller, settings)
    dialog.view.output_dir_edit.setText(str(tmp_path / "typed"))
    dialog.templates.choose("Two copies")
    after = dialog.view.after_editor
    assert dialog.view.output_dir_edit.text() == str(tmp_path / "typed")
    assert after.copy_folder_edit.text() == backups[0]
    assert not after.kept_label.isHidden()
    assert "1 more action" in after.kept_label.text()
    assert [a["folder"] for a in dialog.config_dict()["after"]] == backups  # none lost

    # a preset that is not installed is said, and Start waits until one is chosen
    record = controller.templates.get("Gone")
    record.config["preset"] = "Deleted preset"
    dialog.apply_config(record.config)
    assert "Deleted preset is not installed" in dialog.view.problems_label.text()
    assert not dialog.view.start_button.isEnabled()
    view = dialog.view
    view.preset_combo.setCurrentIndex(view.preset_combo.findData("Identity"))
    assert not any("not installed" in problem for problem in dialog.problems())


def test_a_copy_folder_typed_with_a_tilde_is_the_home_folder(
    qtbot: Any, controller: BatchController, settings: Any
) -> None:
    dialog = _dialog(qtbot, controller, settings)
    after = dialog.view.after_editor
    after.copy_check.setChecked(True)
    after.copy_folder_edit.setText("~/Backup")
    (action,) = dialog.config_dict()["after"]
    assert action == {"action": "copy", "folder": str(Path.home() / "Backup")}
    assert not any("absolute path" in problem for problem in dialog.problems())
