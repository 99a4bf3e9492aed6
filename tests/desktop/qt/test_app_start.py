"""`skein` with no argument: the window opens on the project with its text highlighted
and the graph view beside it (what `run_app(..., show_graph=True)` does)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.qt.app import run_app
from desktop.qt.main_window import MainWindow


def test_the_app_opens_with_text_and_graph(qtbot: QtBot, project_path: Path) -> None:
    seen: dict[str, object] = {}

    def look() -> None:
        window = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, MainWindow) and w.isVisible())
        graph = window.analysis.graph_view
        qtbot.waitUntil(lambda: graph.state.data is not None and graph.job is None,
                        timeout=60_000)
        seen["graph shown"] = window.analysis.graph_dock.isVisible()
        seen["nodes"] = len(graph.state.visible)
        seen["mentions"] = len(window.state.mentions)
        seen["text has focus"] = window.document_view.text.hasFocus()
        QApplication.quit()

    QTimer.singleShot(0, look)
    assert run_app(project_path, show_graph=True) == 0
    assert seen["graph shown"] is True
    assert isinstance(seen["nodes"], int) and seen["nodes"] > 0
    assert isinstance(seen["mentions"], int) and seen["mentions"] > 0
    assert seen["text has focus"] is True
