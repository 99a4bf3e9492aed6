"""The mentions of the selected document (right dock); clicking a row shows its span."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from desktop.qt import plain
from desktop.state import ProjectState
from desktop.state.events import Subscriptions
from desktop.state.text import mention_tooltip
from kg.records import MentionRecord

_Index = QModelIndex | QPersistentModelIndex
TEXT, LABEL, CONFIDENCE = range(3)
_HEADERS = ("Mention", "Type", "Confidence")


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
            return (m.text.replace("\n", " "), m.label, f"{m.confidence:.2f}")[col]
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
        self.clicked.connect(self._on_clicked)
        self.activated.connect(self._on_clicked)
        self.bind(state)

    def bind(self, state: ProjectState) -> None:
        self._subs.clear()
        self._state = state
        self._subs.connect(state.selection_changed, self._reload)
        self._subs.connect(state.colours_changed, self.mentions_model.recolour)
        self._subs.connect(state.mention_focused, self._follow_focus)
        self._reload()

    def _reload(self) -> None:
        self.mentions_model.reload(self._state)

    def _follow_focus(self, mention: MentionRecord) -> None:
        """Select and centre the focused mention's row (it may come from elsewhere)."""
        row = self._state.mentions.index(mention) if mention in self._state.mentions else -1
        if row >= 0:
            index = self.mentions_model.index(row, TEXT)
            self.selectRow(row)
            self.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    def _on_clicked(self, index: QModelIndex) -> None:
        self._state.focus_mention(index.row())
