"""Draws the Progress column as a bar with "n / N" and the percentage."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
)

from junmai_gui.views.batch_table_model import PROGRESS_ROLE
from junmai_gui.views.formatting import progress_text

_STEPS = 1000  # the bar's resolution: 0.1 %


class ProgressDelegate(QStyledItemDelegate):
    """Paints `PROGRESS_ROLE` (finished, total, percent) with the style's own progress bar."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        value = index.data(PROGRESS_ROLE)
        if value is None:
            super().paint(painter, option, index)
            return
        finished, total, percent = value
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(3, 3, -3, -3)
        bar.palette = option.palette
        bar.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Horizontal
        bar.minimum = 0
        bar.maximum = _STEPS
        bar.progress = round(_STEPS * min(max(percent, 0.0), 100.0) / 100.0)
        bar.textVisible = False
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, widget)
        # The text is drawn here, not by the style: some styles draw it twice (inside and
        # outside the filled part) at different positions, which garbles it in a narrow cell.
        text = progress_text(finished, total, percent)
        filled = QRect(bar.rect)
        filled.setWidth(round(bar.rect.width() * bar.progress / _STEPS))
        empty = QRect(bar.rect)
        empty.setLeft(filled.right() + 1)
        palette = option.palette
        painter.save()
        painter.setClipRect(empty)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        painter.drawText(bar.rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.setClipRect(filled)
        painter.setPen(palette.color(QPalette.ColorRole.HighlightedText))
        painter.drawText(bar.rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(max(hint.width(), 190), hint.height())
