"""The real desktop app (`junmai_gui.app.main`, offscreen) with a photographer's hands: lines
on standard input open Settings, change the API port or switch the API off, press Save, or
quit. What the status bar says about the API is printed as it changes ("api: …"), and
"ready" once the window shows. Used by tests/unit/test_app.py.

    python -m tests.unit.gui_app_driver [junmai-gui arguments]
    stdin: "port 5200" | "api off" | "quit"
"""

from __future__ import annotations

import sys
import threading

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from junmai_gui import app as junmai_app
from junmai_gui.views.main_window import MainWindow


class Hands(QObject):
    command = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.window: MainWindow | None = None
        self.api_text = ""
        self.command.connect(self._on_command)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._look)
        self.timer.start(20)

    def _look(self) -> None:
        if self.window is None:
            windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
            if windows and windows[0].isVisible():
                self.window = windows[0]
                print("ready", flush=True)
        if self.window is not None:
            text = self.window.status_bar.api_label.text()
            if text != self.api_text:
                self.api_text = text
                print(f"api: {text}", flush=True)

    def _on_command(self, line: str) -> None:
        window = self.window
        assert window is not None
        if line == "quit":
            window.request_quit()
            return
        dialog = window.open_settings()
        if line.startswith("port "):
            dialog.api_port_spin.setValue(int(line.split()[1]))
        elif line == "api off":
            dialog.api_enabled_check.setChecked(False)
        dialog.save()
        print("saved", flush=True)


def main() -> int:
    QApplication(sys.argv[:1])
    hands = Hands()

    def read() -> None:
        for line in sys.stdin:
            hands.command.emit(line.strip())

    threading.Thread(target=read, daemon=True).start()
    return junmai_app.main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
