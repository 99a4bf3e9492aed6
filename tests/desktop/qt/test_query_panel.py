"""The SPARQL panel in the real window: Ctrl+Enter runs through the worker and the table
shows what the core returns; refusals and errors in words; examples, saved queries, CSV,
cancel."""

from __future__ import annotations

from pathlib import Path

from analysis_helpers import run_query, wait
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from desktop.qt.main_window import MainWindow
from desktop.qt.query_panel import QueryPanel
from desktop.state.query_examples import EXAMPLES
from kg.query.output import render
from kg.query.sparql import run_query as core_query
from kg.query.store import load_index

PEOPLE = ("SELECT ?name ?entity ?type WHERE { ?entity a skein:Person , ?type ; rdfs:label ?name }"
          " ORDER BY ?name ?type")


def panel_of(window: MainWindow) -> QueryPanel:
    window.actions_.queries.trigger()
    assert window.analysis.query_dock.isVisible()
    return window.analysis.query_panel


def table_text(panel: QueryPanel) -> list[list[str]]:
    model = panel.table.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def test_ctrl_enter_shows_the_rows_the_core_returns(window: MainWindow, qtbot: QtBot) -> None:
    assert window.actions_.queries.shortcut() == QKeySequence("Ctrl+Shift+Q")
    panel = panel_of(window)
    run_query(panel, qtbot, PEOPLE)
    core = core_query(load_index(window.state.project), PEOPLE)
    model = panel.table.model()
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == \
        ["name", "entity", "type"]
    assert len(core.rows) == model.rowCount() == 10  # 5 people, each Person and Entity
    rows = table_text(panel)
    assert [r[0] for r in rows] == [str(row[0]) for row in core.rows]
    assert rows[0][1].startswith("proj:entity/e-")  # the project's IRIs, shortened
    assert {r[2] for r in rows} == {"skein:Entity", "skein:Person"}
    full = model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert str(core.rows[0][1]) in full  # the whole IRI on hover
    assert panel.status.text().startswith("10 rows in ")
    assert panel.csv_button.isEnabled()


def test_a_service_query_is_refused_in_words(window: MainWindow, qtbot: QtBot) -> None:
    panel = panel_of(window)
    run_query(panel, qtbot, PEOPLE)
    assert panel.table.model().rowCount() == 10
    run_query(panel, qtbot, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert panel.status.text() == "SERVICE is not allowed: queries may not reach the network"
    assert panel.table.model().rowCount() == 0 and not panel.csv_button.isEnabled()
    run_query(panel, qtbot, "SELECT ?s WHERE { ?s ?p }")
    assert panel.status.text().startswith("invalid SPARQL")


def test_examples_saved_queries_and_csv(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    panel = panel_of(window)
    index = panel.examples.findText("Most-mentioned entities")
    panel.examples.setCurrentIndex(index)
    panel.examples.activated.emit(index)
    text = panel.editor.toPlainText()
    assert text == next(e.text for e in EXAMPLES if e.name == "Most-mentioned entities")
    run_query(panel, qtbot, text)
    assert table_text(panel)[0][:3] == ["John Smith", "skein:Person", "2"]
    out = tmp_path / "most.csv"
    assert panel.export_csv(out)
    outcome = panel.state.outcome
    assert outcome is not None and outcome.result is not None
    assert out.read_bytes() == render(outcome.result, "csv").encode("utf-8")
    assert out.read_bytes().startswith(b"name,type,mentions,entity\r\n")  # RFC 4180 ends
    assert panel.save_query("top names")
    assert panel.saved.itemText(0) == "Saved queries (1)"
    assert panel.saved.currentText() == "top names"
    panel.editor.setPlainText("")
    panel.saved.activated.emit(panel.saved.currentIndex())
    assert panel.editor.toPlainText() == text
    assert [q.name for q in panel.state.saved()] == ["top names"]  # in the project file
    assert panel.delete_query() and panel.saved.itemText(0) == "Saved queries (0)"


def test_cancel_stops_a_long_query(window: MainWindow, qtbot: QtBot) -> None:
    panel = panel_of(window)
    panel.editor.setPlainText(
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    job = panel.job
    assert job is not None and not panel.run_button.isEnabled()
    qtbot.waitUntil(lambda: panel.status.text() == "Running the query…", timeout=60_000)
    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    wait(qtbot, job)
    assert job.outcome == "cancelled" and panel.status.text() == "Query cancelled."
    assert panel.run_button.isEnabled()
