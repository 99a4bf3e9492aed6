"""One session in the real window on a sample-like project (three documents read by the
rule-based extractor, one broken file), step by step as a user would go:

1. look at the graph (Ctrl+G), find an entity, click it: the text shows its mention;
2. add an entity by keyboard (select, ``o``), then undo it (Ctrl+Z): the project file
   holds it, then does not;
3. ask a question in SPARQL (Ctrl+Shift+Q, Ctrl+Enter): the table answers;
4. export Turtle (Ctrl+E): the file parses and holds the project's triples.

Each step is a function, so more steps (annotating by keyboard, retraining) can be added
between them.
"""

from __future__ import annotations

from pathlib import Path

import rdflib
from analysis_helpers import export_through_dialog, node_named, open_graph, run_query
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from test_annotation_qt import CTRL, mention_rows, open_doc, select_text

from desktop.qt.main_window import MainWindow
from desktop.state.query_examples import EXAMPLES


def look_at_the_graph(window: MainWindow, qtbot: QtBot) -> None:
    view = open_graph(window, qtbot)
    qtbot.keyClicks(view.tools.search, "acme")
    qtbot.keyClick(view.tools.search, Qt.Key.Key_Return)
    acme = node_named(view, "Acme Corp")
    assert view.state.selected == (acme,)
    view.state.show_mentions(acme)  # what a click on the selected node does
    assert window.document_view.text.textCursor().selectedText() == "Acme Corp"


def annotate_and_undo(window: MainWindow, qtbot: QtBot) -> None:
    open_doc(window, "alpha.txt")
    path = window.state.path
    select_text(window, "Siemens AG")
    qtbot.keyClick(window.document_view.text, Qt.Key.Key_O)
    assert mention_rows(path, "Siemens AG") == [("ORG", "accepted", None)]
    qtbot.keyClick(window.document_view.text, Qt.Key.Key_Z, CTRL)
    assert mention_rows(path, "Siemens AG") == []


def ask_in_sparql(window: MainWindow, qtbot: QtBot) -> list[str]:
    window.actions_.queries.trigger()
    panel = window.analysis.query_panel
    text = next(e.text for e in EXAMPLES if e.name == "Relations with provenance")
    run_query(panel, qtbot, text)
    model = panel.table.model()
    assert model.rowCount() == 4 and panel.status.text().startswith("4 rows")
    return [model.index(r, 1).data() for r in range(model.rowCount())]


def export_turtle(window: MainWindow, qtbot: QtBot, out: Path) -> int:
    dialog = export_through_dialog(window, qtbot, "turtle", out)
    assert dialog.export_result is not None
    count = len(rdflib.Graph().parse(out, format="turtle"))
    assert count == dialog.export_result.count
    dialog.close()
    return count


def test_graph_query_and_export_in_one_session(window: MainWindow, qtbot: QtBot,
                                               tmp_path: Path) -> None:
    look_at_the_graph(window, qtbot)
    annotate_and_undo(window, qtbot)
    relations = ask_in_sparql(window, qtbot)
    assert sorted(relations) == ["Live_In", "Live_In", "OrgBased_In", "Work_For"]
    triples = export_turtle(window, qtbot, tmp_path / "session.ttl")
    assert triples > 100
