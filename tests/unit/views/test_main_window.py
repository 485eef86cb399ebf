"""The main window: every action through the real widgets changes the controller and the
table; illegal actions are disabled; the window remembers its layout; closing asks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMenu, QToolButton

from junmai_gui.controller.batch_controller import BatchController
from junmai_gui.domain.status import BatchStatus, PhotoState
from junmai_gui.views.batch_table_model import Column
from junmai_gui.views.main_window import MainWindow
from tests.creating import create
from tests.unit.views.url_catcher import catching_file_urls

CONFIG = {"preset": "WhiteLayer_v4", "blend": 60}


def _start(controller: BatchController, files: list[Path], **kwargs: Any) -> str:
    return create(controller, photo_paths=files, config=dict(CONFIG), **kwargs).batch_id


def _status_cell(window: MainWindow, batch_id: str) -> str:
    row = window.proxy.mapFromSource(window.model.index(window.model.row_of(batch_id), 0)).row()
    return str(window.proxy.index(row, Column.STATUS).data())


def _click_tool(qtbot: Any, window: MainWindow, name: str) -> None:
    button = window.toolbar.findChild(QToolButton, f"tool_{name}")
    assert button is not None and button.isEnabled(), name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _press(qtbot: Any, window: MainWindow, key: Qt.Key, modifier: Any) -> None:
    window.activateWindow()
    qtbot.wait_until(window.isActiveWindow)
    window.table.setFocus()
    qtbot.keyClick(window.table, key, modifier)


def _context_click(qtbot: Any, window: MainWindow, name: str) -> None:
    """Open the table's context menu as a right click would, and click `name` in it."""
    window.table.customContextMenuRequested.emit(window.table.viewport().rect().center())
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    action = window.batch_actions[name]
    assert action in menu.actions() and action.isEnabled()
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
    qtbot.wait_until(lambda: not menu.isVisible())


