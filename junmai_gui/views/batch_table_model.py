"""The batch table: a thin adapter that shows the controller's batches to a QTableView.

The controller owns the batches; the model asks it for every cell and turns its
`batch_added` / `batch_changed` / `batch_removed` events into row events. The controller
already coalesces its change notifications (at most ~10 a second), so the model forwards
each at once; `activity_changed` repaints the running rows' state, speed and time left,
which move when another batch changes.
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QObject, Qt

from junmai_gui.domain.batch import BatchSummary
from junmai_gui.domain.errors import BatchNotFoundError
from junmai_gui.i18n import QT_TRANSLATE_NOOP
from junmai_gui.views import formatting, icons
from junmai_gui.views.column_table_model import ColumnTableModel, ModelIndex

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

    from junmai_gui.controller.batch_controller import BatchController
    from junmai_gui.controller.progress import BatchProgress


SORT_ROLE = Qt.ItemDataRole.UserRole + 1
BATCH_ID_ROLE = Qt.ItemDataRole.UserRole + 2
PROGRESS_ROLE = Qt.ItemDataRole.UserRole + 3  # BatchProgress


class Column(IntEnum):
    NAME = 0
    STATUS = 1
    PROGRESS = 2
    FAILED = 3
    SPEED = 4
    ETA = 5
    PRESET = 6
    CREATED = 7


HEADERS = {
    Column.NAME: QT_TRANSLATE_NOOP("BatchTableModel", "Name"),
    Column.STATUS: QT_TRANSLATE_NOOP("BatchTableModel", "Status"),
    Column.PROGRESS: QT_TRANSLATE_NOOP("BatchTableModel", "Progress"),
    Column.FAILED: QT_TRANSLATE_NOOP("BatchTableModel", "Failed"),
    Column.SPEED: QT_TRANSLATE_NOOP("BatchTableModel", "Speed"),
    Column.ETA: QT_TRANSLATE_NOOP("BatchTableModel", "ETA"),
    Column.PRESET: QT_TRANSLATE_NOOP("BatchTableModel", "Preset"),
    Column.CREATED: QT_TRANSLATE_NOOP("BatchTableModel", "Created"),
}


class BatchTableModel(ColumnTableModel):
    """One row per batch the controller knows, in the order the batches appeared."""

    HEADERS = HEADERS
    CONTEXT = "BatchTableModel"

    def __init__(self, controller: BatchController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        # The only thing kept here is which batch sits in which row. The controller's events
        # arrive after the fact (a removed batch is already gone from it), so the row of a
        # removed batch could not be found otherwise. Every cell is asked of the controller.
        self._row_ids: list[str] = [batch.batch_id for batch in controller.batches()]
        self._icons: dict[str, QIcon] = {}
        controller.batch_added.connect(self._on_batch_added)
        controller.batch_changed.connect(self._on_batch_changed)
        controller.batch_removed.connect(self._on_batch_removed)
        controller.activity_changed.connect(self._on_activity_changed)

    # -- what the view asks ------------------------------------------------------------

    def row_count(self) -> int:
        return len(self._row_ids)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._row_ids):
            return None
        batch = self.batch_at(index.row())
        if batch is None:
            return None
        column = Column(index.column())
        if role == BATCH_ID_ROLE:
            return batch.batch_id
        progress = self._controller.progress(batch.batch_id)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(batch, progress, column)
        if role == SORT_ROLE:
            return self._sort_key(batch, progress, column)
        if role == PROGRESS_ROLE and column is Column.PROGRESS:
            return progress
        if role == Qt.ItemDataRole.DecorationRole and column is Column.STATUS:
            return self._icon(formatting.status_kind(batch, progress))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(batch, progress, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            Column.FAILED,
            Column.SPEED,
            Column.ETA,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    # -- helpers for the window ----------------------------------------------------------

    def batch_at(self, row: int) -> BatchSummary | None:
        try:
            return self._controller.batch(self._row_ids[row])
        except (BatchNotFoundError, IndexError):
            return None

    def batch_id_at(self, row: int) -> str:
        return self._row_ids[row]

    def row_of(self, batch_id: str) -> int:
        """The row of a batch, or -1."""
        try:
            return self._row_ids.index(batch_id)
        except ValueError:
            return -1

    # -- cells ---------------------------------------------------------------------------

    def _display(self, batch: BatchSummary, progress: BatchProgress, column: Column) -> str:
        if column is Column.NAME:
            return batch.name or batch.batch_id
        if column is Column.STATUS:
            return formatting.status_text(batch, progress)
        if column is Column.PROGRESS:
            return formatting.progress_text(progress)
        if column is Column.FAILED:
            return f"{progress.failed:,}" if progress.failed else ""
        if column is Column.SPEED:
            return formatting.speed_text(progress.rate)
        if column is Column.ETA:
            return formatting.duration_text(progress.eta_seconds)
        if column is Column.PRESET:
            return formatting.preset_text(batch.config)
        return formatting.local_time_text(batch.created_at)

    def _sort_key(self, batch: BatchSummary, progress: BatchProgress, column: Column) -> Any:
        if column is Column.NAME:
            return (batch.name or batch.batch_id).casefold()
        if column is Column.STATUS:
            return formatting.status_text(batch, progress)
        if column is Column.PROGRESS:
            return progress.percent
        if column is Column.FAILED:
            return progress.failed
        if column is Column.SPEED:
            return progress.rate
        if column is Column.ETA:
            eta = progress.eta_seconds
            return float("inf") if eta is None else float(eta)
        if column is Column.PRESET:
            return formatting.preset_text(batch.config).casefold()
        return batch.created_at

    def _tooltip(self, batch: BatchSummary, progress: BatchProgress, column: Column) -> str | None:
        if column is Column.STATUS and batch.error:
            return batch.error
        if column is Column.PROGRESS:
            return formatting.counts_text(progress)
        if column is Column.NAME:
            output = batch.config.get("output_dir") or ""
            return self.tr("{batch_id}\nPriority {priority}\nOutput: {output}").format(
                batch_id=batch.batch_id, priority=batch.priority, output=output
            )
        return None

    def _icon(self, kind: str) -> QIcon:
        if kind not in self._icons:
            self._icons[kind] = icons.kind_icon(kind)
        return self._icons[kind]

    # -- controller events ---------------------------------------------------------------

    def _on_batch_added(self, batch_id: str) -> None:
        if batch_id in self._row_ids:
            return
        row = len(self._row_ids)
        self.beginInsertRows(QModelIndex(), row, row)
        self._row_ids.append(batch_id)
        self.endInsertRows()

    def _on_batch_changed(self, batch_id: str) -> None:
        row = self.row_of(batch_id)
        if row >= 0:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    def _on_activity_changed(self) -> None:
        """A running batch's state, speed and time left depend on the others: repaint those
        columns (a few dozen rows at most; the view repaints only what is on screen)."""
        if self._row_ids:
            last = len(self._row_ids) - 1
            self.dataChanged.emit(self.index(0, Column.STATUS), self.index(last, Column.ETA))

    def _on_batch_removed(self, batch_id: str) -> None:
        row = self.row_of(batch_id)
        if row < 0:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._row_ids[row]
        self.endRemoveRows()
