"""The photos of one batch, fetched page by page as the view scrolls.

A batch may hold 100,000 photos; the model asks the controller for a page of 200 at a time
(`canFetchMore`/`fetchMore`), so opening a batch costs one small query, not one per photo.
The rows here are a cache of those pages; `refresh()` re-reads what is loaded.
"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QObject, Qt
from PySide6.QtGui import QColor

from junmai_gui.domain.errors import BatchNotFoundError
from junmai_gui.domain.status import PhotoState
from junmai_gui.i18n import QT_TRANSLATE_NOOP
from junmai_gui.views import formatting
from junmai_gui.views.column_table_model import ColumnTableModel, ModelIndex

if TYPE_CHECKING:
    from junmai_gui.controller.batch_controller import BatchController
    from junmai_gui.domain.photo import PhotoRecord

PAGE_SIZE = 200

STATE_TEXT = {
    PhotoState.PENDING: QT_TRANSLATE_NOOP("PhotoTableModel", "Waiting"),
    PhotoState.RUNNING: QT_TRANSLATE_NOOP("PhotoTableModel", "Developing"),
    PhotoState.DONE: QT_TRANSLATE_NOOP("PhotoTableModel", "Done"),
    PhotoState.FAILED: QT_TRANSLATE_NOOP("PhotoTableModel", "Failed"),
}
STATE_COLOUR = {PhotoState.FAILED: QColor("#c8352f"), PhotoState.DONE: QColor("#2e7d32")}


def state_text(state: PhotoState) -> str:
    """A photo's state in a word, in the interface's language."""
    return QCoreApplication.translate("PhotoTableModel", STATE_TEXT[state])


class PhotoColumn(IntEnum):
    FILE = 0
    STATE = 1
    ERROR = 2
    OUTPUT = 3
    DEVELOPED_BY = 4


HEADERS = {
    PhotoColumn.FILE: QT_TRANSLATE_NOOP("PhotoTableModel", "Photo"),
    PhotoColumn.STATE: QT_TRANSLATE_NOOP("PhotoTableModel", "State"),
    PhotoColumn.ERROR: QT_TRANSLATE_NOOP("PhotoTableModel", "Problem"),
    PhotoColumn.OUTPUT: QT_TRANSLATE_NOOP("PhotoTableModel", "Output file"),
    PhotoColumn.DEVELOPED_BY: QT_TRANSLATE_NOOP("PhotoTableModel", "Developed by"),
}


class PhotoTableModel(ColumnTableModel):
    HEADERS = HEADERS
    CONTEXT = "PhotoTableModel"

    def __init__(self, controller: BatchController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._batch_id: str | None = None
        self._state: PhotoState | None = None
        self._rows: list[PhotoRecord] = []
        self._exhausted = True

    @property
    def batch_id(self) -> str | None:
        return self._batch_id

    def show_batch(self, batch_id: str | None, state: PhotoState | None = None) -> None:
        """Show the photos of `batch_id` (only those in `state`, if given)."""
        self.beginResetModel()
        self._batch_id = batch_id
        self._state = state
        self._rows = []
        self._exhausted = batch_id is None
        if batch_id is not None:  # the first page at once; the view asks for more as it scrolls
            self._rows = self._query(0, PAGE_SIZE)
            self._exhausted = len(self._rows) < PAGE_SIZE
        self.endResetModel()

    def refresh(self, visible: range | None = None) -> None:
        """Re-read the loaded pages (states change while a batch runs).

        With `visible` (the rows on screen) and the whole batch listed, only those rows are
        read again: the list follows every change notification (up to ten a second), so it
        reads the twenty rows on screen, never the pages loaded. A filtered list is read
        whole: photos enter and leave it.
        """
        if self._batch_id is None:
            return
        if visible is not None and self._state is None and self._rows:
            self._refresh_rows(visible)
            return
        wanted = max(len(self._rows), PAGE_SIZE)
        fresh = self._query(0, wanted)
        old_count = len(self._rows)
        if len(fresh) < old_count:
            self.beginResetModel()
            self._rows = fresh
            self._exhausted = len(fresh) < wanted
            self.endResetModel()
            return
        if old_count:
            self._replace_rows(0, fresh[:old_count])
        if len(fresh) > old_count:
            self.beginInsertRows(QModelIndex(), old_count, len(fresh) - 1)
            self._rows.extend(fresh[old_count:])
            self.endInsertRows()
        self._exhausted = len(fresh) < wanted

    def _refresh_rows(self, visible: range) -> None:
        first, stop = max(0, visible.start), min(len(self._rows), visible.stop)
        if first >= stop:
            return
        fresh = self._query(first, stop - first)
        old = self._rows[first:stop]
        if [r.photo_id for r in fresh] != [r.photo_id for r in old]:
            self.show_batch(self._batch_id, self._state)  # the batch changed shape: start over
            return
        self._replace_rows(first, fresh)

    def _replace_rows(self, first: int, fresh: list[PhotoRecord]) -> None:
        """Take fresh records from row `first` on; repaint only the rows that changed (most
        refreshes change nothing on screen, and painting is what costs)."""
        last_column = len(PhotoColumn) - 1
        for offset, record in enumerate(fresh):
            row = first + offset
            if self._rows[row] != record:
                self._rows[row] = record
                self.dataChanged.emit(self.index(row, 0), self.index(row, last_column))

    def records(self) -> list[PhotoRecord]:
        return list(self._rows)

    def record_at(self, row: int) -> PhotoRecord | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    # -- lazy loading ----------------------------------------------------------------------

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted:
            return
        page = self._query(len(self._rows), PAGE_SIZE)
        self._exhausted = len(page) < PAGE_SIZE
        if page:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()

    def _query(self, offset: int, limit: int) -> list[PhotoRecord]:
        assert self._batch_id is not None
        try:
            return list(
                self._controller.batch_photos(
                    self._batch_id, state=self._state, offset=offset, limit=limit
                )
            )
        except BatchNotFoundError:
            return []

    # -- what the view asks ------------------------------------------------------------

    def row_count(self) -> int:
        return len(self._rows)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        record = self._rows[index.row()]
        column = PhotoColumn(index.column())
        # A photo that failed or has not been developed has no output file yet: showing the
        # planned path would suggest there is one.
        output = record.output_path if record.developed else None
        if role == Qt.ItemDataRole.DisplayRole:
            if column is PhotoColumn.FILE:
                return Path(record.source_path).name
            if column is PhotoColumn.STATE:
                return state_text(PhotoState(record.state))
            if column is PhotoColumn.ERROR:
                return record.error or ""
            if column is PhotoColumn.DEVELOPED_BY:
                return formatting.developed_by_text(record.developed_by)
            return formatting.path_text(output)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column is PhotoColumn.FILE:
                return record.source_path
            if column is PhotoColumn.ERROR:
                return record.error
            if column is PhotoColumn.OUTPUT:
                return output
        if role == Qt.ItemDataRole.ForegroundRole and column is PhotoColumn.STATE:
            return STATE_COLOUR.get(PhotoState(record.state))
        return None
