"""The main window on a real project: list, text with highlights, mentions, plain text."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QHelpEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QLabel, QToolTip
from pytestqt.qtbot import QtBot

from desktop.qt.document_list import STATUS
from desktop.qt.main_window import MainWindow
from desktop.state.text import failure_reason


def select(window: MainWindow, qtbot: QtBot, name: str) -> None:
    """Click the document's row in the list, as a user would."""
    table = window.document_list
    row = next(i for i, d in enumerate(window.state.documents) if Path(d.source).name == name)
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.state.selected is not None
    assert Path(window.state.selected.source).name == name


def background_at(window: MainWindow, offset: int) -> QColor:
    """Background colour of the character at text offset `offset`."""
    cursor = QTextCursor(window.document_view.text.document())
    cursor.setPosition(window.state.offsets.to_qt(offset) + 1)  # format of the char before
    return cursor.charFormat().background().color()


def test_title_and_document_list_with_status(window: MainWindow) -> None:
    assert window.windowTitle() == "Skein — demo"
    model = window.document_list.model()
    rows = {model.index(r, 0).data(): model.index(r, STATUS).data()
            for r in range(model.rowCount())}
    assert rows["alpha"] == "extracted" and rows["markup"] == "extracted"
    assert rows["empty.pdf"] == "failed: empty file (0 bytes)"
    failed_row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == "empty.pdf")
    tip = model.index(failed_row, STATUS).data(Qt.ItemDataRole.ToolTipRole)
    assert "empty file (0 bytes)" in tip
    assert "4 documents (1 failed)" in window.counts_label.text()
    assert "rule-based baseline" in window.extractor_label.text()


def test_selecting_a_document_shows_text_and_highlights(window: MainWindow, qtbot: QtBot) -> None:
    select(window, qtbot, "alpha.txt")
    view = window.document_view.text
    assert view.toPlainText() == window.state.text
    assert view.isReadOnly()
    mentions = window.state.mentions
    assert window.mentions_panel.model().rowCount() == len(mentions) > 3
    for m in mentions:
        assert background_at(window, m.start) == QColor(window.state.colour(m.label))
        assert background_at(window, m.end - 1) == QColor(window.state.colour(m.label))
    gap = window.state.text.index(" met ")
    assert background_at(window, gap) != QColor(window.state.colour("PER"))
    assert window.document_view.legend.chips["PER"].text().strip().startswith("PER")


def test_highlights_land_on_the_right_characters_after_emoji(
        window: MainWindow, qtbot: QtBot) -> None:
    select(window, qtbot, "emoji.txt")
    zurich = next(m for m in window.state.mentions if m.text == "Zürich")
    cursor = QTextCursor(window.document_view.text.document())
    cursor.setPosition(window.state.offsets.to_qt(zurich.start))
    cursor.setPosition(window.state.offsets.to_qt(zurich.end), QTextCursor.MoveMode.KeepAnchor)
    assert cursor.selectedText() == "Zürich"
    assert background_at(window, zurich.start) == QColor(window.state.colour(zurich.label))


def test_clicking_a_mention_row_selects_its_span(window: MainWindow, qtbot: QtBot) -> None:
    select(window, qtbot, "alpha.txt")
    table = window.mentions_panel
    row = next(i for i, m in enumerate(window.state.mentions) if m.text == "Seattle")
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    cursor = window.document_view.text.textCursor()
    m = window.state.mentions[row]
    assert (cursor.selectionStart(), cursor.selectionEnd()) == (m.start, m.end)
    assert cursor.selectedText() == "Seattle"


def test_hovering_a_highlight_shows_its_label_confidence_and_model(
        window: MainWindow, qtbot: QtBot) -> None:
    select(window, qtbot, "alpha.txt")
    view = window.document_view.text
    paris = next(m for m in window.state.mentions if m.text == "Paris")
    cursor = QTextCursor(view.document())
    cursor.setPosition(paris.start + 2)
    point = view.cursorRect(cursor).center() + QPoint(2, 0)
    assert view.offset_at(point) == paris.start + 2
    expected = f"LOC · confidence {paris.confidence:.2f} · rule-baseline@0.1"
    assert view.tooltip_at(point) == expected
    event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), event)
    qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
    assert expected in QToolTip.text()
    QToolTip.hideText()


def test_markup_in_a_document_is_shown_literally(window: MainWindow, qtbot: QtBot) -> None:
    select(window, qtbot, "markup.txt")
    view = window.document_view.text
    assert "<b>bold</b><script>alert(1)</script>" in view.toPlainText()
    assert "<b>" in view.document().toPlainText()
    assert not view.document().toHtml().count("<b>")  # escaped, never parsed as a tag
    for label in window.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText, label.text()


def test_failed_document_shows_its_reason(window: MainWindow, qtbot: QtBot) -> None:
    select(window, qtbot, "empty.pdf")
    doc = window.state.selected
    assert doc is not None
    assert "could not be read" in window.document_view.title.text()
    assert failure_reason(doc.source, doc.error) in window.document_view.detail.text()
    assert window.document_view.text.toPlainText() == ""


def test_about_box_names_python_qt_and_the_model(window: MainWindow) -> None:
    import platform

    import PySide6
    from PySide6.QtCore import qVersion

    dialog = window.show_about()
    text = dialog.text()
    assert f"Python {platform.python_version()}" in text
    assert f"Qt {qVersion()}" in text and f"PySide6 {PySide6.__version__}" in text
    assert "rule-baseline@0.1" in text
    dialog.close()


def test_dropping_files_imports_them(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    new = tmp_path / "dropped.txt"
    new.write_text("Lena Fischer flew from Vienna to Oslo with Lufthansa.\n", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(new))])
    target = window.document_view.text.viewport()  # dropped on the text: the window takes it
    rest = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier)
    enter = QDragEnterEvent(QPoint(50, 50), *rest)  # QPoint here, QPointF below (Qt's API)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(50, 50), *rest)
    QApplication.sendEvent(target, drop)
    assert drop.isAccepted()
    job = window.imports.job
    assert job is not None
    with qtbot.waitSignal(job.done, timeout=30_000):
        pass
    names = [Path(d.source).name for d in window.state.documents]
    assert "dropped.txt" in names
    assert window.imports.summary.text().startswith("Import: 1 added")
