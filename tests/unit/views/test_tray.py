"""The tray icon object: state, tooltip, a menu rebuilt from the controller as it opens, its
commands, and notifications (tested on the object; offscreen there is no platform tray)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from junmai_gui.controller.batch_controller import BatchController
from junmai_gui.domain.status import BatchStatus
from junmai_gui.views.main_window import MainWindow
from junmai_gui.views.tray import TrayIcon
from tests.creating import create

CONFIG = {"preset": "WhiteLayer_v4", "blend": 60}


def _open_menu(tray: TrayIcon) -> dict[str, Any]:
    tray.menu.aboutToShow.emit()
    return {a.text(): a for a in tray.menu.actions() if a.text()}


def test_menu_reflects_state_and_its_commands_work(
    qtbot: Any,
    make_window: Callable[..., MainWindow],
    slow_controller: BatchController,
    photos: Callable[..., list[Path]],
    answer_yes: list[str],
) -> None:
    window = make_window(slow_controller)
    tray = TrayIcon(slow_controller, window)
    assert tray.state() == "idle"
    assert "Nothing to develop" in _open_menu(tray)

    files = photos(2)
    running = create(slow_controller, photo_paths=files, config=dict(CONFIG), name="Run")
    waiting = create(
        slow_controller, photo_paths=files, config=dict(CONFIG), name="Wait", start=False
    )
    items = _open_menu(tray)
    assert tray.state() == "running"
    # The running batches only, counted as the status bar and the window title count them.
    assert "0 / 2 photos (0.0 %), 1 running" in tray.tooltip()
    assert tray.icon.toolTip() == tray.tooltip()  # a new batch updates the icon at once
    assert items["Pause all"].isEnabled() and not items["Resume all"].isEnabled()
    run_menu = tray.batch_menu(running.batch_id)
    wait_menu = tray.batch_menu(waiting.batch_id)
    assert run_menu is not None and wait_menu is not None
    assert "Run — 0 % (Running)" in run_menu.title()
    run_actions = {a.text(): a for a in run_menu.actions()}
    assert run_actions["Pause"].isEnabled() and not run_actions["Resume"].isEnabled()

    items["Pause all"].trigger()
    assert slow_controller.batch(running.batch_id).status is BatchStatus.PAUSED
    assert slow_controller.batch(waiting.batch_id).status is BatchStatus.PENDING
    items = _open_menu(tray)
    assert tray.state() == "paused"
    qtbot.wait_until(lambda: tray.icon.toolTip().endswith("1 batch paused"))  # coalesced
    assert items["Resume all"].isEnabled() and not items["Pause all"].isEnabled()
    items["Resume all"].trigger()
    assert slow_controller.batch(running.batch_id).status is BatchStatus.RUNNING

    _open_menu(tray)
    wait_menu = tray.batch_menu(waiting.batch_id)
    assert wait_menu is not None
    {a.text(): a for a in wait_menu.actions()}["Start"].trigger()
    assert slow_controller.batch(waiting.batch_id).status is BatchStatus.RUNNING
    _open_menu(tray)
    run_menu = tray.batch_menu(running.batch_id)
    assert run_menu is not None
    {a.text(): a for a in run_menu.actions()}["Cancel…"].trigger()
    assert len(answer_yes) == 1
    assert slow_controller.batch(running.batch_id).status is BatchStatus.CANCELLED
    assert tray.batch_menu(running.batch_id) is not None  # the old menu until reopened
    _open_menu(tray)
    assert tray.batch_menu(running.batch_id) is None


def test_show_window_and_quit(
    qtbot: Any,
    make_window: Callable[..., MainWindow],
    slow_controller: BatchController,
    photos: Callable[..., list[Path]],
    answer_yes: list[str],
) -> None:
    window = make_window(slow_controller)
    tray = TrayIcon(slow_controller, window)
    window.hide()
    _open_menu(tray)["Show window"].trigger()
    assert window.isVisible()

    create(slow_controller, photo_paths=photos(1), config=dict(CONFIG))
    with qtbot.wait_signal(window.quit_requested):
        _open_menu(tray)["Quit"].trigger()
    assert "1 batch is running" in answer_yes[0]


def test_notifies_when_a_batch_completes_or_fails(
    qtbot: Any,
    window: MainWindow,
    controller: BatchController,
    photos: Callable[..., list[Path]],
    tmp_path: Path,
) -> None:
    tray = TrayIcon(controller, window)
    with qtbot.wait_signal(tray.notified, timeout=30_000) as finished:
        create(controller, photo_paths=photos(2), config=dict(CONFIG), name="Beach")
    assert finished.args == ["Batch finished", "Beach: 2 photos developed"]
    assert tray.state() == "idle"

    # A batch whose preset file was deleted meanwhile fails as a whole: the tray says so.
    cube = tmp_path / "Gone.cube"
    cube.write_text("LUT_3D_SIZE 2\n" + "0 0 0\n1 0 0\n0 1 0\n1 1 0\n0 0 1\n1 0 1\n0 1 1\n1 1 1\n")
    preset = controller.presets.import_file(cube)
    batch = create(
        controller,
        photo_paths=photos(1, folder="more"),
        config={"preset": preset.name},
        name="Lost",
        start=False,
    )
    user_file = controller.presets.file_of(preset.name)
    assert user_file is not None
    user_file.unlink()
    controller.presets.reload()
    with qtbot.wait_signal(tray.notified, timeout=30_000) as failed:
        controller.resume_batch(batch.batch_id)
    assert failed.args[0] == "Batch failed"
    assert failed.args[1].startswith("Lost: ")
    assert tray.state() == "error"
    assert tray.icon.toolTip().startswith("Junmai Batch")
    tray.show_window()
    assert tray.state() == "idle"
