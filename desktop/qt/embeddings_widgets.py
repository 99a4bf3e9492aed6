"""The Embeddings panel's parts: the live loss figure and the predicted-links table.

The table only forwards keys and clicks to `EmbeddingsState` (``a`` accept, ``x`` reject,
``j``/``k`` or the arrows move, Enter shows a sentence naming both), as the review queue does.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from desktop.qt import plain
from desktop.state.embeddings_state import EmbeddingsState
from desktop.state.embeddings_text import link_title

_Index = QModelIndex | QPersistentModelIndex
SCORE, HEAD, RELATION, TAIL, WHY = range(5)
_HEADERS = ("Score", "Head", "Relation", "Tail", "Evidence")


class LossPlot(QWidget):
    """Training loss per epoch as a line, with the first and last values written out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.losses: list[float] = []
        self.setMinimumSize(160, 90)

    def sizeHint(self) -> QSize:
        return QSize(240, 120)

    def set_losses(self, losses: list[float]) -> None:
        self.losses = list(losses)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.WindowText)
        height = self.fontMetrics().height()
        area = QRectF(self.rect()).adjusted(6, height + 4, -6, -height - 4)
        painter.setPen(QPen(pal.color(QPalette.ColorRole.Mid), 1))
        painter.drawRect(area)
        painter.setPen(text)
        values = [v for v in self.losses if v == v]  # NaN-free
        if len(values) < 2:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter,
                             "Loss per epoch appears here while training")
            return
        low, high = min(values), max(values)
        span = (high - low) or 1.0
        step = area.width() / (len(values) - 1)
        line = QPolygonF([QPointF(area.left() + i * step,
                                  area.bottom() - (v - low) / span * area.height())
                          for i, v in enumerate(values)])
        painter.setPen(QPen(pal.color(QPalette.ColorRole.Highlight), 2))
        painter.drawPolyline(line)
        painter.setPen(text)
        painter.drawText(QRectF(6, 0, self.width() - 12, height + 2),
                         Qt.AlignmentFlag.AlignLeft,
                         f"loss {values[0]:.3g} → {values[-1]:.3g}")
        painter.drawText(QRectF(6, self.height() - height - 2, self.width() - 12, height),
                         Qt.AlignmentFlag.AlignRight, f"epoch {len(values)}")


class LinkModel(QAbstractTableModel):
    def __init__(self, state: EmbeddingsState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state

    def reload(self, state: EmbeddingsState) -> None:
        self.beginResetModel()
        self.state = state
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.state.queue)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        queue = self.state.queue
        if not index.isValid() or not 0 <= index.row() < len(queue):
            return None
        p, col = queue[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            ev = p.evidence
            why = ", ".join(part for part in (
                f"{len(ev.paths)} path{'s' * (len(ev.paths) != 1)}" if ev.paths else "",
                f"{len(ev.sentences)} sentence{'s' * (len(ev.sentences) != 1)}"
                if ev.sentences else "",
            ) if part) or "—"
            return (f"{p.score:.2f}", p.head_name, p.relation, p.tail_name, why)[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain.tooltip(f"{link_title(p)}\nscore {p.score:.3f} · {p.model}")
        if role == Qt.ItemDataRole.TextAlignmentRole and col == SCORE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class LinkTable(QTableView):
    """The predicted links; keys a/x/j/k/Enter act on the current row."""

    def __init__(self, state: EmbeddingsState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.embeddings = state
        self.link_model = LinkModel(state, self)
        self.setModel(self.link_model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        for col in (SCORE, RELATION, WHY):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        for col in (HEAD, TAIL):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        self.selectionModel().currentRowChanged.connect(self._row_changed)
        self.activated.connect(lambda _: self.embeddings.show())

    def bind(self, state: EmbeddingsState) -> None:
        self.embeddings = state
        self.reload()

    def reload(self) -> None:
        self.link_model.reload(self.embeddings)
        self.follow()

    def follow(self, *_: object) -> None:
        """Select the state's current row."""
        row = self.embeddings.index
        if 0 <= row < self.link_model.rowCount() and self.currentIndex().row() != row:
            self.setCurrentIndex(self.link_model.index(row, HEAD))
            self.scrollTo(self.currentIndex())

    def _row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if current.isValid():
            self.embeddings.select(current.row())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        actions = {
            Qt.Key.Key_A: lambda: self.embeddings.decide(True),
            Qt.Key.Key_X: lambda: self.embeddings.decide(False),
            Qt.Key.Key_J: lambda: self.embeddings.move(1),
            Qt.Key.Key_K: lambda: self.embeddings.move(-1),
            Qt.Key.Key_Return: self.embeddings.show,
            Qt.Key.Key_Enter: self.embeddings.show,
        }
        action = actions.get(Qt.Key(event.key()))
        if action is not None and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            action()
            event.accept()
            return
        super().keyPressEvent(event)
