"""The GUI side of starting the app: recovery prompt, main window, tray icon.

`app.py` builds the QApplication, store, presets and controller, runs the controller's
recovery, then calls `open_desktop`. It connects `MainWindow.quit_requested` to its own
shutdown (controller.shutdown(), the API server, then QApplication.quit()).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from junmai_gui.views import icons
from junmai_gui.views.main_window import MainWindow
from junmai_gui.views.recovery_dialog import RecoveryDialog
from junmai_gui.views.tray import TrayIcon

if TYPE_CHECKING:
    from junmai_gui.controller.batch_controller import BatchController
    from junmai_gui.store.settings import AppSettings


def offer_recovery(controller: BatchController) -> bool:
    """Show the recovery dialog (modal) when there is something to recover; True if shown."""
    if not RecoveryDialog.batches_to_offer(controller):
        return False
    dialog = RecoveryDialog(controller)
    dialog.exec()
    dialog.deleteLater()
    return True


def open_desktop(
    app: QApplication,
    controller: BatchController,
    settings: AppSettings,
    data_dir: Path,
    *,
    recovery_prompt: bool,
) -> MainWindow:
    """Offer recovery (unless `recovery_prompt` or the setting says not to), then show the
    main window with its tray icon. The window's `tray` attribute holds the TrayIcon."""
    # Quitting is always an explicit decision (quit_requested), never a side effect of the
    # last window closing or hiding to the tray.
    app.setQuitOnLastWindowClosed(False)
    app.setWindowIcon(icons.app_icon())
    if recovery_prompt and settings.recovery_prompt:
        offer_recovery(controller)
    window = MainWindow(controller, settings, Path(data_dir))
    window.tray = TrayIcon(controller, window)
    window.show()
    return window
