"""Widgets of the Model & training panel: the retrain figure (training loss per step on
its own scale, held-out and dev F1 on 0-100, as they arrive; painted with QPainter - a few
hundred points need no chart library), small read-only tables of plain-text rows, and the
titled columns the panel is made of."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.qt import plain
from desktop.state.training_state import DEV_F1, HOLDOUT_F1, LOSS, Point
from desktop.state.training_text import compare_rows

if TYPE_CHECKING:
    from kg.learn import Comparison

class AcceptRuleRow(QWidget):
    """The project's rule for taking new versions: automatically or not, and how far the
    dev F1 may drop; `changed` (automatic, max drop) when a person edits it."""

    changed = Signal(bool, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.auto_box = QCheckBox("Take new versions automatically", self)
        self.drop_box = QDoubleSpinBox(self)
        self.drop_box.setRange(0.0, 20.0)
        self.drop_box.setSingleStep(0.5)
        self.drop_box.setSuffix(" points")
        self.drop_box.setToolTip("How far the dev F1 may drop (the held-out F1 may not)")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.auto_box)
        row.addWidget(plain.label("dev F1 may drop", self))
        row.addWidget(self.drop_box)
        row.addStretch(1)
        self.auto_box.toggled.connect(self._edited)
        self.drop_box.valueChanged.connect(self._edited)

    def show_rule(self, automatic: bool, max_drop: float) -> None:
        """Show the stored rule (no `changed`)."""
        for widget in (self.auto_box, self.drop_box):
            widget.blockSignals(True)
        self.auto_box.setChecked(automatic)
        self.drop_box.setValue(max_drop)
        for widget in (self.auto_box, self.drop_box):
            widget.blockSignals(False)

    def _edited(self, *_: object) -> None:
        self.changed.emit(self.auto_box.isChecked(), self.drop_box.value())


_NAMES = {LOSS: "loss", HOLDOUT_F1: "held-out F1", DEV_F1: "dev F1"}
_COLOURS = {HOLDOUT_F1: ("#2f855a", "#68d391"), DEV_F1: ("#b7791f", "#f6c26b")}


class TrainingPlot(QWidget):
    """Loss and F1 series (`TrainingState.series`) with their first and last values."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series: dict[str, list[Point]] = {}
        self.setMinimumSize(220, 110)

    def sizeHint(self) -> QSize:
        return QSize(320, 160)

    def set_series(self, series: Mapping[str, Sequence[Point]]) -> None:
        self.series = {name: list(points) for name, points in series.items()}
        self.update()

    def colour(self, name: str) -> QColor:
        pal = self.palette()
        if name == LOSS:
            return pal.color(QPalette.ColorRole.Highlight)
        dark = pal.color(QPalette.ColorRole.Window).lightness() < 128
        return QColor(_COLOURS[name][1 if dark else 0])

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.WindowText)
        h = self.fontMetrics().height()
        area = QRectF(self.rect()).adjusted(8, h + 8, -8, -h - 6)
        painter.setPen(QPen(pal.color(QPalette.ColorRole.Mid), 1))
        painter.drawRect(area)
        shown = {k: v for k, v in self.series.items() if v}
        if not shown:
            painter.setPen(text)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter,
                             "Loss and F1 appear here while a new version trains")
            return
        last = max(p.step for points in shown.values() for p in points) or 1.0
        legend = []
        for name, points in shown.items():
            if name == LOSS:
                low, high = min(p.value for p in points), max(p.value for p in points)
                first, end = f"{points[0].value:.3g}", f"{points[-1].value:.3g}"
            else:
                low, high = 0.0, 1.0
                first, end = f"{100 * points[0].value:.1f}", f"{100 * points[-1].value:.1f}"
            span = (high - low) or 1.0
            at = [QPointF(area.left() + p.step / last * area.width(),
                          area.bottom() - (p.value - low) / span * area.height())
                  for p in points]
            pen = QPen(self.colour(name), 2)
            painter.setPen(pen)
            if len(points) > 1:
                painter.drawPolyline(QPolygonF(at))
            if name != LOSS:
                painter.setBrush(self.colour(name))
                for point in at:
                    painter.drawEllipse(point, 3, 3)
                painter.setBrush(Qt.BrushStyle.NoBrush)
            legend.append((name, f"{_NAMES[name]} {first} → {end}"
                           if len(points) > 1 else f"{_NAMES[name]} {end}"))
        x = 8.0
        for name, words in legend:
            painter.setPen(self.colour(name))
            width = self.fontMetrics().horizontalAdvance(words) + 16
            painter.drawText(QRectF(x, 2, width, h + 2), Qt.AlignmentFlag.AlignLeft, words)
            x += width
        painter.setPen(text)
        painter.drawText(QRectF(8, self.height() - h - 4, self.width() - 16, h),
                         Qt.AlignmentFlag.AlignRight, f"step {last:.0f}")


class RowsTable(QTableWidget):
    """Read-only rows of plain text (never rich text), one selected at a time."""

    def __init__(self, headers: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(list(headers))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

    def set_rows(self, rows: Sequence[Sequence[str]], *, tooltips: Sequence[str] = (),
                 bold: Sequence[bool] = (), tints: Sequence[QColor | None] = (),
                 tint_column: int = -1) -> None:
        self.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if (c and text[:1].isdigit()) or text[:1] in "+-±–":
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if r < len(tooltips) and tooltips[r]:
                    item.setToolTip(plain.tooltip(tooltips[r]))
                if r < len(bold) and bold[r]:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                tint = tints[r] if r < len(tints) else None
                if tint is not None and c == tint_column % len(cells):
                    item.setForeground(tint)
                self.setItem(r, c, item)

    def text(self, row: int, column: int) -> str:
        item = self.item(row, column)
        return item.text() if item is not None else ""


def pane(title: str, *parts: QWidget | QGridLayout | QHBoxLayout | QFormLayout,
         stretch: int = -1) -> QWidget:
    """A titled column of widgets and layouts (`stretch`: the index that grows)."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(6, 0, 6, 0)
    heading = plain.label(title, box)
    font = heading.font()
    font.setBold(True)
    heading.setFont(font)
    layout.addWidget(heading)
    for i, part in enumerate(parts):
        if isinstance(part, QWidget):
            layout.addWidget(part, 1 if i == stretch else 0)
        else:
            layout.addLayout(part)
    return box


class CompareTable(RowsTable):
    """A comparison's per-type F1, before → after, the difference tinted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(("Type", "Before", "After", "Δ F1", "n"), parent)

    def show_comparison(self, c: Comparison) -> None:
        rows = compare_rows(c)
        self.setHorizontalHeaderLabels(["Type", c.a.version, c.b.version, "Δ F1", "n"])
        dark = self.palette().color(QPalette.ColorRole.Base).lightness() < 128
        good, bad = (QColor("#68d391" if dark else "#2f855a"),
                     QColor("#fc8181" if dark else "#c53030"))
        self.set_rows([(r.label, r.a, r.b, r.delta, str(r.support)) for r in rows],
                      bold=[r.label == "all decisions" for r in rows],
                      tints=[good if r.better > 0 else bad if r.better < 0 else None
                             for r in rows], tint_column=3)
