"""Icons drawn with QPainter, so the app needs no icon theme (offscreen, Xvfb, any desktop).

Each function returns a fresh `QIcon`; they are cheap (a few vector shapes) and drawn at
two sizes so toolbars and HiDPI screens look sharp. The app icon and the tray states share
one drawing: a film-frame with a coloured badge for idle, running, paused or error.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

from junmai_gui.domain.status import BatchStatus

GREEN = QColor("#2e9d4f")
AMBER = QColor("#d89614")
RED = QColor("#c8352f")
BLUE = QColor("#2f6fd0")
GREY = QColor("#7d8590")
INK = QColor("#3b4048")
PROBLEM_STYLE = f"color: {RED.name()};"  # a label that says what is wrong

Painter = Callable[[QPainter, float], None]
_SIZES = (16, 24, 32, 64)


def _icon(draw: Painter) -> QIcon:
    icon = QIcon()
    for size in _SIZES:
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        draw(painter, float(size))
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def _disc(colour: QColor, glyph: Painter | None = None) -> Painter:
    def draw(p: QPainter, s: float) -> None:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        p.drawEllipse(QRectF(s * 0.08, s * 0.08, s * 0.84, s * 0.84))
        if glyph is not None:
            glyph(p, s)

    return draw


def _white_pen(s: float, width: float = 0.12) -> QPen:
    pen = QPen(QColor("white"), max(1.5, s * width))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def _play(p: QPainter, s: float, colour: QColor | None = None) -> None:
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(colour or QColor("white"))
    p.drawPolygon(
        QPolygonF(
            [QPointF(s * 0.38, s * 0.28), QPointF(s * 0.74, s * 0.5), QPointF(s * 0.38, s * 0.72)]
        )
    )


def _pause(p: QPainter, s: float, colour: QColor | None = None) -> None:
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(colour or QColor("white"))
    p.drawRoundedRect(QRectF(s * 0.32, s * 0.28, s * 0.13, s * 0.44), s * 0.03, s * 0.03)
    p.drawRoundedRect(QRectF(s * 0.55, s * 0.28, s * 0.13, s * 0.44), s * 0.03, s * 0.03)


def _check(p: QPainter, s: float) -> None:
    p.setPen(_white_pen(s))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPolyline(
        QPolygonF(
            [QPointF(s * 0.3, s * 0.52), QPointF(s * 0.45, s * 0.67), QPointF(s * 0.72, s * 0.36)]
        )
    )


def _cross(p: QPainter, s: float) -> None:
    p.setPen(_white_pen(s))
    p.drawLine(QPointF(s * 0.34, s * 0.34), QPointF(s * 0.66, s * 0.66))
    p.drawLine(QPointF(s * 0.66, s * 0.34), QPointF(s * 0.34, s * 0.66))


def _dash(p: QPainter, s: float) -> None:
    p.setPen(_white_pen(s))
    p.drawLine(QPointF(s * 0.32, s * 0.5), QPointF(s * 0.68, s * 0.5))


def _clock(p: QPainter, s: float) -> None:
    p.setPen(_white_pen(s, 0.09))
    p.drawLine(QPointF(s * 0.5, s * 0.5), QPointF(s * 0.5, s * 0.3))
    p.drawLine(QPointF(s * 0.5, s * 0.5), QPointF(s * 0.65, s * 0.58))


def _warning(p: QPainter, s: float) -> None:
    """An amber triangle with an exclamation mark: finished, but not everything worked."""
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(AMBER)
    p.drawPolygon(
        QPolygonF(
            [QPointF(s * 0.5, s * 0.08), QPointF(s * 0.94, s * 0.88), QPointF(s * 0.06, s * 0.88)]
        )
    )
    p.setPen(_white_pen(s, 0.1))
    p.drawLine(QPointF(s * 0.5, s * 0.36), QPointF(s * 0.5, s * 0.6))
    p.drawPoint(QPointF(s * 0.5, s * 0.75))


_KIND_GLYPHS: dict[str, Painter] = {
    "not_started": _disc(GREY, _clock),
    "waiting": _disc(BLUE, _clock),
    "running": _disc(BLUE, _play),
    "paused": _disc(AMBER, _pause),
    "completed": _disc(GREEN, _check),
    "completed_with_failures": _warning,
    "cancelled": _disc(GREY, _dash),
    "failed": _disc(RED, _cross),
}


def kind_icon(kind: str) -> QIcon:
    """The small icon beside a batch's state, by `formatting.status_kind`."""
    return _icon(_KIND_GLYPHS[kind])


def status_icon(status: BatchStatus) -> QIcon:
    """The small disc shown beside a batch's stored status."""
    return kind_icon("not_started" if status is BatchStatus.PENDING else status.value)


def _frame(p: QPainter, s: float) -> None:
    """A photo frame: a rounded rectangle with a mountain and a sun."""
    p.setPen(QPen(INK, max(1.0, s * 0.06)))
    p.setBrush(QColor("#f3efe6"))
    p.drawRoundedRect(QRectF(s * 0.06, s * 0.14, s * 0.78, s * 0.62), s * 0.08, s * 0.08)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#5b8c6a"))
    p.drawPolygon(
        QPolygonF(
            [
                QPointF(s * 0.12, s * 0.7),
                QPointF(s * 0.36, s * 0.38),
                QPointF(s * 0.52, s * 0.56),
                QPointF(s * 0.62, s * 0.46),
                QPointF(s * 0.78, s * 0.7),
            ]
        )
    )
    p.setBrush(QColor("#e7a93b"))
    p.drawEllipse(QRectF(s * 0.58, s * 0.22, s * 0.14, s * 0.14))


