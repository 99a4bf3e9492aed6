"""The relations of the selected document (under the mentions, right dock): one row per
relation (head, type, tail, confidence, status; plain text); clicking a row focuses its
head mention, and the rows of the focused mention are selected wherever it was picked."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.qt import plain
from desktop.state import ProjectState
from desktop.state.events import Subscriptions
from desktop.state.text_marks import RelationHint, TextMarks

HEAD, RELATION, TAIL, CONFIDENCE, STATUS = range(5)
_HEADERS = ("Head", "Relation", "Tail", "Conf.", "Status")


class RelationsList(QWidget):
    def __init__(self, state: ProjectState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._subs = Subscriptions()
        self.hints: tuple[RelationHint, ...] = ()
        self.title = plain.label("", self)
        self.title.setContentsMargins(6, 4, 6, 2)
        self.table = QTableWidget(0, len(_HEADERS), self)
        self.table.setHorizontalHeaderLabels(_HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        for column in range(len(_HEADERS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        for column in (HEAD, TAIL):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.table.clicked.connect(lambda index: self.show_relation(index.row()))
        self.table.setAcceptDrops(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        self.bind(state)

    def bind(self, state: ProjectState) -> None:
        self._subs.clear()
        self._state = state
        self._subs.connect(state.selection_changed, self._reload)
        self._subs.connect(state.mentions_changed, self._reload)
        self._subs.connect(state.mention_focused, lambda _: self._follow_focus())
        self._reload()

    def _reload(self) -> None:
        self.hints = TextMarks.of(self._state).hints
        n = len(self.hints)
        self.title.setText(f"Relations in this document: {n}" if n else
                           "No relations in this document")
        self.table.setRowCount(n)
        for row, h in enumerate(self.hints):
            r = h.relation
            status = "added" if r.model is None else r.status
            cells = (h.head.text, r.label, h.tail.text, f"{r.confidence:.2f}", status)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)  # items show plain text only
                item.setToolTip(plain.tooltip(h.summary()))
                if column == CONFIDENCE:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self._follow_focus()

    def rows_of_focused(self) -> list[int]:
        focused = self._state.focused
        if focused is None:
            return []
        return [i for i, h in enumerate(self.hints) if focused.id in (h.head.id, h.tail.id)]

    def _follow_focus(self) -> None:
        """Select the relations of the focused mention (none: clear the selection)."""
        rows = self.rows_of_focused()
        self.table.clearSelection()
        model, selection = self.table.model(), self.table.selectionModel()
        for row in rows:
            selection.select(model.index(row, 0), selection.SelectionFlag.Select
                             | selection.SelectionFlag.Rows)
        if rows:
            self.table.scrollTo(model.index(rows[0], 0))

    def show_relation(self, row: int) -> None:
        """Show relation `row` in the text: focus its head mention."""
        if 0 <= row < len(self.hints):
            self._state.focus(self.hints[row].head)
