"""How the window's lists of rows look and behave, set once for all of them (batches,
photos, watched folders): whole rows selected, no row numbers, no wrapped text, columns the
user can widen with the last one filling the rest."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView


def set_up_list_table(
    table: QTableView,
    *,
    row_height: int,
    widths: Iterable[tuple[int, int]],
    selection: QAbstractItemView.SelectionMode,
) -> None:
    """Give `table` the lists' look: rows of `row_height` pixels, the columns' starting
    `widths` ((column, width) pairs) and its `selection` mode."""
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(selection)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(row_height)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    for column, width in widths:
        header.resizeSection(column, width)
