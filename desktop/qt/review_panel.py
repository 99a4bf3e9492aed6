"""The review queue (a dock): the model's open suggestions, least confident first.

Keys on the table: ``a`` accept, ``x`` reject (the next item moves up), Enter shows the
item in its document, ``j``/``k`` or the arrows move. It renders
`AnnotationState.queue` and forwards decisions to it; nothing here touches the store.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.qt import plain
from desktop.qt.worker import Job
from desktop.state import ProjectState
from desktop.state.events import Subscriptions
from desktop.state.review import ORDERS, ReviewQueue, helpful_work
from kg.annotate import ReviewItem

_Index = QModelIndex | QPersistentModelIndex
CONFIDENCE, LABEL, TEXT, DOCUMENT = range(4)
_HEADERS = ("Conf.", "Type", "Suggestion", "Document")


class ReviewModel(QAbstractTableModel):
    def __init__(self, state: ProjectState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._items: tuple[ReviewItem, ...] = ()

    def reload(self, state: ProjectState) -> None:
        self.beginResetModel()
        self._state = state
        self._items = state.annotation.queue.items
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item, col = self._items[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (f"{item.confidence:.2f}", item.label, item.text.replace("\n", " "),
                    item.title)[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            kind = "relation" if item.kind == "relation" else "entity"
            return plain.tooltip(f"{item.text}\n{kind} {item.label} · confidence "
                                 f"{item.confidence:.2f} · {item.model or 'added by a person'}"
                                 f"\n{item.title}")
        if role == Qt.ItemDataRole.BackgroundRole and col == LABEL and item.kind == "mention":
            return QColor(self._state.colour(item.label))
        if role == Qt.ItemDataRole.TextAlignmentRole and col == CONFIDENCE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ReviewTable(QTableView):
    """The queue's rows; keys a/x/Enter/j/k act on the current row."""

    def __init__(self, state: ProjectState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self.review_model = ReviewModel(state, self)
        self.setModel(self.review_model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        for col in (CONFIDENCE, LABEL, DOCUMENT):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        self.selectionModel().currentRowChanged.connect(self._row_changed)
        self.activated.connect(lambda _: self.queue.jump())

    @property
    def queue(self) -> ReviewQueue:
        return self._state.annotation.queue

    def bind(self, state: ProjectState) -> None:
        self._state = state
        self.reload()

    def reload(self) -> None:
        self.review_model.reload(self._state)
        self.follow()

    def follow(self, *_: object) -> None:
        """Select the queue's current row."""
        row = self.queue.index
        if 0 <= row < self.review_model.rowCount() and self.currentIndex().row() != row:
            self.setCurrentIndex(self.review_model.index(row, TEXT))
            self.scrollTo(self.currentIndex())

    def _row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if current.isValid():
            self.queue.select(current.row())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        actions = {
            Qt.Key.Key_A: lambda: self.queue.decide(True),
            Qt.Key.Key_X: lambda: self.queue.decide(False),
            Qt.Key.Key_J: lambda: self.queue.move(1),
            Qt.Key.Key_K: lambda: self.queue.move(-1),
            Qt.Key.Key_Return: self.queue.jump,
            Qt.Key.Key_Enter: self.queue.jump,
        }
        action = actions.get(Qt.Key(key))
        if action is not None and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            action()
            event.accept()
            return
        super().keyPressEvent(event)


class ReviewPanel(QWidget):
    """A count, Accept/Reject/Show buttons and the queue table."""

    def __init__(self, state: ProjectState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._subs = Subscriptions()
        self.summary = plain.label("", self)
        self.summary.setContentsMargins(8, 6, 8, 2)
        self.table = ReviewTable(state, self)
        self.accept_button = QPushButton("Accept (a)", self)
        self.reject_button = QPushButton("Reject (x)", self)
        self.show_button = QPushButton("Show (Enter)", self)
        self.accept_button.clicked.connect(lambda: self._decide(True))
        self.reject_button.clicked.connect(lambda: self._decide(False))
        self.show_button.clicked.connect(lambda: self.table.queue.jump())
        self.order_box = QComboBox(self)
        for key, text in ORDERS.items():
            self.order_box.addItem(text, key)
        self.order_box.setToolTip("Most helpful first: uncertainty plus graph signals (central "
                                  "entities with few confirmations, implausible relations)")
        self.order_box.currentIndexChanged.connect(self._order_changed)
        self.job: Job | None = None
        buttons = QHBoxLayout()
        buttons.setContentsMargins(6, 2, 6, 4)
        for button in (self.accept_button, self.reject_button, self.show_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.order_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.bind(state)

    def bind(self, state: ProjectState) -> None:
        self._subs.clear()
        self._state = state
        queue = state.annotation.queue
        self._subs.connect(queue.changed, self._reload)
        self._subs.connect(queue.moved, self.table.follow)
        self.table.bind(state)
        self._reload()

    def _reload(self) -> None:
        queue = self._state.annotation.queue
        self.table.reload()
        shown = "" if len(queue.items) == queue.total else f" (first {len(queue.items)} shown)"
        self.summary.setText(f"{queue.total} open suggestions{shown} · {ORDERS[queue.order]}"
                             if queue.total else "Nothing left to review")
        for button in (self.accept_button, self.reject_button, self.show_button):
            button.setEnabled(bool(queue.items))

    def _order_changed(self, _index: int) -> None:
        """Least confident first at once; most helpful first once the worker scored it."""
        order = str(self.order_box.currentData())
        if self.job is not None:
            self.job.cancel()
        if order != "helpful":
            self._state.annotation.queue.set_order(order)
            return
        project = self._state.project
        job = Job(lambda cancel: helpful_work(project, cancel), name="review order",
                  parent=self)
        job.finished.connect(
            lambda found: self._state.annotation.queue.set_order("helpful", found))
        job.failed.connect(lambda message: self.summary.setText(f"Could not order: {message}"))
        self.job = job
        self.summary.setText("Scoring sentences…")
        job.start()

    def _decide(self, accept: bool) -> None:
        self._state.annotation.queue.decide(accept)
        self.table.setFocus()
