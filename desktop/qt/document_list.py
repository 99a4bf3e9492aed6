"""The document list (left dock): title, format and status; failed rows give the reason."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QStyle,
    QTableView,
    QWidget,
)

from desktop.qt import plain
from desktop.state import ProjectState
from desktop.state.events import Subscriptions
from desktop.state.text import failure_reason, status_text
from kg.records import DocumentRecord

_Index = QModelIndex | QPersistentModelIndex
TITLE, FORMAT, STATUS = range(3)
_HEADERS = ("Document", "Format", "Status")
_ICONS = {
    "extracted": QStyle.StandardPixmap.SP_DialogApplyButton,
    "loaded": QStyle.StandardPixmap.SP_FileIcon,
    "failed": QStyle.StandardPixmap.SP_MessageBoxWarning,
}
DOC_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_FAILED = QColor("#d0453a")


class DocumentListModel(QAbstractTableModel):
    def __init__(self, state: ProjectState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._docs: tuple[DocumentRecord, ...] = ()
        self.bind(state)

    def bind(self, state: ProjectState) -> None:
        self.beginResetModel()
        self._docs = state.documents
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._docs)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS[section]
        return None

    def document(self, row: int) -> DocumentRecord | None:
        return self._docs[row] if 0 <= row < len(self._docs) else None

    def row_of(self, doc_id: str | None) -> int:
        return next((i for i, d in enumerate(self._docs) if d.id == doc_id), -1)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        doc = self.document(index.row()) if index.isValid() else None
        if doc is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (doc.title or doc.source, doc.format,
                    status_text(doc.status, doc.source, doc.error))[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            if doc.status == "failed":
                reason = failure_reason(doc.source, doc.error)
                return plain.tooltip(f"{doc.source}\nCould not be read: {reason}")
            return plain.tooltip(f"{doc.source}\n{doc.format} · {doc.status}")
        if role == Qt.ItemDataRole.DecorationRole and col == STATUS:
            return QApplication.style().standardIcon(_ICONS.get(doc.status, _ICONS["loaded"]))
        if role == Qt.ItemDataRole.ForegroundRole and doc.status == "failed" and col == STATUS:
            return _FAILED
        if role == DOC_ID_ROLE:
            return doc.id
        return None


class DocumentList(QTableView):
    """Renders `state.documents`; a click selects the document in the state."""

    def __init__(self, state: ProjectState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._subs = Subscriptions()
        self.list_model = DocumentListModel(state, self)
        self.setModel(self.list_model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(FORMAT, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(STATUS, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(STATUS, 110)
        self.selectionModel().selectionChanged.connect(self._on_selection)
        self.bind(state)

    def bind(self, state: ProjectState) -> None:
        """Show `state` (a newly opened project) and follow its events."""
        self._subs.clear()
        self._state = state
        self._subs.connect(state.documents_changed, self._reload)
        self._subs.connect(state.selection_changed, self._follow_selection)
        self._reload()

    def _reload(self) -> None:
        self.list_model.bind(self._state)
        self._follow_selection()

    def _follow_selection(self) -> None:
        row = self.list_model.row_of(self._state.selected.id if self._state.selected else None)
        current = self.selectionModel().selectedRows()
        if row < 0:
            self.clearSelection()
        elif not current or current[0].row() != row:
            self.selectRow(row)

    def _on_selection(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        rows = self.selectionModel().selectedRows()
        doc = self.list_model.document(rows[0].row()) if rows else None
        current = self._state.selected.id if self._state.selected else None
        if doc is not None and doc.id != current:
            self._state.select(doc.id)

    def row_of(self, doc_id: str) -> int:
        return self.list_model.row_of(doc_id)
