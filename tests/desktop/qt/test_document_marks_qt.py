"""The document view's relation hints and review marks, the relations list, a query row
jumping to its entity's mentions, and the settings dialog, in the real window."""

from __future__ import annotations

from pathlib import Path

from analysis_helpers import run_query
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QKeySequence, QTextCursor
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from desktop.qt import settings
from desktop.qt.main_window import MainWindow
from desktop.qt.settings_dialog import SettingsDialog
from desktop.state.preferences import Preferences
from desktop.state.query_examples import EXAMPLES
from desktop.state.text_marks import RELATION_COLOUR, REVIEWED_COLOUR


def open_doc(window: MainWindow, name: str) -> None:
    window.state.select(next(d.id for d in window.state.documents
                             if Path(d.source).name == name))


def pixel(window: MainWindow, point: QPoint) -> str:
    view = window.document_view.text
    view.viewport().repaint()
    return QColor(view.viewport().grab().toImage().pixel(point)).name()


def test_relation_hints_in_the_text_and_the_list(window: MainWindow, qtbot: QtBot) -> None:
    open_doc(window, "alpha.txt")
    view = window.document_view.text
    paris = next(m for m in window.state.mentions if m.text == "Paris")
    macron = next(m for m in window.state.mentions if m.text == "Emmanuel Macron")
    [rect] = view.span_rects(paris.start, paris.end)
    bar = QPoint(rect.center().x(), rect.bottom())
    assert pixel(window, bar) == RELATION_COLOUR[0]  # a bar under a mention in a relation
    merkel = next(m for m in window.state.mentions if m.text == "Angela Merkel")
    [plain_rect] = view.span_rects(merkel.start, merkel.end)
    assert pixel(window, QPoint(plain_rect.center().x(), plain_rect.bottom())) != \
        RELATION_COLOUR[0]  # none under one without
    hover = view.hover_text(rect.center())
    assert hover is not None and hover.startswith("LOC · confidence ")
    assert hover.endswith("\n←Live_In— “Emmanuel Macron” (suggested 0.40)")

    relations = window.mentions_panel.relations
    assert relations.title.text() == "Relations in this document: 1"
    cells = [relations.table.item(0, c).text() for c in range(5)]
    assert cells == ["Emmanuel Macron", "Live_In", "Paris", "0.40", "suggested"]
    window.state.focus(paris)  # picked in the text: its relations are selected in the list
    assert [i.row() for i in relations.table.selectionModel().selectedRows()] == [0]
    window.state.focus(merkel)
    assert relations.table.selectionModel().selectedRows() == []
    qtbot.mouseClick(relations.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=relations.table.visualRect(relations.table.model().index(0, 1)).center())
    assert window.state.focused == macron  # a row shows its head in the text
    assert view.textCursor().selectedText() == "Emmanuel Macron"

    open_doc(window, "empty.pdf")  # a failed document: no marks, an empty list
    assert relations.title.text() == "No relations in this document"
    assert view.marks.hints == ()


def test_v_marks_the_sentence_reviewed_in_the_margin(window: MainWindow, qtbot: QtBot) -> None:
    open_doc(window, "alpha.txt")
    view = window.document_view.text
    offset = window.state.text.index("Microsoft")
    cursor = QTextCursor(view.document())
    cursor.setPosition(window.state.offsets.to_qt(offset))
    view.setTextCursor(cursor)
    view.setFocus()
    line = view.cursorRect(cursor).center().y()
    margin = QPoint(5, line)
    assert pixel(window, margin) != REVIEWED_COLOUR[0]
    assert view.margin_tooltip(margin) is None
    qtbot.keyClick(view, Qt.Key.Key_V)
    assert window.statusBar().currentMessage().startswith("Saved: mark “Barack Obama visited")
    assert pixel(window, margin) == REVIEWED_COLOUR[0]
    assert view.margin_tooltip(margin) == "Sentence reviewed (v in it takes the mark off)"
    first_line = view.cursorRect(QTextCursor(view.document())).center().y()
    assert pixel(window, QPoint(5, first_line)) != REVIEWED_COLOUR[0]  # only that sentence
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert pixel(window, margin) != REVIEWED_COLOUR[0]


def test_a_query_row_shows_its_entity_in_the_text(window: MainWindow, qtbot: QtBot) -> None:
    window.actions_.queries.trigger()
    panel = window.analysis.query_panel
    text = next(e.text for e in EXAMPLES if e.name == "Most-mentioned entities")
    run_query(panel, qtbot, text)
    model = panel.table.model()
    assert model.index(0, 0).data() == "John Smith"
    shown = []
    for _ in range(2):  # a name cell: the row's entity; again: its next mention
        qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton,
                         pos=panel.table.visualRect(model.index(0, 0)).center())
        focused, selected = window.state.focused, window.state.selected
        assert focused is not None and focused.text == "John Smith" and selected is not None
        assert window.document_view.text.textCursor().selectedText() == "John Smith"
        shown.append(Path(selected.source).name)
    assert sorted(shown) == ["emoji.txt", "markup.txt"]
    run_query(panel, qtbot, "SELECT ?n WHERE { VALUES ?n { 1 } }")
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=panel.table.visualRect(panel.table.model().index(0, 0)).center())
    assert panel.status.text() == "This row names no entity, mention or document of the project."


def test_settings_dialog_saves_and_applies(window: MainWindow, qtbot: QtBot) -> None:
    assert QKeySequence("Ctrl+,") in window.actions_.settings.shortcuts()
    window.actions_.settings.trigger()
    dialog = window.settings_dialog
    assert isinstance(dialog, SettingsDialog) and dialog.isVisible()
    assert dialog.preferences() == Preferences("rules")  # $SKEIN_EXTRACTOR in the tests
    assert all(label.textFormat() == Qt.TextFormat.PlainText
               for label in dialog.findChildren(QLabel))
    open_doc(window, "alpha.txt")
    before = window.mentions_panel.model().rowCount()
    dialog.device.setCurrentIndex(dialog.device.findData("cpu"))
    dialog.min_confidence.setValue(0.3)
    dialog.show_confidence.setValue(0.95)
    dialog.accept()
    assert settings.load_preferences() == Preferences("rules", "cpu", 0.3, 0.95)
    assert window.state.preferences == Preferences("rules", "cpu", 0.3, 0.95)
    after = window.mentions_panel.model().rowCount()
    assert after < before
    assert all(m.confidence >= 0.95 or m.status != "suggested" for m in window.state.mentions)
    assert "imports use rules on cpu" in window.statusBar().currentMessage()
