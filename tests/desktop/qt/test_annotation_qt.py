"""Annotating in the real window: keys in the text, the mentions panel, the review queue,
Undo/Redo, relations. Every edit is checked in the project file (a second, read-only
connection) and on screen."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QTextCursor
from pytestqt.qtbot import QtBot

from desktop.qt.main_window import MainWindow
from desktop.qt.mentions_panel import STATUS
from desktop.qt.relation_dialog import RelationDialog

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def saved(path: Path, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Read the project file through its own connection: what is committed on disk."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def mention_rows(path: Path, text: str) -> list[tuple[Any, ...]]:
    return saved(path, "SELECT label, status, model FROM mentions WHERE text = ?", (text,))


def open_doc(window: MainWindow, name: str) -> None:
    window.state.select(next(d.id for d in window.state.documents
                             if Path(d.source).name == name))


def select_text(window: MainWindow, text: str) -> tuple[int, int]:
    """Select `text` in the document view as a mouse drag would, and give it the focus."""
    view = window.document_view.text
    start = window.state.text.index(text)
    cursor = QTextCursor(view.document())
    cursor.setPosition(window.state.offsets.to_qt(start))
    cursor.setPosition(window.state.offsets.to_qt(start + len(text)),
                       QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    view.setFocus()
    return start, start + len(text)


def point_of(window: MainWindow, offset: int) -> QPoint:
    view = window.document_view.text
    cursor = QTextCursor(view.document())
    cursor.setPosition(window.state.offsets.to_qt(offset) + 1)
    return view.cursorRect(cursor).center()


def click_mention(window: MainWindow, qtbot: QtBot, text: str) -> None:
    start = window.state.text.index(text)
    view = window.document_view.text
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point_of(window, start))
    assert window.state.focused is not None and window.state.focused.text == text


def char_format(window: MainWindow, offset: int) -> Any:
    cursor = QTextCursor(window.document_view.text.document())
    cursor.setPosition(window.state.offsets.to_qt(offset) + 1)
    return cursor.charFormat()


def panel_rows(window: MainWindow) -> list[tuple[str, str, str]]:
    model = window.mentions_panel.model()
    return [(model.index(r, 0).data(), model.index(r, 1).data(), model.index(r, STATUS).data())
            for r in range(model.rowCount())]


@pytest.fixture
def path(window: MainWindow) -> Path:
    window.activateWindow()
    open_doc(window, "alpha.txt")
    return window.state.path


def test_select_text_press_a_label_key_then_undo_and_redo(
        window: MainWindow, qtbot: QtBot, path: Path) -> None:
    start, _ = select_text(window, "Siemens AG")
    qtbot.keyClick(window.document_view.text, Qt.Key.Key_O)
    assert mention_rows(path, "Siemens AG") == [("ORG", "accepted", None)]
    fmt = char_format(window, start)
    assert fmt.background().color() == QColor(window.state.colour("ORG"))
    assert fmt.fontUnderline()  # confirmed: underlined
    assert not char_format(window, window.state.text.index("Paris")).fontUnderline()
    assert ("Siemens AG", "ORG", "added") in panel_rows(window)
    assert window.actions_.undo.isEnabled()
    assert window.actions_.undo.text() == "Undo add ORG “Siemens AG”"
    assert window.statusBar().currentMessage() == "Saved: add ORG “Siemens AG”"

    qtbot.keyClick(window.document_view.text, Qt.Key.Key_Z, CTRL)
    assert mention_rows(path, "Siemens AG") == []
    assert ("Siemens AG", "ORG", "added") not in panel_rows(window)
    assert not char_format(window, start).fontUnderline()  # only the suggestion around it
    assert window.actions_.redo.isEnabled() and not window.actions_.undo.isEnabled()

    qtbot.keyClick(window.document_view.text, Qt.Key.Key_Z, CTRL | SHIFT)
    assert mention_rows(path, "Siemens AG") == [("ORG", "accepted", None)]
    assert ("Siemens AG", "ORG", "added") in panel_rows(window)
    actions = saved(path, "SELECT action FROM corrections ORDER BY id")
    assert actions == [("add_mention",), ("undo",), ("redo",)]


def test_keys_on_a_clicked_mention(window: MainWindow, qtbot: QtBot, path: Path) -> None:
    view = window.document_view.text
    click_mention(window, qtbot, "Microsoft")
    qtbot.keyClick(view, Qt.Key.Key_2)  # MISC -> ORG
    assert mention_rows(path, "Microsoft") == [("ORG", "accepted", "rule-baseline@0.1")]
    assert ("Microsoft", "ORG", "accepted") in panel_rows(window)
    paris = window.state.text.index("Paris")
    click_mention(window, qtbot, "Paris")
    assert window.mentions_panel.buttons.accept_button.isEnabled()
    qtbot.keyClick(view, Qt.Key.Key_X)
    assert mention_rows(path, "Paris") == [("LOC", "rejected", "rule-baseline@0.1")]
    assert "Paris" not in [row[0] for row in panel_rows(window)]
    assert char_format(window, paris).background().color() != QColor(window.state.colour("LOC"))
    # the focus moved on to the next suggestion; its row is selected in the panel
    focused = window.state.focused
    assert focused is not None and focused.text == "European Union and Siemens AG"
    selected = window.mentions_panel.selectionModel().selectedRows()
    assert [window.state.mentions[i.row()] for i in selected] == [focused]
    qtbot.mouseClick(window.mentions_panel.buttons.reject_button, Qt.MouseButton.LeftButton)
    assert mention_rows(path, "European Union and Siemens AG")[0][1] == "rejected"


def test_review_queue_keys(window: MainWindow, qtbot: QtBot, path: Path) -> None:
    panel = window.review_panel
    table = panel.table
    queue = window.state.annotation.queue
    total = queue.total
    assert panel.summary.text() == f"{total} open suggestions · least confident first"
    assert table.model().index(0, 2).data() == "Microsoft"
    table.setFocus()
    second = queue.items[1]
    assert (second.kind, second.text, second.title) == ("mention", "Zürich", "emoji")
    qtbot.keyClick(table, Qt.Key.Key_X)
    assert mention_rows(path, "Microsoft")[0][1] == "rejected"
    assert queue.current == second and table.currentIndex().row() == 0
    assert panel.summary.text().startswith(f"{total - 1} open suggestions")
    qtbot.keyClick(table, Qt.Key.Key_A)
    assert saved(path, "SELECT status FROM mentions WHERE id = ?", (second.id,)) == [
        ("accepted",)]
    item = queue.current
    assert item is not None and (item.text, item.title) == ("Report", "markup")
    qtbot.keyClick(table, Qt.Key.Key_Return)  # show it in its document
    assert window.state.selected is not None and window.state.selected.id == item.document
    cursor = window.document_view.text.textCursor()
    focused = window.state.focused
    assert focused is not None and focused.id in (item.id, item.head)
    assert cursor.selectedText() == focused.text.replace("\n", "\u2029")
    qtbot.keyClick(window.document_view.text, Qt.Key.Key_Z, CTRL)
    assert queue.total == total - 1


def test_drawing_a_relation(window: MainWindow, qtbot: QtBot, path: Path) -> None:
    view = window.document_view.text
    click_mention(window, qtbot, "Barack Obama")
    qtbot.keyClick(view, Qt.Key.Key_R)
    seattle = window.state.text.index("Seattle")
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point_of(window, seattle))
    dialog = window.document_view.relation_dialog
    assert isinstance(dialog, RelationDialog) and dialog.isVisible()
    assert dialog.chosen() == "Live_In"
    assert "“Barack Obama” (PER)  →  “Seattle” (LOC)" in dialog.question.text()
    qtbot.keyClick(dialog.labels, Qt.Key.Key_Return)
    assert window.document_view.relation_dialog is None
    rows = saved(path, "SELECT r.label, r.status, r.model, h.text, t.text FROM relations r"
                       " JOIN mentions h ON h.id = r.head JOIN mentions t ON t.id = r.tail"
                       " WHERE r.model IS NULL")
    assert rows == [("Live_In", "accepted", None, "Barack Obama", "Seattle")]
    assert view.relations_at(point_of(window, seattle)) == ["←Live_In— “Barack Obama”"]
    # Esc in the dialog draws nothing
    click_mention(window, qtbot, "Angela Merkel")
    qtbot.keyClick(view, Qt.Key.Key_R)
    click_mention(window, qtbot, "Berlin")
    dialog = window.document_view.relation_dialog
    assert dialog is not None
    qtbot.keyClick(dialog.labels, Qt.Key.Key_Escape)
    assert window.state.annotation.draft is None
    assert len(saved(path, "SELECT id FROM relations WHERE model IS NULL")) == 1


def test_markup_typed_into_annotations_stays_text(
        window: MainWindow, qtbot: QtBot, path: Path) -> None:
    open_doc(window, "markup.txt")
    select_text(window, "<b>bold</b>")
    qtbot.keyClick(window.document_view.text, Qt.Key.Key_M)
    assert mention_rows(path, "<b>bold</b>") == [("MISC", "accepted", None)]
    assert ("<b>bold</b>", "MISC", "added") in panel_rows(window)
    assert window.statusBar().currentMessage() == "Saved: add MISC “<b>bold</b>”"
    row = [m.text for m in window.state.mentions].index("<b>bold</b>")
    tip = window.mentions_panel.model().index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "&lt;b&gt;bold&lt;/b&gt;" in tip  # escaped: shown, never rendered
