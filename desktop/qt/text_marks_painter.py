"""Painting the document view's marks over its text (see `desktop.state.text_marks`):
a bar under each mention in a relation, arrows from the focused mention to its partners,
and a bar in the left margin beside each reviewed sentence. Only what is on screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPolygonF

from desktop.state.text_marks import RELATION_COLOUR, REVIEWED_COLOUR, theme_colour

if TYPE_CHECKING:
    from desktop.qt.document_view import TextView

BAR = 2
"""Height of the relation bar under a mention, width/2 of the margin bar (pixels)."""
ARROW = 5.0


def paint_arrows(view: TextView) -> None:
    """Arrows from the focused mention to its partners: low, translucent curves from the
    top of one to the top of the other (they reach only into the gap between lines)."""
    state, focused = view.state, view.state.focused
    hints = view.marks.relations_of(focused.id) if focused is not None else []
    if not hints:
        return
    orange = QColor(theme_colour(RELATION_COLOUR, state.dark))
    orange.setAlpha(210)
    painter = QPainter(view.viewport())
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(orange, 1.6)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        for h in hints:
            _arrow(painter, view.span_rects(h.head.start, h.head.end)[0],
                   view.span_rects(h.tail.start, h.tail.end)[0], orange)
    finally:
        painter.end()


def paint_over(view: TextView) -> None:
    """After the text: the margin bars of reviewed sentences, the bars under mentions in
    a relation."""
    marks, state = view.marks, view.state
    first, last = view.visible_range()
    painter = QPainter(view.viewport())
    try:
        green = QColor(theme_colour(REVIEWED_COLOUR, state.dark))
        for start, end in marks.reviewed_in(first, last):
            top = view.span_rects(start, start)[0].top()
            bottom = view.span_rects(max(end - 1, start), max(end - 1, start))[0].bottom()
            painter.fillRect(QRect(4, top, 2 * BAR, bottom - top + 1), green)
        orange = QColor(theme_colour(RELATION_COLOUR, state.dark))
        for m in marks.related_in(first, last):
            for r in view.span_rects(m.start, m.end):
                painter.fillRect(QRect(r.left(), r.bottom() - BAR + 1, r.width(), BAR), orange)
    finally:
        painter.end()


def _arrow(painter: QPainter, head: QRect, tail: QRect, colour: QColor) -> None:
    """A curve over the text from the head mention's top to the tail's, with its tip."""
    a = QPointF(head.center().x(), head.top() + 2)
    b = QPointF(tail.center().x(), tail.top() + 2)
    lift = 8.0 + min(abs(b.x() - a.x()) / 40, 4.0)
    control = QPointF((a.x() + b.x()) / 2, min(a.y(), b.y()) - lift)
    path = QPainterPath(a)
    path.quadTo(control, b)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)
    direction = b - control
    length = max((direction.x() ** 2 + direction.y() ** 2) ** 0.5, 1e-6)
    ux, uy = direction.x() / length, direction.y() / length
    left = QPointF(b.x() - ARROW * ux + ARROW * 0.6 * uy, b.y() - ARROW * uy - ARROW * 0.6 * ux)
    right = QPointF(b.x() - ARROW * ux - ARROW * 0.6 * uy, b.y() - ARROW * uy + ARROW * 0.6 * ux)
    painter.setBrush(colour)
    painter.drawPolygon(QPolygonF([b, left, right]))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawEllipse(QRectF(a.x() - 2, a.y() - 2, 4, 4))
