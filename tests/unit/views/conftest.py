"""Fixtures of the views tests: a real controller over a real store, tiny real photos, and
guards that fail a test leaving Qt work behind (pool jobs, timers, windows) or logging a
Qt warning."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from junmai_gui.controller.batch_controller import BatchController, ControllerSettings
from junmai_gui.controller.executors import InProcessExecutor
from junmai_gui.controller.settings_service import SettingsService
from junmai_gui.develop.engine import develop_photo
from junmai_gui.develop.library import PresetLibrary
from junmai_gui.domain.app_settings import AppSettings
from junmai_gui.i18n import install_translators
from junmai_gui.store.database import Store

HERE = Path(__file__).resolve().parent

# Messages of the offscreen platform itself, not of our code.
QT_NOISE = [
    r"This plugin does not support",
    r"QSystemTrayIcon::setVisible: No Icon set",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Any Qt warning fails a views test (pytest-qt's qt_log_level_fail, for this folder)."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            item.add_marker(pytest.mark.qt_log_ignore(*QT_NOISE))


def _alive(obj: Any) -> bool:
    return obj is not None and shiboken6.isValid(obj)


@pytest.fixture(scope="session", autouse=True)
def english_interface(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The views speak English, as the app does with the Language setting "en" (the English
    catalogue gives the plural forms: "1 batch is running")."""
    install_translators(qapp, "en", tmp_path_factory.mktemp("i18n-cache"))


@pytest.fixture(autouse=True)
def qt_leak_guard(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail the test if it leaves a thread-pool job running, a QTimer active, a single-shot
    timer pending, or a top-level widget alive (after pytest-qt closed the ones it knows)."""
    started: list[weakref.ref[QTimer]] = []
    pending_single_shots = [0]
    original_start = QTimer.start
    original_single_shot = QTimer.singleShot

    def start(self: QTimer, *args: Any) -> None:
        started.append(weakref.ref(self))
        original_start(self, *args)

    def single_shot(*args: Any) -> None:
        if args and callable(args[-1]):
            callback = args[-1]
            pending_single_shots[0] += 1

            def fire() -> None:
                pending_single_shots[0] -= 1
                callback()

            args = (*args[:-1], fire)
        original_single_shot(*args)

    monkeypatch.setattr(QTimer, "start", start)
    monkeypatch.setattr(QTimer, "singleShot", staticmethod(single_shot))
    before = {shiboken6.getCppPointer(w)[0] for w in QApplication.topLevelWidgets()}
    yield
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    problems = []
    pool = QThreadPool.globalInstance()
    if pool.activeThreadCount():
        problems.append(f"{pool.activeThreadCount()} thread-pool job(s) still running")
        pool.waitForDone(30_000)
    active = [t() for t in started]
    active = [t for t in active if _alive(t) and t.isActive()]
    if active:
        problems.append(f"{len(active)} QTimer(s) still active: {[t.parent() for t in active]}")
        for timer in active:
            timer.stop()
    if pending_single_shots[0]:
        problems.append(f"{pending_single_shots[0]} single-shot timer(s) pending")
    leftovers = [
        w for w in QApplication.topLevelWidgets() if shiboken6.getCppPointer(w)[0] not in before
    ]
    if leftovers:
        problems.append(f"top-level widgets left alive: {[type(w).__name__ for w in leftovers]}")
        for widget in leftovers:
            widget.close()
            widget.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not problems, "; ".join(problems)


@pytest.fixture
def presets(data_dir: Path) -> PresetLibrary:
    return PresetLibrary(data_dir / "presets")


@pytest.fixture
def settings(tmp_path: Path, data_dir: Path, qapp: QApplication) -> Iterator[SettingsService]:
    """The settings of a real data dir (settings.json, the API token), as the app keeps them."""
    service = SettingsService(
        data_dir, AppSettings(workers=2, default_output_dir=str(tmp_path / "out"))
    )
    yield service
    service.deleteLater()


@pytest.fixture
def make_controller(
    store: Store, presets: PresetLibrary, tmp_path: Path, qapp: QApplication
) -> Iterator[Callable[..., BatchController]]:
    """Builds real controllers; each is shut down and deleted at the end of the test."""
    made: list[BatchController] = []

    def make(workers: int = 2, develop: Any = develop_photo) -> BatchController:
        controller = BatchController(
            store,
            presets,
            ControllerSettings(workers=workers, default_output_dir=tmp_path / "out"),
            InProcessExecutor(workers, develop),
        )
        made.append(controller)
        return controller

    yield make
    for controller in made:
        # No background work may outlive its test (a preview, a scan, a batch creation).
        assert controller.operations.wait_idle(30), "background operations left running"
        controller.shutdown(timeout_s=30)
        controller.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def controller(make_controller: Callable[..., BatchController]) -> BatchController:
    return make_controller()


def _answer_every_question(
    monkeypatch: pytest.MonkeyPatch, answer: QMessageBox.StandardButton
) -> list[str]:
    """Give `answer` to every QMessageBox.question; returns the questions asked."""
    asked: list[str] = []

    def question(_parent: Any, _title: str, text: str, *_args: Any) -> Any:
        asked.append(text)
        return answer

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


@pytest.fixture
def answer_yes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Answer Yes to every QMessageBox.question; returns the questions asked."""
    return _answer_every_question(monkeypatch, QMessageBox.StandardButton.Yes)


@pytest.fixture
def answer_no(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Answer No to every QMessageBox.question; returns the questions asked."""
    return _answer_every_question(monkeypatch, QMessageBox.StandardButton.No)


@pytest.fixture
def make_window(qtbot: Any, settings: SettingsService) -> Callable[..., Any]:
    """Real main windows over a given controller, shown offscreen, closed by pytest-qt."""
    from junmai_gui.views.main_window import MainWindow

    def make(controller: BatchController) -> MainWindow:
        main = MainWindow(controller, settings)
        qtbot.addWidget(main, before_close_func=MainWindow.allow_close)
        main.show()
        qtbot.waitExposed(main)
        return main

    return make


@pytest.fixture
def window(make_window: Callable[..., Any], controller: BatchController) -> Any:
    return make_window(controller)


class GatedDevelop:
    """The real `develop_photo`, held at a gate until the test opens it, so a batch stays
    running for as long as a test needs it to."""

    def __init__(self) -> None:
        import threading

        self.gate = threading.Event()

    def open(self) -> None:
        self.gate.set()

    def __call__(
        self,
        source: Path,
        output: Path,
        preset: Any,
        blend: float,
        options: Any,
        *,
        cancel: Any = None,
    ) -> Path:
        from junmai_gui.develop.engine import develop_photo
        from junmai_gui.develop.errors import DevelopCancelled

        while not self.gate.wait(0.02):
            if cancel is not None and cancel.cancelled:
                raise DevelopCancelled(f"Developing {Path(source).name} was cancelled")
        return develop_photo(source, output, preset, blend, options, cancel=cancel)


@pytest.fixture
def gated(make_controller: Callable[..., BatchController]) -> Iterator[GatedDevelop]:
    gate = GatedDevelop()
    yield gate
    gate.open()  # before the controllers shut down (this fixture is torn down first)


@pytest.fixture
def slow_controller(
    make_controller: Callable[..., BatchController], gated: GatedDevelop
) -> BatchController:
    """A real controller whose photos wait at `gated` until the test opens it."""
    return make_controller(develop=gated)
