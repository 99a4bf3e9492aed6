"""File > Export… in the real window: every registered format is offered; Turtle written
through the dialog parses and holds what `kg.rdf.formats.export` writes; GraphML reports
nodes and edges; bad folders are refused in words; pushing goes to a real (local) server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest
import rdflib
from analysis_helpers import export_through_dialog, wait
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from desktop.qt.main_window import MainWindow
from kg.query.store import project_base
from kg.rdf.formats import FORMATS, export
from kg.store.reads import snapshot


def test_every_format_is_offered(window: MainWindow) -> None:
    assert window.actions_.export.shortcut() == QKeySequence("Ctrl+E")
    window.actions_.export.trigger()
    dialog = window.analysis.export_dialog
    assert dialog is not None
    offered = [dialog.format.itemData(i) for i in range(dialog.format.count())]
    assert sorted(offered) == sorted(FORMATS)
    dialog.format.setCurrentIndex(dialog.format.findData("gexf"))
    assert dialog.path.text().endswith("-graph.gexf")
    assert "graph tools" in dialog.about.text()
    dialog.close()


def test_turtle_through_the_dialog_matches_the_core(window: MainWindow, qtbot: QtBot,
                                                     tmp_path: Path) -> None:
    out = tmp_path / "graph.ttl"
    dialog = export_through_dialog(window, qtbot, "turtle", out)
    result = dialog.export_result
    assert result is not None and result.unit == "triples"
    parsed = rdflib.Graph().parse(out, format="turtle")
    project = window.state.project
    reference = export(snapshot(project), "turtle", tmp_path / "core.ttl",
                       base=project_base(project))
    assert len(parsed) == result.count == reference.count > 100
    assert parsed.isomorphic(rdflib.Graph().parse(tmp_path / "core.ttl", format="turtle"))
    assert dialog.report.text().startswith(f"Wrote {result.count:,} triples (")
    assert dialog.report.text().endswith("to graph.ttl")
    dialog.close()


def test_graphml_reports_nodes_and_edges(window: MainWindow, qtbot: QtBot,
                                         tmp_path: Path) -> None:
    dialog = export_through_dialog(window, qtbot, "graphml", tmp_path / "g.graphml")
    assert dialog.export_result is not None
    assert (tmp_path / "g.graphml").read_text(encoding="utf-8").count("<node ") == 14
    assert "14 nodes and 4 edges" in dialog.report.text()
    dialog.close()


def test_a_missing_folder_is_refused(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    window.actions_.export.trigger()
    dialog = window.analysis.export_dialog
    assert dialog is not None
    dialog.path.setText(str(tmp_path / "no" / "such" / "out.ttl"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.job is None
    assert dialog.report.text() == f"The folder {tmp_path / 'no' / 'such'} does not exist."
    dialog.close()


class _Store(BaseHTTPRequestHandler):
    """A Graph Store endpoint that keeps what is PUT (N-Triples), per graph."""

    received: ClassVar[dict[str, bytes]] = {}

    def do_PUT(self) -> None:
        graph = parse_qs(urlsplit(self.path).query)["graph"][0]
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received[graph] = body
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def store() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Store)
    _Store.received = {}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/store"
    server.shutdown()
    server.server_close()


def test_push_to_a_graph_store(window: MainWindow, qtbot: QtBot, store: str) -> None:
    pytest.importorskip("kg.rdf.push")  # offered only where this build has it
    window.actions_.export.trigger()
    dialog = window.analysis.export_dialog
    assert dialog is not None and dialog.push_box is not None
    dialog.push_box.endpoint.setText(store)
    qtbot.mouseClick(dialog.push_box.push_button, Qt.MouseButton.LeftButton)
    wait(qtbot, dialog.job)
    ((graph, body),) = _Store.received.items()
    triples = rdflib.Graph().parse(data=body.decode("utf-8"), format="nt")
    assert graph.startswith(project_base(window.state.project))
    assert dialog.report.text().startswith(f"Pushed {len(triples):,} triples to graph <{graph}>")
    dialog.push_box.endpoint.setText("ftp://example.org/store")
    qtbot.mouseClick(dialog.push_box.push_button, Qt.MouseButton.LeftButton)
    wait(qtbot, dialog.job)
    assert dialog.report.text().startswith("Push failed:")
    assert "http:// or https://" in dialog.report.text()
    dialog.close()
