"""Word documents (DOCX) with python-docx, after the container passes `safezip.check`.

The body is walked in order: paragraphs (headings by style), tables as rows of cells joined
with " | " (merged cells once, nested tables inline), content controls opened.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from nlp.documents import safezip
from nlp.documents.blocks import Block, build, clean
from nlp.documents.model import Document, DocumentError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_HEADING = re.compile(r"^(heading \d|title)$", re.IGNORECASE)
_PLACEHOLDER_TITLES = {"word document", "document", "untitled", "microsoft word document"}
_CHARS = {
    f"{_W}tab": "\t",
    f"{_W}ptab": "\t",
    f"{_W}br": "\n",
    f"{_W}cr": "\n",
    f"{_W}noBreakHyphen": "-",
}


def _text(element: Any) -> str:
    """The visible text of a paragraph: runs, hyperlinks, insertions; not deletions or fields."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        for child in node:
            tag = child.tag
            if tag == f"{_W}t":
                parts.append(child.text or "")
            elif tag in _CHARS:
                parts.append(_CHARS[tag])
            elif tag not in (_FALLBACK, f"{_W}del", f"{_W}instrText", f"{_W}pPr", f"{_W}rPr"):
                walk(child)

    walk(element)
    return "".join(parts)


class _Body:
    """Walks a document body, knowing the style names."""

    def __init__(self, document: Any) -> None:
        self.names: dict[str, str] = {}
        self.bases: dict[str, str] = {}
        for style in document.styles:
            self.names[style.style_id] = style.name or ""
            base = getattr(style, "base_style", None)
            if base is not None:
                self.bases[style.style_id] = base.style_id

    def _is_heading(self, style_id: str | None) -> bool:
        for _ in range(6):
            if style_id is None:
                return False
            if _HEADING.match(self.names.get(style_id, style_id)):
                return True
            style_id = self.bases.get(style_id)
        return False

    def paragraph(self, p: Any) -> Block:
        ppr = p.find(f"{_W}pPr")
        style = None if ppr is None else ppr.find(f"{_W}pStyle")
        style_id = None if style is None else style.get(f"{_W}val")
        name = self.names.get(style_id or "", "").lower()
        if self._is_heading(style_id) or (
            ppr is not None and ppr.find(f"{_W}outlineLvl") is not None and name != "normal"
        ):
            kind = "heading"
        elif (ppr is not None and ppr.find(f"{_W}numPr") is not None) or name.startswith("list"):
            kind = "list"
        else:
            kind = "paragraph"
        return Block(clean(_text(p)), kind)

    def cell(self, tc: Any) -> str:
        parts: list[str] = []
        for child in _children(tc):
            if child.tag == f"{_W}p":
                parts.append(clean(_text(child), keep_lines=False))
            elif child.tag == f"{_W}tbl":
                parts.append(" / ".join(self.rows(child)))
        return " ".join(p for p in parts if p)

    def rows(self, tbl: Any) -> Iterator[str]:
        for tr in _children(tbl, f"{_W}tr"):
            cells = []
            for tc in _children(tr, f"{_W}tc"):
                merge = tc.find(f"{_W}tcPr/{_W}vMerge")
                if merge is not None and merge.get(f"{_W}val", "continue") != "restart":
                    continue  # the text is in the cell above
                cells.append(self.cell(tc))
            row = " | ".join(c for c in cells if c)
            if row:
                yield row

    def blocks(self, body: Any) -> Iterator[Block]:
        for child in _children(body):
            if child.tag == f"{_W}p":
                yield self.paragraph(child)
            elif child.tag == f"{_W}tbl":
                yield Block("\n".join(self.rows(child)), "table")


def _children(element: Any, tag: str | None = None) -> Iterator[Any]:
    """Children, with content controls and custom XML wrappers opened."""
    for child in element:
        if child.tag in (f"{_W}sdt", f"{_W}customXml", f"{_W}smartTag"):
            content = child.find(f"{_W}sdtContent")
            yield from _children(child if content is None else content, tag)
        elif tag is None or child.tag == tag:
            yield child


def load(path: str, data: bytes, password: str | None = None) -> Document:
    """Read a DOCX; the ZIP container is checked before python-docx opens it."""
    try:
        safezip.check(data).close()
    except safezip.UnsafeZip as exc:
        raise DocumentError(path, f"unsafe Word document: {exc}") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        raise DocumentError(
            path, f"damaged Word document: not a valid ZIP archive ({exc})"
        ) from None
    except RuntimeError as exc:  # an encrypted ZIP entry
        raise DocumentError(path, f"damaged or encrypted Word document ({exc})") from None

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (KeyError, ValueError, PackageNotFoundError) as exc:
        raise DocumentError(path, f"not a readable Word document ({exc})") from None
    props = document.core_properties
    title = (props.title or "").strip()
    if title.lower() in _PLACEHOLDER_TITLES:
        title = ""
    metadata = [
        ("title", props.title or ""),
        ("author", props.author or ""),
        ("subject", props.subject or ""),
        ("keywords", props.keywords or ""),
        ("created", props.created.isoformat() if props.created else ""),
        ("modified", props.modified.isoformat() if props.modified else ""),
    ]
    blocks = list(_Body(document).blocks(document.element.body))
    return build(path, data, "docx", blocks, title=title, metadata=metadata)
