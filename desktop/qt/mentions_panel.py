"""The mentions of the selected document (right dock); clicking a row shows its span.

Each row says whether the model suggested the span, a person accepted it, or a person added
it; Accept/Reject (or the keys a/x, and the label keys) act on the focused mention.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.qt import plain
from desktop.qt.relations_list import RelationsList
from desktop.state import ProjectState
from desktop.state.events import Subscriptions
from desktop.state.text import mention_tooltip
from kg.records import MentionRecord

_Index = QModelIndex | QPersistentModelIndex
TEXT, LABEL, CONFIDENCE, STATUS = range(4)
_HEADERS = ("Mention", "Type", "Confidence", "Status")
_KEY_NAMES = {Qt.Key.Key_Delete: "delete", Qt.Key.Key_Backspace: "delete"}


def status_of(mention: MentionRecord) -> str:
    """``suggested``, ``accepted`` or ``added`` (a span a person made)."""
    return "added" if mention.model is None else mention.status


class MentionsModel(QAbstractTableModel):
    def __init__(self, state: ProjectState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._mentions: tuple[MentionRecord, ...] = ()

    def reload(self, state: ProjectState) -> None:
        self.beginResetModel()
        self._state = state
        self._mentions = state.mentions
        self.endResetModel()

    def recolour(self) -> None:
        if self._mentions:
            last = self.index(len(self._mentions) - 1, LABEL)
            self.dataChanged.emit(self.index(0, LABEL), last)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._mentions)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._mentions):
            return None
        m, col = self._mentions[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (m.text.replace("\n", " "), m.label, f"{m.confidence:.2f}", status_of(m))[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain.tooltip(f"{m.text}\n{mention_tooltip(m)}")
        if role == Qt.ItemDataRole.BackgroundRole and col == LABEL:
            return QColor(self._state.colour(m.label))
        if role == Qt.ItemDataRole.TextAlignmentRole and col == CONFIDENCE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class MentionsPanel(QTableView):
    """Renders `state.mentions`; a click asks the state to focus that mention."""

    def __init__(self, state: ProjectState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._subs = Subscriptions()
        self.mentions_model = MentionsModel(state, self)
        self.buttons = DecisionButtons(state)
        """Shown above the table by `MentionsPane` (which takes it as its child)."""
        self.relations = RelationsList(state)
        """The document's relations, shown below the table by `MentionsPane`."""
        self.setModel(self.mentions_model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(LABEL, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(CONFIDENCE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(STATUS, QHeaderView.ResizeMode.ResizeToContents)
        self.clicked.connect(self._on_clicked)
        self.activated.connect(self._on_clicked)
        self.bind(state)

    def bind(self, state: ProjectState) -> None:
        self._subs.clear()
        self._state = state
        self._subs.connect(state.selection_changed, self._reload)
        self._subs.connect(state.colours_changed, self.mentions_model.recolour)
        self._subs.connect(state.mention_focused, self._follow_focus)
        self._subs.connect(state.mentions_changed, self._reload)
        self.buttons.bind(state)
        self.relations.bind(state)
        self._reload()

    def _reload(self) -> None:
        self.mentions_model.reload(self._state)
        if self._state.focused is not None:
            self._follow_focus(self._state.focused)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Annotation keys act on the current row's mention (arrows move, as ever)."""
        key = _KEY_NAMES.get(Qt.Key(event.key()), event.text())
        if key and not event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier:
            row = self.currentIndex().row()
            mention = self._state.mentions[row] if 0 <= row < len(self._state.mentions) else None
            if mention is not None and mention != self._state.focused:
                self._state.focus_mention(row)
            if self._state.annotation.handle_key(key, None):
                event.accept()
                return
        super().keyPressEvent(event)

    def _follow_focus(self, mention: MentionRecord) -> None:
        """Select and centre the focused mention's row (it may come from elsewhere)."""
        row = self._state.mentions.index(mention) if mention in self._state.mentions else -1
        if row >= 0:
            index = self.mentions_model.index(row, TEXT)
            self.selectRow(row)
            self.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    def _on_clicked(self, index: QModelIndex) -> None:
        self._state.focus_mention(index.row())


class DecisionButtons(QWidget):
    """Accept/Reject for the focused mention, enabled when they apply."""

    def __init__(self, state: ProjectState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._subs = Subscriptions()
        self.accept_button = QPushButton("Accept (a)", self)
        self.reject_button = QPushButton("Reject (x)", self)
        self.accept_button.clicked.connect(lambda: self._decide(True))
        self.reject_button.clicked.connect(lambda: self._decide(False))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.accept_button)
        layout.addWidget(self.reject_button)
        layout.addStretch(1)
        self.bind(state)

    def bind(self, state: ProjectState) -> None:
        self._subs.clear()
        self._state = state
        for event in (state.mention_focused, state.mentions_changed, state.selection_changed):
            self._subs.connect(event, lambda *_: self._update())
        self._update()

    def _update(self) -> None:
        focused = self._state.focused
        self.accept_button.setEnabled(focused is not None and focused.status == "suggested")
        self.reject_button.setEnabled(focused is not None)

    def _decide(self, accept: bool) -> None:
        self._state.annotation.decide_focused(accept)


class MentionsPane(QWidget):
    """The dock's content: the decision buttons above the mentions table, the document's
    relations below it."""

    def __init__(self, panel: MentionsPanel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.panel = panel
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(panel)
        split.addWidget(panel.relations)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(panel.buttons)
        layout.addWidget(split, 1)