def app_icon(state: str = "idle") -> QIcon:
    """The window and tray icon; `state` is idle, running, paused or error."""
    badges: dict[str, Painter | None] = {
        "idle": None,
        "running": _disc(BLUE, _play),
        "paused": _disc(AMBER, _pause),
        "error": _disc(RED, _cross),
    }
    badge = badges[state]

    def draw(p: QPainter, s: float) -> None:
        _frame(p, s)
        if badge is not None:
            p.save()
            p.translate(s * 0.48, s * 0.48)
            p.scale(0.52, 0.52)
            badge(p, s)
            p.restore()

    return _icon(draw)


def _plus(p: QPainter, s: float) -> None:
    pen = _white_pen(s)
    pen.setColor(GREEN)
    p.setPen(pen)
    p.drawLine(QPointF(s * 0.5, s * 0.2), QPointF(s * 0.5, s * 0.8))
    p.drawLine(QPointF(s * 0.2, s * 0.5), QPointF(s * 0.8, s * 0.5))


def _stop(p: QPainter, s: float) -> None:
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(RED)
    p.drawRoundedRect(QRectF(s * 0.24, s * 0.24, s * 0.52, s * 0.52), s * 0.06, s * 0.06)


def _retry(p: QPainter, s: float) -> None:
    pen = _white_pen(s, 0.1)
    pen.setColor(BLUE)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawArc(QRectF(s * 0.2, s * 0.2, s * 0.6, s * 0.6), 60 * 16, 280 * 16)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(BLUE)
    p.drawPolygon(
        QPolygonF(
            [QPointF(s * 0.58, s * 0.1), QPointF(s * 0.8, s * 0.26), QPointF(s * 0.55, s * 0.36)]
        )
    )


def _arrow(up: bool) -> Painter:
    def draw(p: QPainter, s: float) -> None:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(INK)
        tip, base = (0.2, 0.55) if up else (0.8, 0.45)
        p.drawPolygon(
            QPolygonF(
                [QPointF(s * 0.5, s * tip), QPointF(s * 0.8, s * base), QPointF(s * 0.2, s * base)]
            )
        )
        top = 0.5 if up else 0.2
        p.drawRect(QRectF(s * 0.4, s * top, s * 0.2, s * 0.3))

    return draw


def _merge(p: QPainter, s: float) -> None:
    pen = _white_pen(s, 0.1)
    pen.setColor(INK)
    p.setPen(pen)
    path = QPainterPath(QPointF(s * 0.25, s * 0.2))
    path.cubicTo(QPointF(s * 0.25, s * 0.5), QPointF(s * 0.5, s * 0.45), QPointF(s * 0.5, s * 0.8))
    path.moveTo(QPointF(s * 0.75, s * 0.2))
    path.cubicTo(QPointF(s * 0.75, s * 0.5), QPointF(s * 0.5, s * 0.45), QPointF(s * 0.5, s * 0.8))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(path)


def _bin(p: QPainter, s: float) -> None:
    pen = QPen(INK, max(1.0, s * 0.07))
    p.setPen(pen)
    p.setBrush(QBrush(QColor("#d9dde3")))
    p.drawRoundedRect(QRectF(s * 0.28, s * 0.3, s * 0.44, s * 0.55), s * 0.05, s * 0.05)
    p.drawLine(QPointF(s * 0.2, s * 0.24), QPointF(s * 0.8, s * 0.24))
    p.drawLine(QPointF(s * 0.42, s * 0.15), QPointF(s * 0.58, s * 0.15))


def _folder(p: QPainter, s: float) -> None:
    p.setPen(QPen(QColor("#9a6b12"), max(1.0, s * 0.05)))
    p.setBrush(QColor("#f2c14e"))
    path = QPainterPath(QPointF(s * 0.1, s * 0.25))
    path.lineTo(QPointF(s * 0.4, s * 0.25))
    path.lineTo(QPointF(s * 0.48, s * 0.33))
    path.lineTo(QPointF(s * 0.9, s * 0.33))
    path.lineTo(QPointF(s * 0.9, s * 0.8))
    path.lineTo(QPointF(s * 0.1, s * 0.8))
    path.closeSubpath()
    p.drawPath(path)


def _gear(p: QPainter, s: float) -> None:
    p.setPen(QPen(INK, max(1.5, s * 0.14), Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
    centre = QPointF(s * 0.5, s * 0.5)
    for step in range(6):
        p.save()
        p.translate(centre)
        p.rotate(step * 30)
        p.drawLine(QPointF(0, -s * 0.38), QPointF(0, s * 0.38))
        p.restore()
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(INK)
    p.drawEllipse(centre, s * 0.27, s * 0.27)
    p.setBrush(QColor("white"))
    p.drawEllipse(centre, s * 0.1, s * 0.1)


def action_icon(name: str) -> QIcon:
    """Toolbar icons by action name (new_batch, pause, resume, cancel, …)."""
    painters: dict[str, Painter] = {
        "new_batch": _plus,
        "pause": lambda p, s: _pause(p, s, AMBER),
        "resume": lambda p, s: _play(p, s, GREEN),
        "cancel": _stop,
        "retry_failed": _retry,
        "priority_up": _arrow(up=True),
        "priority_down": _arrow(up=False),
        "merge": _merge,
        "remove_finished": _bin,
        "open_output": _folder,
        "settings": _gear,
    }
    return _icon(painters[name])