def test_pause_by_click_resume_by_shortcut(
    qtbot: Any,
    make_window: Callable[..., MainWindow],
    slow_controller: BatchController,
    photos: Callable[..., list[Path]],
) -> None:
    batch_id = _start(slow_controller, photos(3), name="Wedding")
    window = make_window(slow_controller)
    window.select_batch(batch_id)
    assert _status_cell(window, batch_id) == "Running"

    _click_tool(qtbot, window, "pause")
    assert slow_controller.batch(batch_id).status is BatchStatus.PAUSED
    qtbot.wait_until(lambda: _status_cell(window, batch_id) == "Paused")
    assert not window.batch_actions["pause"].isEnabled()
    assert window.batch_actions["resume"].isEnabled()

    _press(qtbot, window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert slow_controller.batch(batch_id).status is BatchStatus.RUNNING
    qtbot.wait_until(lambda: _status_cell(window, batch_id) == "Running")


def test_cancel_from_the_context_menu_asks_first(
    qtbot: Any,
    make_window: Callable[..., MainWindow],
    slow_controller: BatchController,
    photos: Callable[..., list[Path]],
    monkeypatch: pytest.MonkeyPatch,
    request: Any,
) -> None:
    batch_id = _start(slow_controller, photos(2), name="Studio")
    window = make_window(slow_controller)
    window.select_batch(batch_id)

    asked = request.getfixturevalue("answer_no")
    _context_click(qtbot, window, "cancel")
    assert len(asked) == 1 and "Studio" in asked[0]
    assert slow_controller.batch(batch_id).status is BatchStatus.RUNNING

    monkeypatch.undo()
    request.getfixturevalue("answer_yes")
    _context_click(qtbot, window, "cancel")
    assert slow_controller.batch(batch_id).status is BatchStatus.CANCELLED
    qtbot.wait_until(lambda: _status_cell(window, batch_id) == "Cancelled")


def test_actions_are_enabled_only_when_legal_for_every_selected_batch(
    qtbot: Any,
    make_window: Callable[..., MainWindow],
    slow_controller: BatchController,
    photos: Callable[..., list[Path]],
) -> None:
    files = photos(2)
    running = _start(slow_controller, files, name="running")
    waiting = _start(slow_controller, files, name="waiting", start=False)
    window = make_window(slow_controller)
    actions = window.batch_actions

    assert not any(a.isEnabled() for a in actions.batch_actions())
    assert actions["new_batch"].isEnabled()

    window.select_batch(running)
    enabled = {n for n, a in actions.by_name.items() if a.isEnabled()}
    assert enabled == {
        "new_batch",
        "pause",
        "cancel",
        "priority_up",
        "priority_down",
        "open_output",
    }
    window.table.selectAll()
    assert window.selected_batch_ids() == [running, waiting]
    enabled = {n for n, a in actions.by_name.items() if a.isEnabled()}
    assert enabled == {"new_batch", "cancel", "priority_up", "priority_down", "open_output"}

    slow_controller.cancel_batch(running)
    window.select_batch(running)
    enabled = {n for n, a in actions.by_name.items() if a.isEnabled()}
    assert enabled == {"new_batch", "remove_finished", "open_output"}


def test_priority_merge_and_remove(
    qtbot: Any,
    make_window: Callable[..., MainWindow],
    slow_controller: BatchController,
    photos: Callable[..., list[Path]],
    store: Any,
) -> None:
    first = _start(slow_controller, photos(2, folder="a"), name="first", start=False)
    second = _start(slow_controller, photos(2, folder="b"), name="second", start=False)
    window = make_window(slow_controller)

    window.select_batch(first)
    _press(qtbot, window, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert slow_controller.batch(first).priority == 1
    assert window.status_bar.currentMessage().startswith("Priority first: 1 ")
    _click_tool(qtbot, window, "priority_down")
    _click_tool(qtbot, window, "priority_down")
    assert slow_controller.batch(first).priority == -1

    window.table.selectAll()
    with qtbot.wait_signal(window.model.rowsInserted):
        _press(qtbot, window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert window.model.rowCount() == 3
    merged = window.selected_batch_ids()
    assert len(merged) == 1 and merged[0] not in (first, second)
    assert slow_controller.batch(merged[0]).total_photos == 4
    assert slow_controller.batch(first).status is BatchStatus.CANCELLED

    window.table.clearSelection()
    window.select_batch(first)
    window.table.selectionModel().select(
        window.proxy.mapFromSource(window.model.index(window.model.row_of(second), 0)),
        window.table.selectionModel().SelectionFlag.Select
        | window.table.selectionModel().SelectionFlag.Rows,
    )
    assert window.selected_batch_ids() == [first, second]
    _context_click(qtbot, window, "remove_finished")
    assert window.model.rowCount() == 1
    assert [b.batch_id for b in slow_controller.batches()] == merged
    # Removing is undone from the status bar for a few seconds …
    offer = window.status_bar.undo_offer
    assert offer.isVisible() and offer.label.text() == "Removed 2 batches"
    qtbot.mouseClick(offer.button, Qt.MouseButton.LeftButton)
    assert window.model.rowCount() == 3 and not offer.isVisible()
    # … and when the time is up, the batches are gone for good.
    window.select_batch(first)
    _context_click(qtbot, window, "remove_finished")
    assert offer.label.text() == "Removed first"
    offer.finish()
    assert store.get_batch(first) is None and store.get_batch(second) is not None


def test_retry_failed_and_open_output_folder(
    qtbot: Any,
    window: MainWindow,
    controller: BatchController,
    photos: Callable[..., list[Path]],
    tmp_path: Path,
) -> None:
    files = photos(2)
    broken = tmp_path / "in" / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 this is not really a JPEG")
    batch_id = _start(controller, [*files, broken], name="Mixed")
    qtbot.wait_until(
        lambda: _status_cell(window, batch_id) == "Completed — 1 failed", timeout=30_000
    )
    assert controller.batch(batch_id).failed_count == 1
    window.select_batch(batch_id)
    assert window.batch_actions["retry_failed"].isEnabled()
    notices: list[str] = []
    window.commands.noticed.connect(notices.append)

    # The batch runs again and finishes again: only the failed photo is developed anew.
    with qtbot.wait_signal(
        controller.batch_finished,
        timeout=30_000,
        check_params_cb=lambda bid, status: bid == batch_id and status == "completed",
    ):
        _press(
            qtbot,
            window,
            Qt.Key.Key_R,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
        assert controller.batch(batch_id).status is BatchStatus.RUNNING
    qtbot.wait_until(lambda: _status_cell(window, batch_id) == "Completed — 1 failed")
    [failed] = controller.batch_photos(batch_id, state=PhotoState.FAILED)
    assert "broken.jpg" in (failed.error or "")
    assert notices == [
        "1 photo of Mixed retried",
        "Retry of Mixed done: 0 developed, 1 failed again",
    ]

    with catching_file_urls() as catcher:
        _click_tool(qtbot, window, "open_output")
    assert [u.toLocalFile() for u in catcher.urls] == [
        controller.batch(batch_id).config["output_dir"]
    ]


def test_detail_pane_lists_photos_filters_failures_and_copies_a_report(
    qtbot: Any,
    window: MainWindow,
    controller: BatchController,
    photos: Callable[..., list[Path]],
    tmp_path: Path,
) -> None:
    files = photos(3)
    broken = tmp_path / "in" / "empty.jpg"
    broken.write_bytes(b"")
    batch_id = _start(controller, [*files, broken], name="Detail")
    qtbot.wait_until(
        lambda: _status_cell(window, batch_id) == "Completed — 1 failed", timeout=30_000
    )
    window.select_batch(batch_id)
    detail = window.detail
    qtbot.wait_until(lambda: detail.model.rowCount() == 4)
    states = [detail.model.index(r, 1).data() for r in range(4)]
    assert sorted(states) == ["Done", "Done", "Done", "Failed"]

    detail.failed_only.setChecked(True)
    qtbot.wait_until(lambda: detail.model.rowCount() == 1)
    assert detail.model.index(0, 0).data() == "empty.jpg"
    assert detail.model.index(0, 2).data()
    assert detail.model.index(0, 3).data() == ""  # a failed photo has no output file

    with qtbot.wait_signal(detail.report_copied):
        qtbot.mouseClick(detail.copy_report, Qt.MouseButton.LeftButton)
    report = QApplication.clipboard().text()
    assert str(broken) in report and "1 of 4 photos failed" in report


def test_status_bar_shows_workers_and_api(window: MainWindow) -> None:
    assert window.status_bar.workers_label.text() == "Workers: 0 of 2 busy"
    assert window.status_bar.throughput_label.text() == "Nothing running"
    assert window.windowTitle() == "Junmai Batch"
    window.set_api_status("API: http://127.0.0.1:5100")
    assert window.status_bar.api_label.text() == "API: http://127.0.0.1:5100"


def test_window_remembers_geometry_and_column_widths(
    qtbot: Any, make_window: Callable[..., MainWindow], controller: BatchController, data_dir: Path
) -> None:
    first = make_window(controller)
    first.resize(700, 500)
    first.table.horizontalHeader().resizeSection(Column.NAME, 321)
    first.allow_close()
    first.close()
    assert (data_dir / "window-state.ini").is_file()
    second = make_window(controller)
    assert second.table.horizontalHeader().sectionSize(Column.NAME) == 321
    assert (second.size().width(), second.size().height()) == (700, 500)


def test_closing_with_nothing_developing_quits_without_a_question(
    qtbot: Any, window: MainWindow, answer_no: list[str]
) -> None:
    with qtbot.wait_signal(window.quit_requested):
        window.close()
    assert answer_no == [] and window.closer.dialog is None


def test_closing_while_developing_offers_tray_quit_or_cancel_and_remembers(
    qtbot: Any,
    make_window: Callable[..., MainWindow],
    slow_controller: BatchController,
    photos: Callable[..., list[Path]],
    answer_no: list[str],
) -> None:
    _start(slow_controller, photos(1), name="Night")
    window = make_window(slow_controller)
    window.attach_tray(True)
    with qtbot.assert_not_emitted(window.quit_requested):
        window.quit_action.trigger()  # File → Quit asks its own question
    assert "1 batch is running" in answer_no[0]

    window.close()
    dialog = window.closer.dialog
    assert dialog is not None and dialog.isVisible() and dialog.tray_button.isVisible()
    assert "1 batch is developing" in dialog.text_label.text()
    with qtbot.assert_not_emitted(window.quit_requested):
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert window.isVisible() and window.closer.dialog is None

    window.close()
    dialog = window.closer.dialog
    assert dialog is not None
    dialog.remember_check.setChecked(True)
    with qtbot.wait_signal(window.hidden_to_tray):
        qtbot.mouseClick(dialog.tray_button, Qt.MouseButton.LeftButton)
    assert not window.isVisible()
    assert window.settings.current.close_action == "tray"
    window.show()
    with qtbot.wait_signal(window.hidden_to_tray):
        window.close()  # remembered: no question this time
    assert window.closer.dialog is None

    window.settings.remember(close_action="ask")
    window.attach_tray(False)  # no tray on this desktop: only Quit and Cancel
    window.show()
    window.close()
    dialog = window.closer.dialog
    assert dialog is not None and not dialog.tray_button.isVisibleTo(dialog)
    with qtbot.wait_signal(window.quit_requested):
        qtbot.mouseClick(dialog.quit_button, Qt.MouseButton.LeftButton)


def test_new_batch_shortcut_opens_the_dialog(qtbot: Any, window: MainWindow) -> None:
    _press(qtbot, window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.new_batch_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.reject()
    qtbot.wait_until(lambda: window.new_batch_dialog is None)


def test_first_launch_shows_how_to_begin_and_a_help_menu(
    qtbot: Any, window: MainWindow, controller: BatchController, photos: Callable[..., list[Path]]
) -> None:
    empty = window.empty_state
    assert empty.isVisible() and "Drop photos or folders here" in empty.hint.text()
    qtbot.mouseClick(empty.new_batch_button, Qt.MouseButton.LeftButton)
    assert window.new_batch_dialog is not None
    window.new_batch_dialog.reject()
    qtbot.wait_until(lambda: window.new_batch_dialog is None)
    _start(controller, photos(1), name="First", start=False)
    qtbot.wait_until(lambda: not empty.isVisible())

    titles = [a.text() for a in window.help.menu.actions() if a.text()]
    assert titles == [
        "&User guide",
        "&Keyboard shortcuts",
        "Open &data folder",
        "&About Junmai Batch",
    ]
    guide = window.help.open_user_guide()
    assert "Junmai Batch" in guide.browser.toPlainText()
    guide.reject()
    keys = window.help.open_shortcuts()
    shown = {keys.table.item(r, 0).text() for r in range(keys.table.rowCount())}
    assert {"Ctrl+N", "Ctrl+P", "Delete", "Ctrl+Q"} <= shown
    keys.reject()
    about = window.help.open_about()
    assert "libvips" in about.label.text() and "PySide6" in about.label.text()
    about.reject()

    with catching_file_urls() as catcher:
        window.help.data_folder_action.trigger()
    assert [Path(u.toLocalFile()) for u in catcher.urls] == [window.data_dir]


def test_photo_rows_open_show_copy_and_retry(
    qtbot: Any,
    window: MainWindow,
    controller: BatchController,
    photos: Callable[..., list[Path]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    [good] = photos(1)
    broken = tmp_path / "in" / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 not a JPEG")
    batch_id = _start(controller, [good, broken], name="Rows")
    qtbot.wait_until(lambda: controller.batch(batch_id).status is BatchStatus.COMPLETED)
    window.select_batch(batch_id)
    detail = window.detail
    qtbot.wait_until(lambda: detail.model.rowCount() == 2)
    done, failed = detail.model.record_at(0), detail.model.record_at(1)
    assert done is not None and failed is not None and done.developed

    menu = detail.photo_menu(done)
    texts = {a.text(): a for a in menu.actions() if a.text()}
    assert list(texts) == ["Open developed photo", "Show in folder", "Open original", "Copy path"]
    with catching_file_urls() as catcher:
        texts["Open developed photo"].trigger()
        texts["Show in folder"].trigger()
        texts["Open original"].trigger()
        detail.table.doubleClicked.emit(detail.model.index(0, 0))  # double-click opens
    assert [u.toLocalFile() for u in catcher.urls] == [
        done.output_path,
        str(Path(done.output_path).parent),
        str(good),
        done.output_path,
    ]
    texts["Copy path"].trigger()
    assert QApplication.clipboard().text() == done.output_path
    menu.deleteLater()

    # No program to open it with: say so, with the path and a Copy button.
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda _url: False))
    detail.open_photo(done, developed=True)
    dialog = detail.path_dialog
    assert dialog is not None and dialog.isVisible()
    assert "could not open the developed photo" in dialog.reason_label.text()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == done.output_path
    dialog.reject()

    failed_menu = detail.photo_menu(failed)
    actions = {a.text(): a for a in failed_menu.actions() if a.text()}
    assert not actions["Open developed photo"].isEnabled()
    with qtbot.wait_signal(controller.batch_finished, timeout=30_000):
        actions["Retry this photo"].trigger()
    failed_menu.deleteLater()
    assert controller.batch(batch_id).failed_count == 1  # still broken, but tried again


def test_numbers_agree_and_the_title_shows_progress(
    qtbot: Any,
    make_window: Callable[..., MainWindow],
    slow_controller: BatchController,
    photos: Callable[..., list[Path]],
    gated: Any,
) -> None:
    batch_id = _start(slow_controller, photos(4), name="Agree")
    window = make_window(slow_controller)
    window.select_batch(batch_id)
    qtbot.wait_until(lambda: window.windowTitle().startswith("Junmai Batch — 0 %"))
    gated.open()
    qtbot.wait_until(lambda: slow_controller.batch(batch_id).status is BatchStatus.COMPLETED)
    qtbot.wait_until(lambda: "4 done, 0 failed, 0 to go" in window.detail.title.text())
    row = window.proxy.mapFromSource(window.model.index(window.model.row_of(batch_id), 0)).row()
    assert window.proxy.index(row, Column.PROGRESS).data() == "4 / 4  (100.0 %)"
    qtbot.wait_until(lambda: window.windowTitle() == "Junmai Batch")
    assert window.status_bar.throughput_label.text() == "Nothing running"


def test_merge_is_disabled_for_different_settings_and_says_which(
    qtbot: Any,
    make_window: Callable[..., MainWindow],
    controller: BatchController,
    photos: Callable[..., list[Path]],
) -> None:
    files = photos(1)
    soft = create(
        controller, photo_paths=files, config={**CONFIG, "blend": 30}, name="Soft", start=False
    ).batch_id
    strong = _start(controller, files, name="Strong", start=False)
    window = make_window(controller)
    window.table.selectAll()
    assert sorted(window.selected_batch_ids()) == sorted([soft, strong])
    merge = window.batch_actions["merge"]
    assert not merge.isEnabled()
    assert "differ in blend" in merge.toolTip()
    assert "Soft" in merge.toolTip() and "Strong" in merge.toolTip()


def test_paths_handed_over_during_the_recovery_question_wait_for_its_answer(
    qtbot: Any, window: MainWindow, photos: Callable[..., list[Path]]
) -> None:
    from PySide6.QtWidgets import QDialog

    question = QDialog()
    window.recovery_dialog = question
    files = photos(1)
    assert window.open_new_batch(files) is None
    assert window.new_batch_dialog is None
    window.show_after_recovery()
    dialog = window.new_batch_dialog
    assert dialog is not None
    qtbot.wait_until(lambda: not dialog.scanning)
    assert dialog.files == [files[0]]
    dialog.reject()
