"""The Embeddings panel in the real window: train a tiny embedding of the test project in the
background (live loss, Cancel), review predicted links with the keys, and see an accepted link
as an edge of the graph view and in the exported Turtle; a rejected one never comes back."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("PYSTOW_HOME",
                      str(Path(__file__).resolve().parents[3] / ".venv" / "pystow"))

from analysis_helpers import export_through_dialog, open_graph
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from rdflib import Dataset, URIRef
from rdflib.namespace import RDF

from desktop.qt.embeddings_panel import EmbeddingsPanel
from desktop.qt.main_window import MainWindow
from desktop.qt.worker import Job
from desktop.state.graph_text import edge_title, evidence_text
from kg.embed.storage import list_embeddings
from kg.rdf.vocab import SKEIN, relation_property

TRAIN_MS = 600_000
"""Training loads torch and PyKEEN in the worker: minutes on a busy 2-core machine."""


def wait_long(qtbot: QtBot, job: Job | None) -> None:
    assert job is not None
    with qtbot.waitSignal(job.done, timeout=TRAIN_MS):
        pass


def open_panel(window: MainWindow) -> EmbeddingsPanel:
    """View ▸ Embeddings (Ctrl+Shift+E)."""
    window.actions_.embeddings.trigger()
    assert window.analysis.embeddings_dock.isVisible()
    return window.analysis.embeddings_panel


def train(panel: EmbeddingsPanel, qtbot: QtBot, epochs: int) -> None:
    panel.dim_box.setValue(8)
    panel.epochs_box.setValue(epochs)
    qtbot.mouseClick(panel.train_button, Qt.MouseButton.LeftButton)
    assert panel.job is not None and panel.job.is_running()  # the click returned at once
    assert panel.cancel_button.isVisible() and not panel.train_button.isEnabled()


def test_cancel_stops_training_and_saves_nothing(window: MainWindow, qtbot: QtBot,
                                                 project_path: Path) -> None:
    panel = open_panel(window)
    assert "press Train" in panel.metrics.text()
    train(panel, qtbot, epochs=2000)
    job = panel.job
    assert job is not None
    qtbot.waitUntil(lambda: len(panel.state.losses) >= 1, timeout=TRAIN_MS)  # a live loss
    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    wait_long(qtbot, job)
    assert job.outcome == "cancelled" and panel.message.text().startswith("Cancelled")
    assert list_embeddings(project_path) == [] and panel.train_button.isEnabled()


def test_train_accept_and_reject_links(window: MainWindow, qtbot: QtBot,
                                       tmp_path: Path) -> None:
    window.state.annotation.user = "dana"
    panel = open_panel(window)
    train(panel, qtbot, epochs=3)
    wait_long(qtbot, panel.job)
    state = panel.state
    assert len(state.losses) == 3 and panel.loss.losses == state.losses
    assert "TransE, dim 8, 3 epochs" in panel.metrics.text()
    rows = panel.table.model().rowCount()
    assert rows == len(state.queue) >= 5 and "predicted links" in panel.summary.text()
    assert panel.evidence.toPlainText().startswith(state.queue[0].head_name)
    assert panel.similar_list.count() > 0 and panel.entity_box.currentData() == state.entity

    table = panel.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_J)
    assert state.index == 1 and table.currentIndex().row() == 1
    qtbot.keyClick(table, Qt.Key.Key_K)
    first, second = state.queue[:2]
    qtbot.keyClick(table, Qt.Key.Key_A)  # accept: an edge from now on
    assert state.queue[0] == second and table.model().rowCount() == rows - 1
    qtbot.mouseClick(panel.reject_button, Qt.MouseButton.LeftButton)  # reject: never again
    assert second not in state.queue and "rejected" in panel.message.text()

    # the accepted link is an edge of the graph view, with its own evidence
    view = open_graph(window, qtbot)
    graph = view.state.data.graph if view.state.data is not None else None
    assert graph is not None
    [edge] = [r for r in graph.relations() if r.predicted]
    assert (edge.head, edge.label, edge.tail) == first.triple
    assert view.state.visible.edge_visible((edge.head, edge.tail))
    view.state.select_edge((edge.head, edge.tail))
    found = view.state.evidence()
    assert any(ev.predicted for ev in found)
    text = evidence_text(next(ev for ev in found if ev.predicted))
    assert text.startswith("accepted link prediction") and "accepted by dana" in text
    assert first.model in text and "accepted link prediction" in edge_title(view.state, found)

    # and a fact of the exported Turtle, with its reified assertion
    out = tmp_path / "linked.ttl"
    export_through_dialog(window, qtbot, "turtle", out)
    ds = Dataset()
    ds.parse(data=out.read_bytes(), format="turtle")
    base = f"urn:skein:project:{window.state.project.project_id}:"
    head, tail = URIRef(f"{base}entity/{first.head}"), URIRef(f"{base}entity/{first.tail}")
    assert (head, relation_property(first.relation), tail) in ds.default_graph
    assert any(ds.default_graph.triples((None, RDF.type, SKEIN.AcceptedLink)))

    # read the saved model again: neither decided link is offered
    window.actions_.embeddings.trigger()
    qtbot.mouseClick(panel.refresh_button, Qt.MouseButton.LeftButton)
    wait_long(qtbot, panel.job)
    again = {p.triple for p in state.queue}
    assert first.triple not in again and second.triple not in again and again
    assert "changed since it was trained" in panel.metrics.text()
