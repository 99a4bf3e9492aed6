"""The main window's analysis tools: the graph view, the SPARQL panel and the Embeddings
panel (tabbed docks along the bottom, hidden until asked for) and the export dialog. Kept apart from
`main_window` so that the window only creates, binds and shuts down this one object."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from desktop.qt.embeddings_panel import EmbeddingsPanel
from desktop.qt.export_dialog import ExportDialog
from desktop.qt.graph_view import GraphView
from desktop.qt.query_panel import QueryPanel
from desktop.qt.training_panel import TrainingPanel
from desktop.state import ProjectState

SHARE = 0.55
"""Share of the window's height the bottom docks take when one is opened."""


class AnalysisDocks(QObject):
    def __init__(self, window: QMainWindow, state: ProjectState) -> None:
        super().__init__(window)
        self.window = window
        self.graph_view = GraphView(state, window)
        self.query_panel = QueryPanel(state, window)
        self.graph_dock = self._dock("Graph", "graph", self.graph_view)
        self.query_dock = self._dock("SPARQL", "queries", self.query_panel)
        self.embeddings_panel = EmbeddingsPanel(state, window)
        self.embeddings_dock = self._dock("Embeddings", "embeddings", self.embeddings_panel)
        window.tabifyDockWidget(self.graph_dock, self.query_dock)
        self.training_panel = TrainingPanel(state, window)
        self.training_dock = self._dock("Model and training", "training", self.training_panel)
        window.tabifyDockWidget(self.query_dock, self.embeddings_dock)
        window.tabifyDockWidget(self.embeddings_dock, self.training_dock)
        self.export_dialog: ExportDialog | None = None
        for dock in self.docks():
            dock.hide()

    def _dock(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self.window)
        dock.setObjectName(name)
        dock.setWidget(widget)
        widget.setAcceptDrops(False)  # drops go to the window: they import
        self.window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        return dock

    def docks(self) -> list[QDockWidget]:
        return [self.graph_dock, self.query_dock, self.embeddings_dock, self.training_dock]

    def bind(self, state: ProjectState) -> None:
        """Show the project just opened (stops work still running on the previous one)."""
        if self.export_dialog is not None:
            self.export_dialog.shutdown()
            self.export_dialog.close()
            self.export_dialog = None
        self.graph_view.bind(state)
        self.query_panel.bind(state)
        self.embeddings_panel.bind(state)
        self.training_panel.bind(state)

    def shutdown(self) -> None:
        """Stop and wait for background work (the window is closing)."""
        self.graph_view.shutdown()
        self.query_panel.shutdown()
        self.embeddings_panel.shutdown()
        self.training_panel.shutdown()
        if self.export_dialog is not None:
            self.export_dialog.shutdown()

    # -- user intent --------------------------------------------------------------------------
    def show_graph(self) -> GraphView:
        self._raise(self.graph_dock)
        self.graph_view.canvas.setFocus()
        return self.graph_view

    def show_queries(self) -> QueryPanel:
        self._raise(self.query_dock)
        self.query_panel.editor.setFocus()
        return self.query_panel

    def show_embeddings(self) -> EmbeddingsPanel:
        self._raise(self.embeddings_dock)
        self.embeddings_panel.table.setFocus()
        return self.embeddings_panel

    def show_training(self) -> TrainingPanel:
        self._raise(self.training_dock)
        self.training_panel.versions_table.setFocus()
        return self.training_panel

    def show_export(self, state: ProjectState) -> ExportDialog:
        dialog = self.export_dialog
        if dialog is None or dialog.state is not state:
            dialog = self.export_dialog = ExportDialog(state, self.window)
        dialog.show()
        dialog.raise_()
        return dialog

    def _raise(self, dock: QDockWidget) -> None:
        was_hidden = not dock.isVisible()
        dock.show()
        dock.raise_()
        if was_hidden and not dock.isFloating():
            height = int(self.window.height() * SHARE)
            self.window.resizeDocks([dock], [height], Qt.Orientation.Vertical)
