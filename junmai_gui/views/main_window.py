"""The main window: the batch table, its actions, the detail pane and the status bar.

It talks to the controller through its methods and signals only. Everything a click asks
for is legal (actions are disabled otherwise); a refusal that still happens (a batch
finished between the click and the call) is shown in the status bar, not as a crash.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QItemSelectionModel,
    QObject,
    QPoint,
    QSettings,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QTableView,
    QWidget,
)

from junmai_gui.domain.batch import BatchSummary
from junmai_gui.domain.status import BatchStatus
from junmai_gui.views import formatting, icons
from junmai_gui.views.actions import BATCH_ACTIONS, BatchActions
from junmai_gui.views.batch_commands import BatchCommands
from junmai_gui.views.batch_table_model import SORT_ROLE, BatchTableModel, Column
from junmai_gui.views.close_dialog import WindowCloser
from junmai_gui.views.desktop_open import PathDialog, open_path
from junmai_gui.views.detail_pane import DetailPane
from junmai_gui.views.empty_state import EmptyState
from junmai_gui.views.farm_page import FarmPage
from junmai_gui.views.help_dialogs import HelpMenu
from junmai_gui.views.list_table import set_up_list_table
from junmai_gui.views.new_batch_dialog import NewBatchDialog
from junmai_gui.views.progress_delegate import ProgressDelegate
from junmai_gui.views.settings_dialog import SettingsDialog
from junmai_gui.views.status_bar import BatchStatusBar
from junmai_gui.views.watch_folders_page import WatchFoldersPage

if TYPE_CHECKING:
    from junmai_gui.controller.batch_controller import BatchController
    from junmai_gui.controller.settings_service import SettingsService
    from junmai_gui.domain.app_settings import AppSettings

log = logging.getLogger(__name__)

VIEW_STATE_FILE = "window-state.ini"
COLUMN_WIDTHS = {
    Column.NAME: 200,
    Column.STATUS: 230,
    Column.PROGRESS: 210,
    Column.FAILED: 60,
    Column.SPEED: 80,
    Column.ETA: 70,
    Column.PRESET: 170,
}


class MainWindow(QMainWindow):
    """`quit_requested` is emitted once the user has agreed to quit (running batches are
    paused by the app's shutdown, with reason `app_quit`)."""

    quit_requested = Signal()
    hidden_to_tray = Signal()

    def __init__(
        self,
        controller: BatchController,
        settings: SettingsService,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.settings = settings
        self.data_dir = settings.data_dir
        self.tray_available = False
        self.tray: QObject | None = None  # the TrayIcon, when the app made one
        self.recovery_dialog: QDialog | None = None  # open at launch, before the window shows
        self.new_batch_dialog: NewBatchDialog | None = None
        self.settings_dialog: SettingsDialog | None = None
        self.path_dialog: PathDialog | None = None  # "could not open" an output folder
        self._handed_over: list[str] = []  # paths handed over while recovery was asked
        self._quitting = False
        # An explicit file in the data dir: never the user's own Qt config, and tests get
        # their own.
        self._view_state = QSettings(
            str(self.data_dir / VIEW_STATE_FILE), QSettings.Format.IniFormat, self
        )
        self.setWindowTitle("Junmai Batch")
        self.setWindowIcon(icons.app_icon())
        self.setAcceptDrops(True)
        self.resize(1100, 680)
        self._build_tables()
        self._build_actions()
        self._build_menus()
        self._build_status_bar()
        self._build_closer()
        self._connect()
        self._on_activity_changed()
        self._restore_view_state()

    # -- building -----------------------------------------------------------------------

    def _build_tables(self) -> None:
        self.model = BatchTableModel(self.controller, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setDynamicSortFilter(True)
        self.table = self._make_table()
        self.empty_state = EmptyState(self.table)
        self.detail = DetailPane(self.controller, self)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setObjectName("main_splitter")
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.splitter = splitter
        self.setCentralWidget(splitter)

    def _make_table(self) -> QTableView:
        table = QTableView(self)
        table.setObjectName("batch_table")
        table.setModel(self.proxy)
        table.setItemDelegateForColumn(Column.PROGRESS, ProgressDelegate(table))
        set_up_list_table(
            table,
            row_height=26,
            widths=COLUMN_WIDTHS.items(),
            selection=QAbstractItemView.SelectionMode.ExtendedSelection,
        )
        table.setSortingEnabled(True)
        table.sortByColumn(Column.CREATED, Qt.SortOrder.AscendingOrder)
        table.setAlternatingRowColors(True)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        return table

    def _build_actions(self) -> None:
        self.batch_actions = BatchActions(self)
        self.commands = BatchCommands(self.controller, self.selected_batches, self)

    def _build_menus(self) -> None:
        toolbar = self.addToolBar(self.tr("Batches"))
        toolbar.setObjectName("batch_toolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.setMovable(False)
        groups = (
            ("new_batch", "pause", "resume", "cancel", "retry_failed"),
            ("priority_up", "priority_down", "merge", "remove_finished", "open_output"),
        )
        for group in groups:
            for name in group:
                toolbar.addAction(self.batch_actions[name])
                toolbar.widgetForAction(self.batch_actions[name]).setObjectName(f"tool_{name}")
            toolbar.addSeparator()
        self.toolbar = toolbar
        # Wide enough that no toolbar action hides behind the overflow arrow at first start.
        self.resize(max(self.width(), toolbar.sizeHint().width() + 24), self.height())

        file_menu = self.menuBar().addMenu(self.tr("&File"))
        file_menu.addAction(self.batch_actions["new_batch"])
        self.settings_action = file_menu.addAction(
            icons.action_icon("settings"), self.tr("&Settings…")
        )
        self.settings_action.triggered.connect(self.open_settings)
        file_menu.addSeparator()
        self.quit_action = file_menu.addAction(self.tr("&Quit"))
        self.quit_action.setShortcut("Ctrl+Q")
        self.quit_action.triggered.connect(self.request_quit)
        batch_menu = self.menuBar().addMenu(self.tr("&Batch"))
        for action in self.batch_actions.batch_actions():
            batch_menu.addAction(action)
        self.help = HelpMenu(self.menuBar().addMenu(self.tr("&Help")), self.data_dir, self)

    def _build_closer(self) -> None:
        self.closer = WindowCloser(self.settings, self)
        self.closer.quit_chosen.connect(self._quit_now)
        self.closer.tray_chosen.connect(self._hide_to_tray)

    def _build_status_bar(self) -> None:
        self.status_bar = BatchStatusBar(self.controller, self)
        self.setStatusBar(self.status_bar)

    def _connect(self) -> None:
        commands, bar = self.commands, self.status_bar
        commands.done.connect(self._on_selection_changed)
        commands.merged.connect(self.select_batch)
        commands.refused.connect(bar.show_problem)
        commands.noticed.connect(bar.show_notice)
        commands.removed_undoably.connect(self._offer_undo_removal)
        self.detail.noticed.connect(bar.show_notice)
        self.detail.refused.connect(bar.show_problem)
        self.batch_actions["new_batch"].triggered.connect(self._on_new_batch_action)
        self.empty_state.new_batch_button.clicked.connect(self._on_new_batch_action)
        for name in BATCH_ACTIONS:
            self.batch_actions[name].triggered.connect(getattr(self.commands, name))
        self.table.customContextMenuRequested.connect(self._show_context_menu)
        self.table.doubleClicked.connect(self._on_double_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        for signal in (self.model.dataChanged, self.model.rowsInserted, self.model.rowsRemoved):
            signal.connect(self._on_rows_changed)
        self.controller.activity_changed.connect(self._on_activity_changed)
        self.controller.after_batch.open_folder_requested.connect(self._on_open_folder_requested)
        self.settings.changed.connect(self._on_settings_changed)

    def context_menu(self) -> QMenu:
        """The table's context menu (every batch action); built fresh for each opening."""
        menu = QMenu(self)
        menu.addAction(self.batch_actions["new_batch"])
        menu.addSeparator()
        for action in self.batch_actions.batch_actions():
            menu.addAction(action)
        return menu

    # -- public -------------------------------------------------------------------------

    def set_api_status(self, text: str) -> None:
        """Where the API listens, e.g. `API: http://127.0.0.1:5100`, or why it does not."""
        self.status_bar.set_api_status(text)

    def show_after_recovery(self) -> None:
        """The launch-time recovery dialog was answered: now the window appears, and paths
        another launch handed over meanwhile open in New Batch."""
        if self.recovery_dialog is not None:
            self.recovery_dialog.deleteLater()
            self.recovery_dialog = None
        self.show()
        handed, self._handed_over = self._handed_over, []
        if handed:
            self.open_new_batch(handed)

    def attach_tray(self, available: bool) -> None:
        """Called by the tray icon: whether closing the window may leave work in the tray."""
        self.tray_available = available

    def selected_batch_ids(self) -> list[str]:
        rows = self.table.selectionModel().selectedRows()
        ids = [self.model.batch_id_at(self.proxy.mapToSource(index).row()) for index in rows]
        return sorted(ids, key=self.model.row_of)

    def selected_batches(self) -> list[BatchSummary]:
        batches = (self.model.batch_at(self.model.row_of(bid)) for bid in self.selected_batch_ids())
        return [batch for batch in batches if batch is not None]

    def select_batch(self, batch_id: str) -> None:
        row = self.model.row_of(batch_id)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        flags = QItemSelectionModel.SelectionFlag
        self.table.selectionModel().setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)
        self.table.scrollTo(index)

    def open_new_batch(self, paths: Iterable[str | Path] = ()) -> NewBatchDialog | None:
        """Open New Batch (window-modal), prefilled with dropped files and folders. While the
        launch-time recovery question is open, the paths wait for its answer (None)."""
        if self.recovery_dialog is not None:
            self._handed_over.extend(str(p) for p in paths)
            return None
        if self.new_batch_dialog is not None:
            self.new_batch_dialog.add_paths(paths)
            self.new_batch_dialog.raise_()
            return self.new_batch_dialog
        dialog = NewBatchDialog(self.controller, self.settings, self)
        dialog.batch_created.connect(self.select_batch)
        dialog.finished.connect(self._on_new_batch_closed)
        self.new_batch_dialog = dialog
        dialog.add_paths(paths)
        dialog.open()
        return dialog

    def open_settings(self) -> SettingsDialog:
        if self.settings_dialog is None:
            dialog = SettingsDialog(
                self.settings,
                self,
                api_now=self.status_bar.api_label.text(),
                farm_page=FarmPage(self.settings.current, self.controller),
                watch_page=WatchFoldersPage(self.controller, self.settings),
            )
            dialog.finished.connect(self._on_settings_closed)
            self.settings_dialog = dialog
            dialog.open()
        return self.settings_dialog

    def request_quit(self, *, ask_always: bool = False) -> bool:
        """Quit after asking: always when batches are running (they will be paused)."""
        running = [b for b in self.controller.batches() if b.status is BatchStatus.RUNNING]
        if running:
            text = self.tr(
                "%n batch(es) running. Quitting pauses them; the next time you start Junmai "
                "Batch you can resume exactly where they stopped.\n\nQuit now?",
                "",
                len(running),
            )
        elif ask_always:
            text = self.tr("Quit Junmai Batch?")
        else:
            text = ""
        if text:
            answer = QMessageBox.question(
                self,
                self.tr("Quit Junmai Batch"),
                text,
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        self.allow_close()
        self.quit_requested.emit()
        return True

    def allow_close(self) -> None:
        """From now on closing the window really closes it (the app is quitting); batches
        removed with Undo still offered are removed for good."""
        self._quitting = True
        self.status_bar.undo_offer.finish()
        self.save_view_state()

    def save_view_state(self) -> None:
        self._view_state.setValue("main/geometry", self.saveGeometry())
        self._view_state.setValue("main/table_header", self.table.horizontalHeader().saveState())
        self._view_state.setValue("main/splitter", self.splitter.saveState())
        self._view_state.sync()

    # -- events -------------------------------------------------------------------------

    def _on_selection_changed(self) -> None:
        batches = self.selected_batches()
        self.batch_actions.update_for(batches)
        self.detail.show_batch(batches[0].batch_id if len(batches) == 1 else None)

    def _on_rows_changed(self) -> None:
        self.batch_actions.update_for(self.selected_batches())

    def _on_activity_changed(self) -> None:
        title = formatting.title_text(self.controller.activity())
        if title != self.windowTitle():
            self.setWindowTitle(title)

    def _offer_undo_removal(self, batch_ids: list[str], text: str) -> None:
        controller = self.controller
        self.status_bar.undo_offer.offer(
            text,
            undo=lambda: self._undo_removal(batch_ids),
            expire=lambda: controller.forget_set_aside(batch_ids),
        )

    def _undo_removal(self, batch_ids: list[str]) -> None:
        restored = self.controller.restore_batches(batch_ids)
        for batch_id in restored[:1]:
            self.select_batch(batch_id)

    def _on_new_batch_action(self) -> None:
        self.open_new_batch()

    def _on_double_clicked(self) -> None:
        if self.batch_actions["open_output"].isEnabled():
            self.commands.open_output()

    def _show_context_menu(self, position: QPoint) -> None:
        menu = self.context_menu()
        menu.aboutToHide.connect(menu.deleteLater)
        menu.popup(self.table.viewport().mapToGlobal(position))

    def _on_new_batch_closed(self) -> None:
        if self.new_batch_dialog is not None:
            self.new_batch_dialog.deleteLater()
            self.new_batch_dialog = None

    def _on_settings_changed(self, settings: AppSettings) -> None:
        """Saved in the settings dialog: the controller develops with them at once."""
        if settings.workers != self.controller.workers:
            self.controller.workers = settings.workers
        self.controller.default_output_dir = (
            Path(settings.default_output_dir) if settings.default_output_dir else None
        )

    def _on_open_folder_requested(self, _batch_id: str, folder: str) -> None:
        """A batch's after-batch action asks to show its output folder."""
        self.path_dialog = open_path(self, folder, what=self.tr("the output folder"))

    def _on_settings_closed(self) -> None:
        if self.settings_dialog is not None:
            self.settings_dialog.deleteLater()
            self.settings_dialog = None

    def _restore_view_state(self) -> None:
        geometry = self._view_state.value("main/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        header = self._view_state.value("main/table_header")
        if header is not None:
            self.table.horizontalHeader().restoreState(header)
        splitter = self._view_state.value("main/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)

    # -- drag and drop --------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.open_new_batch(paths)

    # -- closing --------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """Quitting: closes. Otherwise `closer` decides: quit, hide to the tray, or ask."""
        if self._quitting:
            event.accept()
            return
        event.ignore()
        self.save_view_state()
        running = sum(1 for b in self.controller.batches() if b.status is BatchStatus.RUNNING)
        self.closer.window_closing(running, tray=self.tray_available)

    def _hide_to_tray(self) -> None:
        self.hide()
        self.hidden_to_tray.emit()

    def _quit_now(self) -> None:
        self.allow_close()
        self.quit_requested.emit()
