"""Draws the Progress column as a bar with "n / N (p %)".

The bar is painted here, not by the style: styles draw their fill with margins and
gradients of their own, so text coloured to contrast with "the fill" landed on the wrong
colour at the fill's edge (the first digit of "76 / 300" disappeared). Painting both parts
with known colours, the text is drawn twice, each clipped to one part, in the colour that
reads over that part.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from junmai_gui.controller.progress import BatchProgress
from junmai_gui.views.batch_table_model import PROGRESS_ROLE
from junmai_gui.views.formatting import progress_text

MARGIN = 3


def bar_colours(palette: QPalette) -> tuple[QColor, QColor, QColor, QColor]:
    """(fill, text over the fill, track, text over the track)."""
    fill = palette.color(QPalette.ColorRole.Highlight)
    track = palette.color(QPalette.ColorRole.Base).darker(112)
    return fill, _readable_on(fill), track, _readable_on(track)


def _luminance(colour: QColor) -> float:
    """Relative luminance (WCAG), 0 for black to 1 for white."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _readable_on(background: QColor) -> QColor:
    """Black or white, whichever contrasts more with `background` (at least 4.58 : 1)."""
    lum = _luminance(background)
    on_black, on_white = (lum + 0.05) / 0.05, 1.05 / (lum + 0.05)
    return QColor("#000000") if on_black >= on_white else QColor("#ffffff")


def filled_rect(bar: QRect, percent: float) -> QRect:
    filled = QRect(bar)
    filled.setWidth(round(bar.width() * min(max(percent, 0.0), 100.0) / 100.0))
    return filled


class ProgressDelegate(QStyledItemDelegate):
    """Paints `PROGRESS_ROLE` (a `BatchProgress`)."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        progress = index.data(PROGRESS_ROLE)
        if not isinstance(progress, BatchProgress):
            super().paint(painter, option, index)
            return
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        bar = option.rect.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
        fill, on_fill, track, on_track = bar_colours(option.palette)
        filled = filled_rect(bar, progress.percent)
        empty = QRect(bar)
        empty.setLeft(filled.right() + 1)
        text = progress_text(progress)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(track)
        painter.drawRoundedRect(QRectF(bar), 3, 3)
        painter.setClipRect(filled)
        painter.setBrush(fill)
        painter.drawRoundedRect(QRectF(bar), 3, 3)
        for part, colour in ((filled, on_fill), (empty, on_track)):
            painter.setClipRect(part)
            painter.setPen(colour)
            painter.drawText(bar, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(max(hint.width(), 190), hint.height())
