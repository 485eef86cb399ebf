"""The system-tray icon: overall progress at a glance and quick controls.

The icon shows idle, running, paused or error; its tooltip the overall progress and ETA.
A "Watch folders" submenu lists the watched folders, each ticked while it is watched:
choosing one pauses or resumes it. The menu is rebuilt from the controller's current state
each time it opens, so it is never stale. A notification says when a batch completes or
fails. Where the platform has no tray the object still works (and is tested) but shows
nothing, and the window then asks whether to quit when it is closed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from junmai_gui.domain.batch import BatchSummary
from junmai_gui.domain.errors import BatchError
from junmai_gui.domain.status import BatchStatus, PauseReason, can_transition
from junmai_gui.views import formatting, icons
from junmai_gui.views.questions import confirm_cancel

if TYPE_CHECKING:
    from junmai_gui.controller.batch_controller import BatchController
    from junmai_gui.views.main_window import MainWindow

ACTIVE = (BatchStatus.RUNNING, BatchStatus.PAUSED, BatchStatus.PENDING)
RESOURCE_REASONS = (PauseReason.DISK_FULL, PauseReason.OUTPUT_UNAVAILABLE)
MAX_BATCH_MENUS = 12
MESSAGE_MS = 6000


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
        self.watch_menu: QMenu | None = None
        self._watch_actions: dict[int, QAction] = {}
        self.available = QSystemTrayIcon.isSystemTrayAvailable()
        self.icon = QSystemTrayIcon(self)
        self.menu = QMenu(window)
        self.menu.aboutToShow.connect(self.rebuild_menu)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._on_activated)
        # The controller's activity notification is already coalesced (~10 a second at most)
        # and carries every figure the icon and tooltip show.
        controller.activity_changed.connect(self._on_state_changed)
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
        """The running batches' progress, as the status bar and the window title count it."""
        activity = self._controller.activity()
        if activity.running:
            text = self.tr("{finished:,} / {total:,} photos ({percent:.1f} %), {running} running")
            text = text.format(
                finished=activity.finished,
                total=activity.total,
                percent=activity.percent,
                running=activity.running,
            )
            eta = formatting.duration_text(activity.eta_seconds)
            return text + (self.tr(", about {eta} left").format(eta=eta) if eta else "")
        if activity.paused == 1:
            return self.tr("1 batch paused")
        if activity.paused:
            return self.tr("{count} batches paused").format(count=activity.paused)
        return self.tr("Nothing to develop")

    def tooltip(self) -> str:
        return self.tr("Junmai Batch — {overall}").format(overall=self.overall_text())

    # -- menu -----------------------------------------------------------------------------

    def rebuild_menu(self) -> None:
        """Fill the menu from the controller's current state (called as it opens)."""
        self.menu.clear()
        for child in self._batch_menus.values():
            child.deleteLater()
        self._batch_menus.clear()
        if self.watch_menu is not None:
            self.watch_menu.deleteLater()
            self.watch_menu = None
        self._watch_actions.clear()
        batches = self._controller.batches()
        overall = self.menu.addAction(self.overall_text())
        overall.setEnabled(False)
        self.menu.addSeparator()
        pause_all = self.menu.addAction(icons.action_icon("pause"), self.tr("Pause all"))
        pause_all.setEnabled(any(b.status is BatchStatus.RUNNING for b in batches))
        pause_all.triggered.connect(self.pause_all)
        resume_all = self.menu.addAction(icons.action_icon("resume"), self.tr("Resume all"))
        resume_all.setEnabled(any(b.status is BatchStatus.PAUSED for b in batches))
        resume_all.triggered.connect(self.resume_all)
        active = self._active_batches()
        if active:
            self.menu.addSeparator()
        for batch in active[:MAX_BATCH_MENUS]:
            self._add_batch_menu(batch)
        if len(active) > MAX_BATCH_MENUS:
            more = self.menu.addAction(
                self.tr("… and {count} more").format(count=len(active) - MAX_BATCH_MENUS)
            )
            more.setEnabled(False)
        self.menu.addSeparator()
        self._add_watch_menu()
        show = self.menu.addAction(self.tr("Show window"))
        show.triggered.connect(self.show_window)
        quit_action = self.menu.addAction(self.tr("Quit"))
        quit_action.triggered.connect(self.request_quit)

    def _add_batch_menu(self, batch: BatchSummary) -> None:
        progress = self._controller.progress(batch.batch_id)
        title = self.tr("{name} — {percent:.0f} % ({status})").format(
            name=batch.name or batch.batch_id,
            percent=progress.percent,
            status=formatting.status_text(batch, progress),
        )
        # "&" would mark a keyboard accelerator in a menu title: "Sarah & Tom" needs "&&".
        submenu = self.menu.addMenu(icons.status_icon(batch.status), title.replace("&", "&&"))
        self._batch_menus[batch.batch_id] = submenu
        pause = submenu.addAction(self.tr("Pause"))
        pause.setEnabled(can_transition(batch.status, BatchStatus.PAUSED))
        pause.triggered.connect(partial(self._call, self._controller.pause_batch, batch.batch_id))
        resume = submenu.addAction(
            self.tr("Start") if batch.status is BatchStatus.PENDING else self.tr("Resume")
        )
        resume.setEnabled(batch.status in (BatchStatus.PAUSED, BatchStatus.PENDING))
        resume.triggered.connect(partial(self._call, self._controller.resume_batch, batch.batch_id))
        cancel = submenu.addAction(self.tr("Cancel…"))
        cancel.setEnabled(can_transition(batch.status, BatchStatus.CANCELLED))
        cancel.triggered.connect(partial(self.cancel_batch, batch.batch_id))

    def _add_watch_menu(self) -> None:
        """Each watched folder, ticked while watched; choosing one pauses or resumes it."""
        watches = self._controller.watch_folders.watches()
        if not watches:
            return
        self.watch_menu = self.menu.addMenu(self.tr("Watch folders"))
        for watch in watches:
            action = self.watch_menu.addAction(watch.name.replace("&", "&&"))
            action.setCheckable(True)
            action.setChecked(not watch.paused)
            action.setToolTip(
                watch.error
                or (
                    self.tr("Paused: {folder}") if watch.paused else self.tr("Watching {folder}")
                ).format(folder=formatting.path_text(watch.folder))
            )
            action.triggered.connect(partial(self.toggle_watch, watch.watch_id))
            self._watch_actions[watch.watch_id] = action
        self.watch_menu.setToolTipsVisible(True)
        self.watch_menu.addSeparator()
        settings = self.watch_menu.addAction(self.tr("Watch folder settings…"))
        settings.triggered.connect(self.open_watch_settings)
        self.menu.addSeparator()

    def watch_action(self, watch_id: int) -> QAction | None:
        """The menu item of one watched folder, as last built."""
        return self._watch_actions.get(watch_id)

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
        if confirm_cancel(self._window, [batch.name or batch.batch_id]):
            self._call(self._controller.cancel_batch, batch_id)

    def show_window(self) -> None:
        self._failed_unseen.clear()
        self._window.showNormal()
        self._window.raise_()
        self._window.activateWindow()
        self._on_state_changed()

    def request_quit(self) -> None:
        self._window.request_quit()

    def open_watch_settings(self) -> None:
        self.show_window()
        self._window.open_settings().show_watch_folders()

    def toggle_watch(self, watch_id: int, *_: object) -> None:
        """Pause a watched folder, or resume it when it is paused."""
        watches = self._controller.watch_folders
        try:
            if watches.watch(watch_id).paused:
                watches.resume(watch_id)
            else:
                watches.pause(watch_id)
        except BatchError as exc:
            self._notify(self.tr("Junmai Batch"), formatting.error_text(exc))

    def _call(self, method: Callable[[str], object], batch_id: str, *_: object) -> None:
        try:
            method(batch_id)
        except BatchError as exc:
            self._notify(self.tr("Junmai Batch"), formatting.error_text(exc))

    # -- events ---------------------------------------------------------------------------

    def _active_batches(self) -> list[BatchSummary]:
        return [b for b in self._controller.batches() if b.status in ACTIVE]

    def _on_state_changed(self, *_: object) -> None:
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
            if batch.failed_count:
                text = self.tr("{name}: {done:,} photos developed, {failed:,} failed")
            else:
                text = self.tr("{name}: {done:,} photos developed")
            text = text.format(name=name, done=batch.processed_count, failed=batch.failed_count)
            self._notify(self.tr("Batch finished"), text)
        elif status == BatchStatus.FAILED.value:
            self._failed_unseen.add(batch_id)
            reason = batch.error or self.tr("it could not go on")
            self._notify(
                self.tr("Batch failed"),
                self.tr("{name}: {reason}").format(name=name, reason=reason),
            )
        self._on_state_changed()

    def _on_hidden_to_tray(self) -> None:
        if not self._told_about_tray:
            self._told_about_tray = True
            self._notify(
                self.tr("Junmai Batch is still running"),
                self.tr("Batches keep developing. Use the tray icon to show the window or quit."),
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
