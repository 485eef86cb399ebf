"""The render farm in the window: the Settings' Farm page (URL, Test connection, "this
computer develops too"), the status bar's "Farm: 3 computers · 12 workers"."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from junmai_gui.controller.batch_controller import BatchController, ControllerSettings
from junmai_gui.controller.executors import InProcessExecutor
from junmai_gui.controller.farm_executor import FarmExecutor
from junmai_gui.controller.farm_status import FarmStatus
from junmai_gui.controller.split_executor import SplitExecutor
from junmai_gui.develop.library import PresetLibrary
from junmai_gui.farm.protocol import WorkerInfo
from junmai_gui.store.database import Store
from junmai_gui.store.settings import load_settings
from junmai_gui.views import formatting
from junmai_gui.views.main_window import MainWindow


def closed_port() -> int:
    """A loopback port nothing listens on: a broker there is refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_farm_page_saves_the_url_and_the_choice_and_tests_the_connection(
    qtbot: Any, window: MainWindow, data_dir: Path
) -> None:
    dialog = window.open_settings()
    page = dialog.farm_page
    assert page is not None
    assert page.answer_label.text().startswith("No render farm")
    qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    assert "Give the farm's URL first" in page.answer_label.text()

    url = f"redis://:secret@127.0.0.1:{closed_port()}/0"
    page.url_edit.setText(url)
    with qtbot.wait_signal(page.connection_checked, timeout=30_000):
        qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    assert "cannot be reached" in page.answer_label.text()
    assert "secret" not in page.answer_label.text()
    assert page.test_button.isEnabled()

    page.develops_here_check.setChecked(False)
    with qtbot.wait_signal(window.settings.changed):
        save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    stored = load_settings(data_dir)
    assert (stored.farm_url, stored.farm_develops_here) == (url, False)
    qtbot.wait_until(lambda: window.settings_dialog is None)


def test_the_status_bar_shows_the_farm_when_there_is_one(
    qtbot: Any,
    make_window: Callable[..., MainWindow],
    store: Store,
    presets: PresetLibrary,
    tmp_path: Path,
) -> None:
    farm = FarmExecutor(f"redis://:secret@127.0.0.1:{closed_port()}/0", "views-test")
    controller = BatchController(
        store,
        presets,
        ControllerSettings(workers=1, default_output_dir=tmp_path / "out"),
        SplitExecutor(InProcessExecutor(1), farm),
    )
    try:
        window = make_window(controller)
        label = window.status_bar.farm_label
        qtbot.wait_until(lambda: "cannot be reached" in label.text(), timeout=30_000)
        assert label.text().startswith("Farm: not connected.") and "secret" not in label.text()
        assert (
            label.isVisible()
            and label.toolTip() == "redis://:***@127.0.0.1:" + label.toolTip()[23:]
        )
        status = controller.farm_status()
        assert status is not None and status.develops_here and not status.connected
    finally:
        controller.shutdown(timeout_s=10)
        controller.deleteLater()


def test_farm_text_counts_computers_and_workers() -> None:
    def worker(name: str, host: str, concurrency: int) -> WorkerInfo:
        return WorkerInfo(name, host, concurrency, 0, "2026-01-01T00:00:00Z")

    workers = (worker("a1", "a", 4), worker("a2", "a", 4), worker("b", "b", 2), worker("c", "c", 2))
    status = FarmStatus(connected=True, url="redis://h:6380/0", workers=workers)
    assert formatting.farm_text(status) == "Farm: 3 computers · 12 workers"
    one = FarmStatus(connected=True, url="", workers=(worker("a", "a", 1),), queued=5)
    assert formatting.farm_text(one) == "Farm: 1 computer · 1 worker · 5 queued"
    assert formatting.developed_by_text("local") == "This computer"
    assert formatting.developed_by_text("render-3") == "render-3"
    assert formatting.developed_by_text(None) == ""
