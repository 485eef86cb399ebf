"""Settings are saved in the data dir and applied; the API token can be shown, copied and
regenerated."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit

from junmai_gui.controller.batch_controller import BatchController
from junmai_gui.store.api_token import read_token
from junmai_gui.store.settings import load_settings
from junmai_gui.views.main_window import MainWindow


def test_saved_settings_survive_and_apply(
    qtbot: Any, window: MainWindow, controller: BatchController, data_dir: Path, tmp_path: Path
) -> None:
    dialog = window.open_settings()
    dialog.workers_spin.setValue(3)
    dialog.close_action_combo.setCurrentIndex(dialog.close_action_combo.findData("tray"))
    dialog.output_dir_edit.setText(str(tmp_path / "developed"))
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("tiff"))
    dialog.api_port_spin.setValue(5123)
    with qtbot.wait_signal(window.settings.changed):
        save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    stored = load_settings(data_dir)
    assert (stored.workers, stored.close_action, stored.default_format, stored.api_port) == (
        3,
        "tray",
        "tiff",
        5123,
    )
    assert stored.default_output_dir == str(tmp_path / "developed")
    assert controller.workers == 3
    assert window.settings.current.close_action == "tray"
    qtbot.wait_until(lambda: window.settings_dialog is None)

    # the default output folder holds a folder for each batch: New Batch leaves the field
    # empty and says where batches go
    assert controller.default_output_dir == tmp_path / "developed"
    new_batch = window.open_new_batch()
    assert new_batch is not None
    assert new_batch.view.output_dir_edit.text() == ""
    assert "developed" in new_batch.view.output_dir_edit.placeholderText()
    assert new_batch.view.format_combo.currentData() == "tiff"
    new_batch.reject()


def test_token_show_copy_regenerate(qtbot: Any, window: MainWindow, data_dir: Path) -> None:
    dialog = window.open_settings()
    token = read_token(data_dir)
    assert token and dialog.token_edit.text() == token
    assert dialog.token_edit.echoMode() is QLineEdit.EchoMode.Password
    qtbot.mouseClick(dialog.show_token_button, Qt.MouseButton.LeftButton)
    assert dialog.token_edit.echoMode() is QLineEdit.EchoMode.Normal

    qtbot.mouseClick(dialog.copy_token_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == token

    with qtbot.wait_signal(window.settings.token_changed) as changed:
        qtbot.mouseClick(dialog.regenerate_button, Qt.MouseButton.LeftButton)
    fresh = read_token(data_dir)
    assert fresh and fresh != token and dialog.token_edit.text() == fresh
    assert changed.args == [fresh]  # the app hands it to the running API server
    assert (data_dir / "api-token").stat().st_mode & 0o777 == 0o600
    dialog.reject()


def test_says_where_the_api_listens_in_this_run(window: MainWindow) -> None:
    """`--api-port` may differ from the port setting: the dialog shows both."""
    window.set_api_status("API: http://127.0.0.1:5177")
    dialog = window.open_settings()
    assert dialog.api_now_label.text() == "API: http://127.0.0.1:5177"
    assert dialog.pages.tabText(1) == "Local API"
    dialog.pages.setCurrentIndex(1)
    assert dialog.api_now_label.isVisibleTo(dialog)
    dialog.reject()


def test_the_dialog_shows_what_runs_and_save_applies_what_it_shows(
    qtbot: Any, make_window: Any, controller: BatchController, data_dir: Path
) -> None:
    """Started with --api-port 5191 and --workers 3 (saved: port 5100, 2 workers): the dialog
    shows 5191 and 3. Saving with the port left as shown keeps it running and saves nothing
    of it; a changed port is saved and replaces the launch option."""
    from junmai_gui.controller.settings_service import LaunchOverrides, SettingsService
    from junmai_gui.domain.app_settings import AppSettings
    from junmai_gui.views.main_window import MainWindow

    service = SettingsService(
        data_dir, AppSettings(workers=2, api_port=5100), LaunchOverrides(workers=3, api_port=5191)
    )
    window = MainWindow(controller, service)
    qtbot.addWidget(window, before_close_func=MainWindow.allow_close)
    dialog = window.open_settings()
    assert (dialog.api_port_spin.value(), dialog.workers_spin.value()) == (5191, 3)
    assert dialog.api_enabled_check.isChecked()
    dialog.quality_spin.setValue(70)
    with qtbot.wait_signal(service.changed) as applied:
        dialog.save()
    assert (applied.args[0].api_port, applied.args[0].workers) == (5191, 3)
    assert (load_settings(data_dir).api_port, load_settings(data_dir).workers) == (5100, 2)
    assert load_settings(data_dir).default_quality == 70

    dialog = window.open_settings()
    dialog.api_port_spin.setValue(5200)
    dialog.api_enabled_check.setChecked(False)
    with qtbot.wait_signal(service.changed) as applied:
        dialog.save()
    assert (applied.args[0].api_port, applied.args[0].api_enabled) == (5200, False)
    assert (load_settings(data_dir).api_port, load_settings(data_dir).api_enabled) == (5200, False)
    assert service.current.workers == 3  # still as launched: not changed in the dialog
    qtbot.wait_until(lambda: window.settings_dialog is None)
