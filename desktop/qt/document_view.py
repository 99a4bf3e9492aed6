"""The document text (centre): read-only plain text with entity highlights and tooltips.

The text is set with `setPlainText` only, never as HTML; highlights are character formats
applied through `QTextCursor` at the mentions' offsets (converted to Qt's UTF-16 positions).
Annotation keys (select text, press a label key; a/x on the focused mention; see
`desktop.state.annotation`) go to the project's `AnnotationState`; a click on a highlight
focuses that mention. Confirmed mentions are underlined, model suggestions are not.
Relation hints (`desktop.state.text_marks`): a bar under every mention in a relation and
arrows from the focused mention to its partners; a bar in the margin beside every sentence
marked as reviewed (key v). They are painted over the visible part only.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import (
    QColor,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPaintEvent,
    QPalette,
    QTextCharFormat,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import (
    QFrame,
    QPlainTextEdit,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from desktop.qt import plain
from desktop.qt.legend import Legend
from desktop.qt.relation_dialog import RelationDialog
from desktop.qt.text_marks_painter import paint_arrows, paint_over
from desktop.state import KEY_HELP, ProjectState
from desktop.state.events import Subscriptions
from desktop.state.text import failure_reason
from desktop.state.text_marks import TextMarks
from kg.records import MentionRecord

_KEY_NAMES = {Qt.Key.Key_Escape: "escape", Qt.Key.Key_Delete: "delete",
              Qt.Key.Key_Backspace: "delete"}
_MODIFIERS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
              | Qt.KeyboardModifier.MetaModifier)


class TextView(QPlainTextEdit):
    """The read-only text; knows nothing of the store, only of `ProjectState`."""

    def __init__(self, state: ProjectState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.document().setDocumentMargin(14)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.viewport().installEventFilter(self)
        self.marks = TextMarks()

    @property
    def state(self) -> ProjectState:
        return self._state

    def show_state(self, state: ProjectState) -> None:
        """Show the selected document's text with its highlights."""
        self._state = state
        self.setPlainText(state.text)
        self.paint_highlights()
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def paint_highlights(self) -> None:
        """(Re)apply one background colour per entity type at every mention's span."""
        state = self._state
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.setCharFormat(QTextCharFormat())
        formats: dict[tuple[str, bool], QTextCharFormat] = {}
        for m in state.mentions:
            confirmed = m.status == "accepted"
            fmt = formats.get((m.label, confirmed))
            if fmt is None:
                fmt = formats[(m.label, confirmed)] = QTextCharFormat()
                fmt.setBackground(QColor(state.colour(m.label)))
                if confirmed:
                    fmt.setFontUnderline(True)
            cursor.setPosition(state.offsets.to_qt(m.start))
            cursor.setPosition(state.offsets.to_qt(m.end), QTextCursor.MoveMode.KeepAnchor)
            cursor.mergeCharFormat(fmt)
        cursor.endEditBlock()
        self.marks = TextMarks.of(state)
        self.viewport().update()

    def visible_range(self) -> tuple[int, int]:
        """Code-point offsets [first, last) of the text on screen."""
        offsets, rect = self._state.offsets, self.viewport().rect()
        first = self.cursorForPosition(rect.topLeft()).position()
        last = self.cursorForPosition(rect.bottomRight()).position()
        return offsets.from_qt(first), offsets.from_qt(last) + 1

    def span_rects(self, start: int, end: int) -> list[QRect]:
        """Viewport rectangles of characters [start, end): one per line it is on (the first
        and last line of a span that wraps; lines between are left out)."""
        to_qt = self._state.offsets.to_qt
        cursor = QTextCursor(self.document())
        cursor.setPosition(to_qt(start))
        a = self.cursorRect(cursor)
        cursor.setPosition(to_qt(end))
        b = self.cursorRect(cursor)
        if a.top() == b.top():
            return [QRect(a.left(), a.top(), max(b.left() - a.left(), 2), a.height())]
        margin = int(self.document().documentMargin())
        right = self.viewport().width() - margin
        return [QRect(a.left(), a.top(), max(right - a.left(), 2), a.height()),
                QRect(margin, b.top(), max(b.left() - margin, 2), b.height())]

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.marks.related or self.marks.reviewed:
            paint_over(self)
            paint_arrows(self)

    def show_span(self, start: int, end: int) -> None:
        """Select characters [start, end) and scroll them into the middle of the view."""
        cursor = self.textCursor()
        cursor.setPosition(self._state.offsets.to_qt(start))
        cursor.setPosition(self._state.offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        if not self.viewport().rect().contains(self.cursorRect()):
            self.centerCursor()  # off screen: bring it to the middle; else leave the view be

    def selection(self) -> tuple[int, int] | None:
        """The selected text as code-point offsets, None when nothing is selected."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        offsets = self._state.offsets
        return offsets.from_qt(cursor.selectionStart()), offsets.from_qt(cursor.selectionEnd())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = _KEY_NAMES.get(Qt.Key(event.key()), event.text())
        if key and not event.modifiers() & _MODIFIERS and self._state.selected is not None:
            cursor = self._state.offsets.from_qt(self.textCursor().position())
            if self._state.annotation.handle_key(key, self.selection(), cursor):
                event.accept()
                return
        super().keyPressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """A click (no text dragged) on a highlight focuses that mention."""
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or self.textCursor().hasSelection():
            return
        offset = self.offset_at(event.position().toPoint())
        hits = self._state.mentions_at(offset) if offset is not None else []
        if hits:
            self._state.focus(min(hits, key=lambda m: m.end - m.start))

    def offset_at(self, point: QPoint) -> int | None:
        """The text offset (code points) of the character under viewport point `point`."""
        if not self._state.text:
            return None
        cursor = self.cursorForPosition(point)
        position = cursor.position()
        if point.x() < self.cursorRect(cursor).x():  # the nearest boundary is right of it
            position -= 1
        return self._state.offsets.from_qt(max(position, 0))

    def tooltip_at(self, point: QPoint) -> str | None:
        offset = self.offset_at(point)
        return self._state.tooltip_at(offset) if offset is not None else None

    def relations_at(self, point: QPoint) -> list[str]:
        """The relations of the mentions under `point`, one line each."""
        offset = self.offset_at(point)
        return self._state.annotation.relation_lines(offset) if offset is not None else []

    def hover_text(self, point: QPoint) -> str | None:
        """The tooltip at `point`: the mentions there with their relations, or the review
        mark of the sentence beside it in the margin."""
        text = self.tooltip_at(point)
        if text is not None:
            return "\n".join([text, *self.relations_at(point)])
        return self.margin_tooltip(point)

    def margin_tooltip(self, point: QPoint) -> str | None:
        """Beside a reviewed sentence (in the left margin): say so."""
        if point.x() >= self.document().documentMargin():
            return None
        offset = self.offset_at(QPoint(int(self.document().documentMargin()) + 1, point.y()))
        if offset is None or not self.marks.is_reviewed(offset):
            return None
        return "Sentence reviewed (v in it takes the mark off)"

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.viewport() and event.type() == QEvent.Type.ToolTip:
            text = self.hover_text(event.pos()) if isinstance(event, QHelpEvent) else None
            if text and isinstance(event, QHelpEvent):
                QToolTip.showText(event.globalPos(), plain.tooltip(text), self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().eventFilter(watched, event)


class DocumentView(QWidget):
    """A header (title, source or failure reason) and a colour legend above the text."""

    def __init__(self, state: ProjectState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._subs = Subscriptions()
        self.title = plain.label("", self)
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.title.setContentsMargins(12, 8, 12, 0)
        self.detail = plain.label("", self)
        self.detail.setWordWrap(True)
        self.detail.setContentsMargins(12, 2, 12, 6)
        self.detail.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        for widget in (self.title, self.detail):
            widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.legend = Legend(self)
        self.hint = plain.label("", self)
        self.hint.setWordWrap(True)
        self.hint.setContentsMargins(12, 0, 12, 6)
        self.hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.text = TextView(state, self)
        self.relation_dialog: RelationDialog | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.title)
        layout.addWidget(self.detail)
        layout.addWidget(self.legend)
        layout.addWidget(self.hint)
        layout.addWidget(self.text, 1)
        self.bind(state)

    def bind(self, state: ProjectState) -> None:
        """Show `state` (a newly opened project) and follow its events."""
        self._subs.clear()
        self._state = state
        self._subs.connect(state.selection_changed, self._render)
        self._subs.connect(state.colours_changed, self._recolour)
        self._subs.connect(state.mention_focused, self._focus)
        self._subs.connect(state.mentions_changed, self._marks_changed)
        annotation = state.annotation
        self._subs.connect(annotation.label_changed, lambda _: self._show_hint())
        self._subs.connect(annotation.draft_changed, self._draft_changed)
        self._render()

    def _render(self) -> None:
        doc = self._state.selected
        if doc is None:
            self.title.setText("No document selected")
            self.detail.setText("Select a document on the left, or drop files and folders on"
                                " this window to import them.")
        elif doc.status == "failed":
            self.title.setText(f"{doc.title} — could not be read")
            self.detail.setText(f"{failure_reason(doc.source, doc.error)}\n{doc.source}")
        else:
            n = len(self._state.mentions)
            self.title.setText(doc.title)
            self.detail.setText(f"{doc.format} · {n} mentions · {doc.source}")
        readable = doc is not None and doc.status != "failed"
        self.legend.setVisible(readable)
        self.legend.show_state(self._state)
        self.hint.setVisible(readable)
        self._show_hint()
        self.text.show_state(self._state)

    def _show_hint(self) -> None:
        self.hint.setText(f"Label {self._state.annotation.label} · {KEY_HELP}")

    def _marks_changed(self) -> None:
        """An edit: repaint the highlights and counts; the text and its scrolling stay."""
        doc = self._state.selected
        if doc is not None and doc.status != "failed":
            n = len(self._state.mentions)
            self.detail.setText(f"{doc.format} · {n} mentions · {doc.source}")
        self.legend.show_state(self._state)
        self.text.paint_highlights()

    def _draft_changed(self) -> None:
        """Both ends of a relation are picked: ask for its type."""
        draft = self._state.annotation.draft
        if draft is None or draft.stage != "label" or self.relation_dialog is not None:
            return
        dialog = RelationDialog(self._state.annotation, self)
        dialog.finished.connect(self._dialog_closed)
        self.relation_dialog = dialog
        dialog.open()

    def _dialog_closed(self) -> None:
        self.relation_dialog = None
        self.text.setFocus()

    def _recolour(self) -> None:
        self.legend.show_state(self._state)
        self.text.paint_highlights()

    def _focus(self, mention: MentionRecord) -> None:
        self.text.show_span(mention.start, mention.end)
        self.text.viewport().update()  # the relation arrows follow the focused mention
