"""Screenshots of the real app windows for the README, taken under Xvfb.

Starts a virtual X display (Xvfb) with a tray host (trayer), then, on that display and
with Qt's xcb platform, builds the real store, controller and windows over a temporary data
dir with generated photos, and saves into docs/screenshots/:

- empty-state.png: the main window at first launch, before any batch
- recovery-dialog.png: the launch-time recovery dialog after an interrupted run
- main-window.png: the main window while a batch develops
- photo-menu.png: the context menu of a photo in the detail pane
- close-dialog.png: closing the window while batches develop
- new-batch.png: the New Batch dialog with its before/after preview and two outputs
- new-batch-after.png: New Batch's after-batch actions
- settings-watch-folders.png: Settings on its Watch folders page
- desktop.png: the whole screen, with the tray icon in trayer's panel and its menu open

Once in English into docs/screenshots/, once in Japanese into docs/screenshots/ja/ (with
the Language setting "ja"); `python scripts/screenshots.py ja` takes one language only.
Needs the Debian packages xvfb, xauth, libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1,
trayer and fonts-noto-cjk. Run `make screenshots` (or `python scripts/screenshots.py`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHOTS = REPO / "docs" / "screenshots"
OUT = SHOTS  # where this run saves: SHOTS, or SHOTS/<language> for a translation
LANGUAGES = ("en", "ja")
SCREEN = "1440x900x24"
INSIDE_TIMEOUT_S = 600


def _free_display() -> int:
    for number in range(90, 140):
        if (
            not Path(f"/tmp/.X11-unix/X{number}").exists()
            and not Path(f"/tmp/.X{number}-lock").exists()
        ):
            return number
    raise SystemExit("No free X display number between :90 and :139")


def _wait_for_display(display: str, xvfb: subprocess.Popen[bytes]) -> None:
    socket = Path(f"/tmp/.X11-unix/X{display.lstrip(':')}")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if xvfb.poll() is not None:
            raise SystemExit(f"Xvfb exited with status {xvfb.returncode}")
        if socket.exists():
            return
        time.sleep(0.1)
    raise SystemExit("Xvfb did not start within 15 seconds")


def run_under_xvfb() -> int:
    for tool in ("Xvfb", "trayer"):
        if shutil.which(tool) is None:
            raise SystemExit(
                f"{tool} is missing: apt-get install xvfb xauth libxcb-cursor0 libxcb-icccm4 "
                "libxcb-keysyms1 trayer"
            )
    display = f":{_free_display()}"
    xvfb = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", SCREEN, "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    tray = None
    try:
        _wait_for_display(display, xvfb)
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
        tray = subprocess.Popen(
            [
                "trayer",
                "--edge",
                "top",
                "--align",
                "right",
                "--widthtype",
                "request",
                "--height",
                "28",
                "--transparent",
                "false",
                "--tint",
                "0x2b2f36",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for language in sys.argv[1:] or LANGUAGES:
            inside = subprocess.Popen([sys.executable, __file__, "--inside", language], env=env)
            try:
                status = inside.wait(timeout=INSIDE_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                inside.kill()
                inside.wait()
                print(f"screenshots: gave up after {INSIDE_TIMEOUT_S} s", file=sys.stderr)
                return 1
            if status:
                return status
        return 0
    finally:
        for process in (tray, xvfb):
            if process is not None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()


if __name__ == "__main__" and "--inside" not in sys.argv:
    sys.exit(run_under_xvfb())

# --- on the virtual display ---------------------------------------------------------------

import numpy as np  # noqa: E402
import pyvips  # noqa: E402
from PySide6.QtCore import QEventLoop, QPoint, QTimer  # noqa: E402
from PySide6.QtGui import QGuiApplication  # noqa: E402
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget  # noqa: E402

from junmai_gui.controller.batch_controller import BatchController  # noqa: E402
from junmai_gui.controller.creation import BatchCreation  # noqa: E402
from junmai_gui.controller.executors import InProcessExecutor  # noqa: E402
from junmai_gui.controller.settings import ControllerSettings  # noqa: E402
from junmai_gui.controller.settings_service import SettingsService  # noqa: E402
from junmai_gui.develop.library import PresetLibrary  # noqa: E402
from junmai_gui.domain.app_settings import AppSettings  # noqa: E402
from junmai_gui.domain.status import BatchStatus, PauseReason  # noqa: E402
from junmai_gui.i18n import install_translators  # noqa: E402
from junmai_gui.store import Store  # noqa: E402
from junmai_gui.views.launch import open_desktop  # noqa: E402
from junmai_gui.views.main_window import MainWindow  # noqa: E402
from junmai_gui.views.recovery_dialog import RecoveryDialog  # noqa: E402

CONFIG = {"preset": "WhiteLayer_v4", "blend": 60}


def scene(index: int, width: int = 960, height: int = 640) -> np.ndarray:
    """A synthetic landscape (sky, sun, hills, lake), varied by `index`."""
    rng = np.random.default_rng(index)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    t = y / height
    warm = rng.uniform(0.2, 0.9)
    sky = np.stack([90 + 150 * t * warm, 130 + 80 * t, 200 - 90 * t * warm], axis=-1)
    sun_x, sun_y = rng.uniform(0.2, 0.8) * width, rng.uniform(0.15, 0.35) * height
    sun = np.exp(-(((x - sun_x) ** 2 + (y - sun_y) ** 2) / (2 * (0.05 * width) ** 2)))
    image = sky + sun[..., None] * np.array([110, 90, 40])
    phase = rng.uniform(0, 6.28)
    ridge = height * (0.55 + 0.08 * np.sin(x / width * 7 + phase) + 0.04 * np.sin(x / width * 19))
    hills = y > ridge
    shade = (y - ridge) / height
    image[hills] = np.stack(
        [50 + 60 * shade, 90 + 50 * shade + 30 * warm, 60 + 20 * shade], axis=-1
    )[hills]
    lake = y > height * 0.82
    image[lake] = image[lake] * 0.6 + np.array([40, 70, 110]) * 0.4
    noise = rng.normal(0, 4, image.shape)
    return np.clip(image + noise, 0, 255).astype(np.uint8)


def make_photos(folder: Path, count: int, start: int = 0) -> list[Path]:
    """`count` JPEGs: six distinct scenes, the rest copies (generating is the slow part)."""
    folder.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    for i in range(count):
        path = folder / f"IMG_{4000 + start + i:04d}.jpg"
        if i < 6:
            image = pyvips.Image.new_from_array(scene(start + i), interpretation="srgb")
            image.jpegsave(str(path), Q=88)
        else:
            shutil.copyfile(files[i % 6], path)
        files.append(path)
    return files


def spin(seconds: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def wait_until(condition, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("Timed out while preparing a screenshot")
        spin(0.05)


def created(creation: BatchCreation) -> str:
    """The id of a batch once it is stored (it is created off the GUI thread)."""
    wait_until(lambda: creation.done)
    return creation.result().batch_id


def save_screen_area(widget: QWidget, name: str, margin: int = 0) -> None:
    """The screen where `widget` is, popups (menus) included."""
    spin(0.5)
    frame = widget.frameGeometry().adjusted(-margin, -margin, margin, margin)
    shot = QGuiApplication.primaryScreen().grabWindow(
        0, frame.x(), frame.y(), frame.width(), frame.height()
    )
    shot.save(str(OUT / name))
    print(f"saved {(OUT / name).relative_to(REPO)}", flush=True)


def save(widget: QWidget, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    widget.raise_()
    spin(0.4)
    path = OUT / name
    widget.grab().save(str(path))
    print(f"saved {path.relative_to(REPO)}", flush=True)


def save_desktop(window: Any) -> None:
    """The whole screen with the tray menu open under the tray icon."""
    tray = window.tray
    if not QSystemTrayIcon.isSystemTrayAvailable() or tray is None:
        print("no tray host found: desktop.png not taken")
        return
    spin(0.5)
    corner = tray.icon.geometry().bottomLeft()
    tray.menu.popup(corner)
    spin(0.6)
    if tray.watch_menu is not None:  # the watched folders' submenu, opened beside its item
        item = tray.menu.actionGeometry(tray.watch_menu.menuAction())
        tray.menu.setActiveAction(tray.watch_menu.menuAction())
        width = tray.watch_menu.sizeHint().width()
        tray.watch_menu.popup(tray.menu.mapToGlobal(item.topLeft()) - QPoint(width, 0))
        spin(0.4)
    shot = QGuiApplication.primaryScreen().grabWindow(0)
    if tray.watch_menu is not None:
        tray.watch_menu.hide()
    tray.menu.hide()
    shot.save(str(OUT / "desktop.png"))
    print(f"saved {(OUT / 'desktop.png').relative_to(REPO)}", flush=True)


def save_photo_menu(window: Any) -> None:
    """The context menu of a developed photo in the detail pane."""
    detail = window.detail
    wait_until(lambda: detail.model.rowCount() > 3)
    record = detail.model.record_at(2)
    detail.table.selectRow(2)
    menu = detail.photo_menu(record)
    rect = detail.table.visualRect(detail.model.index(2, 0))
    menu.popup(detail.table.viewport().mapToGlobal(rect.center()))
    save_screen_area(window, "photo-menu.png")
    menu.hide()
    menu.deleteLater()


def prepare(
    controller: BatchController, store: Store, root: Path, new_controller: Any
) -> tuple[BatchController, dict[str, str]]:
    """Batches as a photographer would find them the morning after a crash."""
    wedding = make_photos(root / "Wedding Sarah & Tom", 160)
    portraits = make_photos(root / "Portraits", 48, start=200)
    travel = make_photos(root / "Lisbon", 36, start=300)
    broken = root / "Lisbon" / "IMG_4999.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    studio = make_photos(root / "Studio", 24, start=400)

    ids = {}
    ids["travel"] = created(
        controller.start_batch(
            photo_paths=[*travel, broken],
            config={"preset": "WhiteLayer_v4", "blend": 80},
            name="Lisbon",
            priority=0,
        )
    )
    wait_until(lambda: controller.batch(ids["travel"]).status is BatchStatus.COMPLETED, 120)
    ids["wedding"] = created(
        controller.start_batch(
            photo_paths=wedding, config=dict(CONFIG), name="Wedding Sarah & Tom", priority=1
        )
    )
    ids["portraits"] = created(
        controller.start_batch(
            photo_paths=portraits,
            config={"preset": "WhiteLayer_v4", "blend": 40},
            name="Portraits",
            priority=2,
        )
    )
    wait_until(lambda: controller.batch(ids["portraits"]).processed_count >= 12, 120)
    controller.pause_batch(ids["portraits"], PauseReason.APP_QUIT)
    wait_until(lambda: controller.batch(ids["wedding"]).processed_count >= 38, 120)
    controller.pause_batch(ids["wedding"])
    wait_until(lambda: controller.workers_busy() == 0)
    ids["studio"] = created(
        controller.start_batch(
            photo_paths=studio, config=dict(CONFIG), name="Studio session", start=False
        )
    )
    ids["studio_folder"] = str(root / "Studio")
    # The app died while the wedding ran: the next launch finds it stored as running.
    controller.shutdown(timeout_s=30)
    controller.deleteLater()
    store.set_status(ids["wedding"], BatchStatus.RUNNING)
    relaunched = new_controller()
    relaunched.recover_interrupted_batches()
    return relaunched, ids


def main_inside(language: str) -> int:
    global OUT
    OUT = SHOTS if language == "en" else SHOTS / language
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Junmai Batch")
    with tempfile.TemporaryDirectory(prefix="junmai-gui-shots-") as tmp:
        install_translators(app, language, Path(tmp) / "cache")
        # A home folder of its own: the windows then show paths as a photographer's would
        # read, ~/Pictures/Junmai Batch/…, not the temporary folder's name.
        home = Path(tmp) / "home"
        home.mkdir()
        os.environ["HOME"] = str(home)
        data_dir = home / ".local" / "share" / "junmai-gui"
        data_dir.mkdir(parents=True)
        store = Store.open(data_dir)
        presets = PresetLibrary(data_dir / "presets")
        pictures = home / "Pictures"

        def new_controller() -> BatchController:
            return BatchController(
                store,
                presets,
                ControllerSettings(workers=2, default_output_dir=pictures / "Junmai Batch"),
                InProcessExecutor(2),
            )

        settings = SettingsService(data_dir, AppSettings(workers=2, language=language))
        first = new_controller()
        empty = MainWindow(first, settings)
        empty.resize(1280, 560)
        empty.move(40, 60)
        empty.show()
        save(empty, "empty-state.png")
        empty.allow_close()
        empty.close()
        empty.deleteLater()

        controller, ids = prepare(first, store, pictures, new_controller)

        recovery = RecoveryDialog(controller)
        recovery.show()
        save(recovery, "recovery-dialog.png")
        recovery.table.selectRow(0)
        recovery.resume_selected()  # resume the wedding, keep the portraits paused
        recovery.keep_paused()
        recovery.deleteLater()

        watched = pictures / "Tethered"
        watched.mkdir()
        controller.watch_folders.add(str(watched), dict(CONFIG), name="Tethered studio")
        controller.templates.save("Studio web", {**CONFIG, "naming": "{date:%Y-%m-%d}/{stem}"})
        window = open_desktop(app, controller, settings, recovery_prompt=False)
        window.set_api_status("API: http://127.0.0.1:5100")
        window.resize(1280, 720)
        window.move(40, 60)
        window.select_batch(ids["wedding"])
        spin(4.0)
        save(window, "main-window.png")
        save_desktop(window)
        save_photo_menu(window)

        window.close()  # batches develop: the close question
        wait_until(lambda: window.closer.dialog is not None)
        save(window.closer.dialog, "close-dialog.png")
        window.closer.dialog.reject()

        dialog = window.open_new_batch([ids["studio_folder"]])
        dialog.move(120, 90)
        wait_until(lambda: bool(dialog.files) and not dialog.scanning)
        dialog.select_preset("WhiteLayer_v4")
        dialog.set_blend(60)
        wait_until(lambda: dialog.last_preview is not None and not dialog.preview_busy)
        editor = dialog.view.outputs_editor
        editor.naming_edit.setText("{date:%Y-%m-%d}/{stem}_{preset}")
        editor.add_output()
        editor.long_edge_spin.setValue(2048)
        editor.quality_spin.setValue(85)
        editor.subfolder_edit.setText("web")
        save(dialog, "new-batch.png")
        after = dialog.view.after_editor
        after.open_folder_check.setChecked(True)
        after.command_check.setChecked(True)
        after.command_edit.setText("rsync -a . studio-nas:/exports/studio")
        dialog.view.output_tabs.setCurrentIndex(1)
        save(dialog, "new-batch-after.png")
        dialog.reject()

        settings_dialog = window.open_settings()
        settings_dialog.move(160, 120)
        settings_dialog.show_watch_folders()
        save(settings_dialog, "settings-watch-folders.png")
        settings_dialog.reject()

        window.allow_close()
        controller.shutdown(timeout_s=30)
        window.close()
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main_inside(sys.argv[sys.argv.index("--inside") + 1]))
