"""Showing untrusted text (document text, file names, model ids, errors) as plain text.

Qt guesses rich text for labels and tooltips that look like HTML; everything shown here
goes through these helpers so ``<b>`` or ``<img src=...>`` is displayed, never rendered.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGui
from PySide6.QtWidgets import QLabel, QWidget


def tooltip(text: str) -> str:
    """A tooltip string that Qt shows literally (escaped; line breaks kept)."""
    return QtGui.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal) if text else ""


def label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A QLabel that never interprets its text as HTML."""
    widget = QLabel(parent)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setText(text)
    return widget
