"""`skein` with no argument: the window opens on the project with its text highlighted
and the graph view beside it (what `run_app(..., show_graph=True)` shows before it enters
the event loop; the loop itself is not entered here, since a quit application stops
delivering the worker's signals to every later test in the process)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from desktop.qt.app import open_window


def test_the_app_opens_with_text_and_graph(qtbot: QtBot, project_path: Path) -> None:
    window = open_window(project_path, show_graph=True)
    assert window is not None
    qtbot.addWidget(window)
    graph = window.analysis.graph_view
    qtbot.waitUntil(lambda: graph.state.data is not None and graph.job is None,
                    timeout=60_000)
    assert window.isVisible()
    assert window.analysis.graph_dock.isVisible()
    assert len(graph.state.visible) > 0
    assert len(window.state.mentions) > 0
    assert window.document_view.text.hasFocus()


def test_a_project_that_cannot_open_returns_no_window(tmp_path: Path, qtbot: QtBot,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []

    def record(box: QMessageBox) -> int:
        shown.append(box.text())
        return 0

    monkeypatch.setattr(QMessageBox, "exec", record)
    broken = tmp_path / "broken.skein"
    broken.write_bytes(b"not a project")
    assert open_window(broken) is None
    assert shown and "broken.skein" in shown[0]
