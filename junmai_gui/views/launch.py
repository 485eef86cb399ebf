"""The GUI side of starting the app: recovery prompt, main window, tray icon.

`app.py` builds the QApplication, store, presets and controller, runs the controller's
recovery, then calls `open_desktop`. It connects `MainWindow.quit_requested` to its own
shutdown (controller.shutdown(), the API server, then QApplication.quit()).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from junmai_gui.views import icons
from junmai_gui.views.main_window import MainWindow
from junmai_gui.views.recovery_dialog import RecoveryDialog
from junmai_gui.views.tray import TrayIcon

if TYPE_CHECKING:
    from junmai_gui.controller.batch_controller import BatchController
    from junmai_gui.controller.settings_service import SettingsService


def open_desktop(
    app: QApplication,
    controller: BatchController,
    settings: SettingsService,
    *,
    recovery_prompt: bool,
) -> MainWindow:
    """Build the main window and its tray icon, and show the window — after the recovery
    dialog when there are interrupted batches to offer and neither `recovery_prompt`
    (--no-recovery-prompt) nor the setting says not to ask.

    The dialog is application-modal but opened without a nested event loop, so the app's
    asyncio loop (the API server) keeps running while it waits for an answer; the window
    appears when it closes. `window.recovery_dialog` is the dialog while it is open.
    """
    # Quitting is always an explicit decision (quit_requested), never a side effect of the
    # last window closing or hiding to the tray.
    app.setQuitOnLastWindowClosed(False)
    app.setWindowIcon(icons.app_icon())
    window = MainWindow(controller, settings)
    window.tray = TrayIcon(controller, window)
    if (
        recovery_prompt
        and settings.current.recovery_prompt
        and RecoveryDialog.batches_to_offer(controller)
    ):
        dialog = RecoveryDialog(controller)
        dialog.finished.connect(window.show_after_recovery)
        window.recovery_dialog = dialog
        dialog.open()
    else:
        window.show()
    return window
