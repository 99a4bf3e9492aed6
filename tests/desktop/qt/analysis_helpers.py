"""Steps the graph, query and export tests share (and the end-to-end test builds on)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from pytestqt.qtbot import QtBot

from desktop.qt.export_dialog import ExportDialog
from desktop.qt.graph_view import GraphView
from desktop.qt.main_window import MainWindow
from desktop.qt.query_panel import QueryPanel
from desktop.qt.worker import Job

WAIT_MS = 60_000


def wait(qtbot: QtBot, job: Job | None) -> None:
    """Let `job` run to its end (the fixtures fail a test that leaves a worker running)."""
    assert job is not None
    with qtbot.waitSignal(job.done, timeout=WAIT_MS):
        pass


def open_graph(window: MainWindow, qtbot: QtBot) -> GraphView:
    """View > Graph (Ctrl+G), then wait for the graph to load."""
    window.actions_.graph.trigger()
    view = window.analysis.graph_view
    assert window.analysis.graph_dock.isVisible()
    if view.job is not None:
        wait(qtbot, view.job)
    assert view.state.data is not None
    qtbot.waitUntil(lambda: view.canvas.viewport().width() > 150)
    view.canvas.fit()
    return view


def node_named(view: GraphView, name: str) -> str:
    return next(n for n in view.state.visible.node_ids if view.state.entity(n).name == name)


def on_screen(view: GraphView, node: str) -> QPoint:
    """Where `node`'s centre is in the canvas's viewport."""
    return view.canvas.mapFromScene(QPointF(*view.state.visible.xy(node)))


def run_query(panel: QueryPanel, qtbot: QtBot, text: str) -> None:
    """Type `text` into the editor and press Ctrl+Enter; wait for the result."""
    panel.editor.setFocus()
    panel.editor.setPlainText(text)
    qtbot.keyClick(panel.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert panel.editor.toPlainText() == text  # Ctrl+Enter ran it, it added no line
    wait(qtbot, panel.job)


def export_through_dialog(window: MainWindow, qtbot: QtBot, fmt: str, out: Path
                          ) -> ExportDialog:
    """File > Export…, pick `fmt` and `out`, press Export, wait."""
    window.actions_.export.trigger()
    dialog = window.analysis.export_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.format.setCurrentIndex(dialog.format.findData(fmt))
    dialog.path.setText(str(out))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    wait(qtbot, dialog.job)
    return dialog
