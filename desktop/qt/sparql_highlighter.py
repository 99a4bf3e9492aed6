"""A small SPARQL syntax highlighter for the query editor: keywords, variables, IRIs, prefixed
names, strings, numbers and comments, in colours taken from the current palette."""

from __future__ import annotations

import re

from PySide6.QtGui import (
    QColor,
    QFont,
    QPalette,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication

_KEYWORDS = (
    "select", "distinct", "reduced", "as", "where", "optional", "union", "minus", "graph",
    "filter", "bind", "values", "limit", "offset", "order", "by", "group", "having", "asc",
    "desc", "ask", "construct", "describe", "prefix", "base", "not", "exists", "in", "count",
    "sum", "min", "max", "avg", "sample", "group_concat", "separator", "str", "lang",
    "langmatches", "datatype", "bound", "iri", "uri", "bnode", "regex", "replace", "contains",
    "strstarts", "strends", "lcase", "ucase", "if", "coalesce", "a", "true", "false", "undef",
    "service", "load", "from", "named", "insert", "delete", "clear", "drop", "create", "copy",
    "move", "add", "with", "using",
)
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("keyword", re.compile(r"\b(?:" + "|".join(_KEYWORDS) + r")\b", re.IGNORECASE)),
    ("number", re.compile(r"(?<![\w:])[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b")),
    ("pname", re.compile(r"\b[A-Za-z][\w.-]*:[\w.%-]*")),
    ("variable", re.compile(r"[?$]\w+")),
    ("iri", re.compile(r"<[^<>\"{}|^`\\\s]*>")),
    ("string", re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'")),
)
"""Later rules win where matches overlap; a comment starts at the first ``#`` outside an IRI
or a string and runs to the end of the line."""


class SparqlHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.formats: dict[str, QTextCharFormat] = {}
        self.recolour()

    def recolour(self) -> None:
        """Take the colours from the application palette (call after a theme change)."""
        pal = QApplication.palette()
        dark = pal.color(QPalette.ColorRole.Base).lightness() < 128
        colours = {
            "keyword": "#6fa8ff" if dark else "#1f4fb4",
            "number": "#e0a060" if dark else "#a0521c",
            "pname": "#8fd0c8" if dark else "#1f6f6a",
            "variable": "#d9a6ff" if dark else "#7a2fa0",
            "iri": "#9ccc65" if dark else "#2e7d32",
            "string": "#f0c674" if dark else "#8a5a00",
            "comment": "#8c8c8c" if dark else "#7a7a7a",
        }
        for name, colour in colours.items():
            fmt = QTextCharFormat()
            fmt.setForeground(QColor(colour))
            if name == "keyword":
                fmt.setFontWeight(QFont.Weight.Bold)
            if name == "comment":
                fmt.setFontItalic(True)
            self.formats[name] = fmt
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        protected: list[tuple[int, int]] = []
        for name, pattern in _RULES:
            for match in pattern.finditer(text):
                start, end = match.span()
                if name in ("iri", "string"):
                    protected.append((start, end))
                self.setFormat(start, end - start, self.formats[name])
        for i, ch in enumerate(text):
            if ch == "#" and not any(s <= i < e for s, e in protected):
                self.setFormat(i, len(text) - i, self.formats["comment"])
                break
