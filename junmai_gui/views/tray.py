"""The system-tray icon: overall progress at a glance and quick controls.

The icon shows idle, running, paused or error; its tooltip the overall progress and ETA.
The menu is rebuilt from the controller's current state each time it opens, so it is never
stale. A notification says when a batch completes or fails. Where the platform has no
tray the object still works (and is tested) but shows nothing, and the window then asks
whether to quit when it is closed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QMenu, QMessageBox, QSystemTrayIcon

from junmai_gui.domain.batch import BatchSummary, progress_percent
from junmai_gui.domain.errors import BatchError
from junmai_gui.domain.status import BatchStatus, PauseReason, can_transition
from junmai_gui.views import formatting, icons

if TYPE_CHECKING:
    from junmai_gui.controller.batch_controller import BatchController
    from junmai_gui.views.main_window import MainWindow

ACTIVE = (BatchStatus.RUNNING, BatchStatus.PAUSED, BatchStatus.PENDING)
RESOURCE_REASONS = (PauseReason.DISK_FULL, PauseReason.OUTPUT_UNAVAILABLE)
MAX_BATCH_MENUS = 12
MESSAGE_MS = 6000
UPDATE_INTERVAL_MS = 500


class TrayIcon(QObject):
    notified = Signal(str, str)  # title, text (also shown as a tray message where possible)

    def __init__(self, controller: BatchController, window: MainWindow) -> None:
        super().__init__(window)
        self._controller = controller
        self._window = window
        self._failed_unseen: set[str] = set()
        self._told_about_tray = False
        self._icons: dict[str, QIcon] = {}
        self._batch_menus: dict[str, QMenu] = {}
        self.available = QSystemTrayIcon.isSystemTrayAvailable()
        self.icon = QSystemTrayIcon(self)
        self.menu = QMenu(window)
        self.menu.aboutToShow.connect(self.rebuild_menu)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._on_activated)
        # Progress arrives many times a second while photos develop; the icon and tooltip
        # follow it at most twice a second, so the tray costs the GUI thread next to nothing.
        self._update_timer = QTimer(self)
        self._update_timer.setSingleShot(True)
        self._update_timer.setInterval(UPDATE_INTERVAL_MS)
        self._update_timer.timeout.connect(self._on_state_changed)
        controller.batch_added.connect(self._on_state_changed)
        controller.batch_changed.connect(self._schedule_update)
        controller.batch_removed.connect(self._on_state_changed)
        controller.activity_changed.connect(self._schedule_update)
        controller.batch_finished.connect(self._on_batch_finished)
        window.hidden_to_tray.connect(self._on_hidden_to_tray)
        self.rebuild_menu()
        self._on_state_changed()
        if self.available:
            self.icon.show()
        window.attach_tray(self.available)

    # -- state ----------------------------------------------------------------------------

    def state(self) -> str:
        """idle, running, paused or error (a batch failed unseen, or a disk/folder problem)."""
        batches = self._controller.batches()
        if self._failed_unseen or any(
            b.status is BatchStatus.PAUSED and b.pause_reason in RESOURCE_REASONS for b in batches
        ):
            return "error"
        if any(b.status is BatchStatus.RUNNING for b in batches):
            return "running"
        if any(b.status is BatchStatus.PAUSED for b in batches):
            return "paused"
        return "idle"

    def overall_text(self) -> str:
        active = self._active_batches()
        if not active:
            return "Nothing to develop"
        total = sum(b.total_photos for b in active)
        done = sum(b.processed_count for b in active)
        failed = sum(b.failed_count for b in active)
        percent = progress_percent(done, failed, total)
        running = sum(1 for b in active if b.status is BatchStatus.RUNNING)
        text = f"{done + failed:,} / {total:,} photos ({percent:.1f} %)"
        if running:
            eta = formatting.duration_text(self._controller.eta_seconds())
            text += f", {running} running" + (f", about {eta} left" if eta else "")
        else:
            text += ", paused"
        return text

    def tooltip(self) -> str:
        return f"Junmai Batch — {self.overall_text()}"

    # -- menu -----------------------------------------------------------------------------

    def rebuild_menu(self) -> None:
        """Fill the menu from the controller's current state (called as it opens)."""
        self.menu.clear()
        for child in self._batch_menus.values():
            child.deleteLater()
        self._batch_menus.clear()
        batches = self._controller.batches()
        overall = self.menu.addAction(self.overall_text())
        overall.setEnabled(False)
        self.menu.addSeparator()
        pause_all = self.menu.addAction(icons.action_icon("pause"), "Pause all")
        pause_all.setEnabled(any(b.status is BatchStatus.RUNNING for b in batches))
        pause_all.triggered.connect(self.pause_all)
        resume_all = self.menu.addAction(icons.action_icon("resume"), "Resume all")
        resume_all.setEnabled(any(b.status is BatchStatus.PAUSED for b in batches))
        resume_all.triggered.connect(self.resume_all)
        active = self._active_batches()
        if active:
            self.menu.addSeparator()
        for batch in active[:MAX_BATCH_MENUS]:
            self._add_batch_menu(batch)
        if len(active) > MAX_BATCH_MENUS:
            more = self.menu.addAction(f"… and {len(active) - MAX_BATCH_MENUS} more")
            more.setEnabled(False)
        self.menu.addSeparator()
        show = self.menu.addAction("Show window")
        show.triggered.connect(self.show_window)
        quit_action = self.menu.addAction("Quit")
        quit_action.triggered.connect(self.request_quit)

    def _add_batch_menu(self, batch: BatchSummary) -> None:
        title = (
            f"{batch.name or batch.batch_id} — {batch.progress_percent:.0f} % "
            f"({formatting.status_text(batch)})"
        )
        # "&" would mark a keyboard accelerator in a menu title: "Sarah & Tom" needs "&&".
        submenu = self.menu.addMenu(icons.status_icon(batch.status), title.replace("&", "&&"))
        self._batch_menus[batch.batch_id] = submenu
        pause = submenu.addAction("Pause")
        pause.setEnabled(can_transition(batch.status, BatchStatus.PAUSED))
        pause.triggered.connect(partial(self._call, self._controller.pause_batch, batch.batch_id))
        resume = submenu.addAction("Start" if batch.status is BatchStatus.PENDING else "Resume")
        resume.setEnabled(batch.status in (BatchStatus.PAUSED, BatchStatus.PENDING))
        resume.triggered.connect(partial(self._call, self._controller.resume_batch, batch.batch_id))
        cancel = submenu.addAction("Cancel…")
        cancel.setEnabled(can_transition(batch.status, BatchStatus.CANCELLED))
        cancel.triggered.connect(partial(self.cancel_batch, batch.batch_id))

    def batch_menu(self, batch_id: str) -> QMenu | None:
        """The submenu of one batch, as last built."""
        return self._batch_menus.get(batch_id)

    # -- commands -------------------------------------------------------------------------

    def pause_all(self) -> None:
        for batch in self._controller.batches():
            if batch.status is BatchStatus.RUNNING:
                self._call(self._controller.pause_batch, batch.batch_id)

    def resume_all(self) -> None:
        for batch in self._controller.batches():
            if batch.status is BatchStatus.PAUSED:
                self._call(self._controller.resume_batch, batch.batch_id)

    def cancel_batch(self, batch_id: str) -> None:
        try:
            batch = self._controller.batch(batch_id)
        except BatchError:
            return
        answer = QMessageBox.question(
            self._window,
            "Cancel batch",
            f"Cancel {batch.name or batch.batch_id}? Photos already developed are kept.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._call(self._controller.cancel_batch, batch_id)

    def show_window(self) -> None:
        self._failed_unseen.clear()
        self._window.showNormal()
        self._window.raise_()
        self._window.activateWindow()
        self._on_state_changed()

    def request_quit(self) -> None:
        self._window.request_quit()

    def _call(self, method: Callable[[str], object], batch_id: str, *_: object) -> None:
        try:
            method(batch_id)
        except BatchError as exc:
            self._notify("Junmai Batch", exc.message)

    # -- events ---------------------------------------------------------------------------

    def _active_batches(self) -> list[BatchSummary]:
        return [b for b in self._controller.batches() if b.status in ACTIVE]

    def _schedule_update(self, *_: object) -> None:
        if not self._update_timer.isActive():
            self._update_timer.start()

    def _on_state_changed(self, *_: object) -> None:
        self._update_timer.stop()
        state = self.state()
        if state not in self._icons:
            self._icons[state] = icons.app_icon(state)
        self.icon.setIcon(self._icons[state])
        self.icon.setToolTip(self.tooltip())

    def _on_batch_finished(self, batch_id: str, status: str) -> None:
        try:
            batch = self._controller.batch(batch_id)
        except BatchError:
            return
        name = batch.name or batch.batch_id
        if status == BatchStatus.COMPLETED.value:
            text = f"{name}: {batch.processed_count:,} photos developed"
            if batch.failed_count:
                text += f", {batch.failed_count:,} failed"
            self._notify("Batch finished", text)
        elif status == BatchStatus.FAILED.value:
            self._failed_unseen.add(batch_id)
            self._notify("Batch failed", f"{name}: {batch.error or 'it could not go on'}")
        self._on_state_changed()

    def _on_hidden_to_tray(self) -> None:
        if not self._told_about_tray:
            self._told_about_tray = True
            self._notify(
                "Junmai Batch is still running",
                "Batches keep developing. Use the tray icon to show the window or quit.",
            )

    def _notify(self, title: str, text: str) -> None:
        self.notified.emit(title, text)
        if self.available and self.icon.isVisible() and QSystemTrayIcon.supportsMessages():
            self.icon.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, MESSAGE_MS)

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason is QSystemTrayIcon.ActivationReason.Trigger:
            if self._window.isVisible() and not self._window.isMinimized():
                self._window.hide()
            else:
                self.show_window()
