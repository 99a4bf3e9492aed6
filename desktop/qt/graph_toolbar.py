"""The graph view's toolbar: find, type filter, document filter, minimum confidence, node
size metric, colour mode, fit, show all, relayout and export image. Each widget forwards
to `GraphState` (or to the view, for the actions); `sync` refills the choices that depend on
the loaded graph."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPushButton,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.qt import plain
from desktop.state.graph_state import GraphState
from desktop.state.graph_style import COLOUR_MODES, SIZE_METRICS

ALL_DOCUMENTS = "All documents"


def _combo(parent: QWidget, items: dict[str, str], tip: str) -> QComboBox:
    combo = QComboBox(parent)
    for key, text in items.items():
        combo.addItem(text, key)
    combo.setToolTip(tip)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo


class GraphToolbar(QWidget):
    def __init__(self, state: GraphState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Find entity…  (Enter)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(180)
        self.types_button = QToolButton(self)
        self.types_button.setText("Types")
        self.types_button.setToolTip("Entity types to show")
        self.types_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.types_menu = QMenu(self.types_button)
        self.types_button.setMenu(self.types_menu)
        self.type_actions: dict[str, QAction] = {}
        self.document = QComboBox(self)
        self.document.setToolTip("Only entities and relations of one document")
        self.document.setMaximumWidth(260)
        self.confidence = QSlider(Qt.Orientation.Horizontal, self)
        self.confidence.setRange(0, 100)
        self.confidence.setMaximumWidth(140)
        self.confidence.setToolTip("Hide relations below this confidence")
        self.confidence.setTracking(False)  # filter on release; the label follows the drag
        self.confidence_label = plain.label("", self)
        self.size_by = _combo(self, {k: f"Size: {v}" for k, v in SIZE_METRICS.items()},
                              "Node size from this centrality")
        self.colour_by = _combo(self, {k: f"Colour: {v[0]}" for k, v in COLOUR_MODES.items()},
                                "Node colour by entity type or by Louvain community")
        self.fit = QPushButton("Fit", self)
        self.fit.setToolTip("Show every visible node (0)")
        self.show_all = QPushButton("Show all", self)
        self.show_all.setToolTip("Show hidden nodes again; forget expanded ones")
        self.relayout = QPushButton("Relayout", self)
        self.relayout.setToolTip("Lay out the visible nodes again (pinned nodes stay put)")
        self.export = QPushButton("Export image…", self)
        self.export.setToolTip("Save what the canvas shows as PNG or SVG")

        first, second = QHBoxLayout(), QHBoxLayout()
        row: tuple[QWidget, ...] = (self.search, self.types_button, self.document,
                                    self.confidence, self.confidence_label)
        for widget in row:
            first.addWidget(widget)
        first.addStretch(1)
        row = (self.size_by, self.colour_by, self.fit, self.show_all, self.relayout, self.export)
        for widget in row:
            second.addWidget(widget)
        second.addStretch(1)
        rows = QVBoxLayout(self)
        rows.setContentsMargins(4, 4, 4, 0)
        rows.setSpacing(4)
        rows.addLayout(first)
        rows.addLayout(second)

        self.confidence.valueChanged.connect(self._confidence_changed)
        self.confidence.sliderMoved.connect(self._show_confidence)
        self.document.activated.connect(self._document_chosen)
        self.size_by.activated.connect(
            lambda i: self.state.set_size_by(str(self.size_by.itemData(i))))
        self.colour_by.activated.connect(
            lambda i: self.state.set_colour_by(str(self.colour_by.itemData(i))))
        self._confidence_changed(0)

    def bind(self, state: GraphState) -> None:
        self.state = state
        self.sync()

    def connect_actions(self, find: Callable[[], object], fit: Callable[[], object],
                        show_all: Callable[[], object], relayout: Callable[[], object],
                        export: Callable[[], object]) -> None:
        self.search.returnPressed.connect(find)
        self.fit.clicked.connect(fit)
        self.show_all.clicked.connect(show_all)
        self.relayout.clicked.connect(relayout)
        self.export.clicked.connect(export)

    def sync(self) -> None:
        """Refill the type menu and document list from the state; show its choices."""
        state = self.state
        self.types_menu.clear()
        self.type_actions = {}
        for label in state.entity_types():
            action = self.types_menu.addAction(label)
            action.setCheckable(True)
            action.setChecked(state.filters.types is None or label in state.filters.types)
            action.toggled.connect(self._types_changed)
            self.type_actions[label] = action
        self.document.clear()
        self.document.addItem(ALL_DOCUMENTS, None)
        if state.data is not None:
            for doc in state.data.graph.documents():
                if doc.status != "failed":
                    self.document.addItem(doc.title or doc.source, doc.id)
        index = self.document.findData(state.filters.document)
        self.document.setCurrentIndex(max(index, 0))
        self.size_by.setCurrentIndex(max(self.size_by.findData(state.size_by), 0))
        self.colour_by.setCurrentIndex(max(self.colour_by.findData(state.colour_by), 0))
        self.confidence.setValue(round(state.filters.min_confidence * 100))
        enabled = state.data is not None
        widgets: tuple[QWidget, ...] = (
            self.search, self.types_button, self.document, self.confidence, self.size_by,
            self.colour_by, self.fit, self.show_all, self.relayout, self.export)
        for widget in widgets:
            widget.setEnabled(enabled)

    def _types_changed(self) -> None:
        chosen = [label for label, a in self.type_actions.items() if a.isChecked()]
        everything = len(chosen) == len(self.type_actions)
        self.state.set_types(None if everything else chosen)
        count = "all" if everything else str(len(chosen))
        self.types_button.setText(f"Types ({count})")

    def _show_confidence(self, value: int) -> None:
        self.confidence_label.setText(f"relations ≥ {value / 100:.2f}")

    def _confidence_changed(self, value: int) -> None:
        self._show_confidence(value)
        if self.state.data is not None and abs(self.state.filters.min_confidence
                                               - value / 100) > 1e-9:
            self.state.set_min_confidence(value / 100)

    def _document_chosen(self, index: int) -> None:
        doc = self.document.itemData(index)
        self.state.set_document(doc if isinstance(doc, str) else None)
