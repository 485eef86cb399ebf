"""Watched folders in Settings and the tray, and what after-batch actions did, in the window:
real controllers, real folders, real after-batch commands."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from junmai_gui.controller.batch_controller import BatchController
from junmai_gui.views.main_window import MainWindow
from junmai_gui.views.tray import TrayIcon
from junmai_gui.views.watch_folders_page import TODAY_COLUMN
from tests.creating import create
from tests.unit.views.url_catcher import catching_file_urls

CONFIG = {"preset": "WhiteLayer_v4", "blend": 60}


def test_the_watch_page_adds_pauses_resumes_and_removes_watches(
    qtbot: Any,
    window: MainWindow,
    controller: BatchController,
    tmp_path: Path,
    answer_yes: list[str],
) -> None:
    card = tmp_path / "card"
    card.mkdir()
    controller.templates.save("Studio", {"preset": "WhiteLayer_v4", "blend": 30})
    dialog = window.open_settings()
    page = dialog.watch_page
    assert page is not None
    dialog.show_watch_folders()
    assert dialog.pages.currentWidget() is page
    assert page.empty_label.isVisibleTo(dialog)
    assert "apply at once; they are not part of Save" in page.note_label.text()

    add = page.open_add_dialog()
    assert add.develop_combo.itemText(0).startswith("The preset of the last batch")
    add.folder_edit.setText(str(card))
    add.name_edit.setText("Tethered")
    add.develop_combo.setCurrentIndex(add.develop_combo.findData("Studio"))
    with qtbot.wait_signal(controller.watch_folders.watches_changed):
        qtbot.mouseClick(
            add.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )
    qtbot.wait_until(lambda: page.add_dialog is None)
    [watch] = controller.watch_folders.watches()
    assert (watch.name, watch.folder, watch.template) == ("Tethered", str(card.resolve()), "Studio")
    assert page.table.rowCount() == 1 and not page.empty_label.isVisibleTo(dialog)
    row = [page.table.item(0, c).text() for c in range(page.table.columnCount())]
    assert row[0] == "Tethered" and row[2] == "Template “Studio”" and row[3] == "Watching"
    assert row[4] == "None yet today"

    # the same folder again: the add dialog says why and stays open
    again = page.open_add_dialog()
    again.folder_edit.setText(str(card))
    again.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert "watched already" in again.problem_label.text() and again.isVisible()
    again.reject()

    page.select(watch.watch_id)
    assert page.pause_button.isEnabled() and not page.resume_button.isEnabled()
    qtbot.mouseClick(page.pause_button, Qt.MouseButton.LeftButton)
    assert controller.watch_folders.watch(watch.watch_id).paused
    assert page.table.item(0, 3).text() == "Paused" and page.resume_button.isEnabled()
    qtbot.mouseClick(page.resume_button, Qt.MouseButton.LeftButton)
    assert not controller.watch_folders.watch(watch.watch_id).paused

    # a watch made with the preset and blend of the last batch
    lab = tmp_path / "lab"
    lab.mkdir()
    window.settings.remember(last_preset="WhiteLayer_v4", last_blend=45.0)
    made = page.add_watch(str(lab))
    assert made is not None and made.config is not None
    assert (made.config["preset"], made.config["blend"], made.name) == ("WhiteLayer_v4", 45, "lab")
    assert page.table.item(1, 2).text() == "WhiteLayer_v4 at 45 %"
    assert page.add_watch(str(tmp_path / "missing")) is None
    assert "There is no folder" in page.problem_label.text()

    page.select(watch.watch_id)
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert "Stop watching" in answer_yes[-1]
    assert [w.watch_id for w in controller.watch_folders.watches()] == [made.watch_id]
    assert page.table.rowCount() == 1
    dialog.reject()


def test_the_tray_lists_watches_and_pauses_and_resumes_them(
    window: MainWindow, controller: BatchController, tmp_path: Path
) -> None:
    tray = TrayIcon(controller, window)
    tray.menu.aboutToShow.emit()
    assert tray.watch_menu is None  # no watches: no submenu

    folder = tmp_path / "Tethered & drop"
    folder.mkdir()
    watch = controller.watch_folders.add(str(folder), dict(CONFIG))
    tray.menu.aboutToShow.emit()
    assert tray.watch_menu is not None and tray.watch_menu.title() == "Watch folders"
    action = tray.watch_action(watch.watch_id)
    assert action is not None and action.text() == "Tethered && drop"
    assert action.isChecked()
    action.trigger()
    assert controller.watch_folders.watch(watch.watch_id).paused
    tray.menu.aboutToShow.emit()
    action = tray.watch_action(watch.watch_id)
    assert action is not None and not action.isChecked()
    assert action.toolTip().startswith("Paused")
    action.trigger()
    assert not controller.watch_folders.watch(watch.watch_id).paused

    # the submenu's last item opens Settings on its Watch folders page
    settings_item = tray.watch_menu.actions()[-1]
    assert settings_item.text() == "Watch folder settings…"
    settings_item.trigger()
    dialog = window.settings_dialog
    assert dialog is not None and dialog.pages.currentWidget() is dialog.watch_page
    dialog.reject()


def test_the_detail_pane_shows_a_failed_after_batch_command(
    qtbot: Any,
    make_window: Callable[..., MainWindow],
    slow_controller: BatchController,
    gated: Any,
    photos: Callable[..., list[Path]],
) -> None:
    """The batch is shown while it develops (held at a gate); the command's failure appears
    as it comes."""
    controller = slow_controller
    window = make_window(controller)
    failing = [
        sys.executable,
        "-c",
        "import json, sys; body = json.load(sys.stdin); "
        "sys.exit(f'no upload server for {len(body[\"photos\"])} photo(s)')",
    ]
    config = {**CONFIG, "after": [{"action": "command", "command": failing}]}
    batch = create(controller, photo_paths=photos(1), config=config, name="Upload")
    window.select_batch(batch.batch_id)
    assert window.detail.batch_id == batch.batch_id
    assert not window.detail.after_label.isVisibleTo(window)
    with qtbot.wait_signal(controller.after_batch.action_finished, timeout=60_000) as finished:
        gated.open()
    assert finished.args[:3] == [batch.batch_id, "command", False]
    label = window.detail.after_label
    assert label.isVisibleTo(window)
    assert "no upload server for 1 photo(s)" in label.text()
    assert label.text().startswith("After the batch:\n✗ The command after batch “Upload” failed")

    # shown again when the batch is selected again (read from the batch's record)
    window.table.clearSelection()
    assert not label.isVisibleTo(window)
    window.select_batch(batch.batch_id)
    assert "no upload server" in label.text()


def test_the_window_opens_the_output_folder_an_action_asks_for(
    qtbot: Any,
    window: MainWindow,
    controller: BatchController,
    photos: Callable[..., list[Path]],
    tmp_path: Path,
) -> None:
    with catching_file_urls() as catcher:
        config = {
            **CONFIG,
            "output_dir": str(tmp_path / "developed"),
            "after": [{"action": "open_folder"}],
        }
        with qtbot.wait_signal(controller.after_batch.open_folder_requested, timeout=60_000):
            create(controller, photo_paths=photos(1), config=config)
    assert [url.toLocalFile() for url in catcher.urls] == [str(tmp_path / "developed")]
    assert window.path_dialog is None


def test_the_watch_page_follows_today_s_batch_as_it_develops(
    qtbot: Any,
    window: MainWindow,
    controller: BatchController,
    photos: Callable[..., list[Path]],
    tmp_path: Path,
) -> None:
    card = tmp_path / "card"
    card.mkdir()
    controller.watch_folders.add(str(card), dict(CONFIG), name="Card")
    dialog = window.open_settings()
    page = dialog.watch_page
    assert page is not None
    assert page.table.item(0, TODAY_COLUMN).text() == "None yet today"

    photos(2, folder="card")
    watches = controller.watch_folders
    assert watches.run_cycle(now=1000.0) == 0  # seen once: sizes must hold for 2 s
    assert watches.run_cycle(now=1003.0) == 2
    today = page.table.item(0, TODAY_COLUMN)
    qtbot.wait_until(lambda: today.text().endswith("2 of 2 developed"), timeout=60_000)
    dialog.reject()
