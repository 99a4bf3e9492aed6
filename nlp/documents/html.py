"""HTML pages: the main content with trafilatura (menus, ads, footers dropped).

Pages are parsed from bytes with lxml's HTML parser: no network, no external entities.
When trafilatura finds no main content, the visible text of the whole page is used.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from nlp.documents.blocks import Block, build, clean
from nlp.documents.model import Document, DocumentError

_KINDS = {
    "head": "heading",
    "p": "paragraph",
    "list": "list",
    "table": "table",
    "quote": "quote",
    "code": "code",
}
_BLOCK_TAGS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "li",
    "td",
    "th",
    "tr",
    "pre",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "dt",
    "dd",
    "figcaption",
    "header",
    "footer",
    "aside",
    "nav",
    "table",
    "ul",
    "ol",
    "form",
    "br",
    "hr",
}
_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "math", "iframe", "object")


def _text(element: Any) -> str:
    return clean(" ".join(element.itertext()), keep_lines=False)


def _table(table: Any) -> str:
    rows = (
        " | ".join(t for cell in row.iter("cell") if (t := _text(cell)))
        for row in table.iter("row")
    )
    return "\n".join(r for r in rows if r)


def _list(element: Any) -> str:
    items = (_text(item) for item in element.iter("item"))
    return "\n".join(f"• {t}" for t in items if t)


def _blocks(body: Any) -> Iterator[Block]:
    """Blocks of trafilatura's output tree (head, p, list, table, quote, code)."""
    for child in body:
        kind = _KINDS.get(child.tag, "paragraph")
        if child.tag == "table":
            text = _table(child)
        elif child.tag == "list":
            text = _list(child)
        elif child.tag == "code":
            text = "\n".join(line.rstrip() for line in "".join(child.itertext()).splitlines())
        else:
            text = _text(child)
        yield Block(text, kind)
        if child.tail and child.tail.strip():
            yield Block(clean(child.tail, keep_lines=False))


_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_.:-]{1,40})""", re.I
)


def _decode(path: str, data: bytes) -> str:
    """BOM, strict UTF-8, the page's declared charset, then a guess (never decompresses)."""
    from nlp.documents.text import decode

    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            declared = _META_CHARSET.search(data[:8192])
            if declared is not None:
                try:
                    return data.decode(declared.group(1).decode("ascii"), errors="replace")
                except LookupError:
                    pass
    return decode(path, data)[0]


_DTD_SUBSET = re.compile(r"<!DOCTYPE[^>\[]*\[.*?\]\s*>", re.IGNORECASE | re.DOTALL)


def _parse(text: str) -> Any:
    """A tree of `text`; lxml's HTML parser loads no DTD and touches no network."""
    import lxml.html

    text = _DTD_SUBSET.sub("<!DOCTYPE html>", text[:4096], count=1) + text[4096:]
    parser = lxml.html.HTMLParser(
        no_network=True,
        remove_comments=True,
        remove_pis=True,
        encoding="utf-8",
        huge_tree=False,
        recover=True,
    )
    return lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)


def _fallback_blocks(tree: Any) -> Iterator[Block]:
    """The visible text of a whole page, split at block elements."""
    from lxml import etree

    for bad in tree.xpath("//" + " | //".join(_DROP_TAGS)):
        bad.drop_tree()
    parts: list[str] = []
    body = tree.find("body")
    for event, element in etree.iterwalk(tree if body is None else body, events=("start", "end")):
        if event == "start" and element.text:
            parts.append(element.text)
        if event == "end":
            if element.tag in _BLOCK_TAGS:
                parts.append("\n\n")
            if element.tail:
                parts.append(element.tail)
    for paragraph in "".join(parts).split("\n\n"):
        yield Block(clean(paragraph, keep_lines=False))


def load(path: str, data: bytes, password: str | None = None) -> Document:
    """Read an HTML page; main content by trafilatura, whole-page text as a fallback."""
    import trafilatura
    from lxml import etree

    text = _decode(path, data)
    try:
        tree = _parse(text)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        reason = "no text found" if not text.strip() else f"damaged HTML page ({exc})"
        raise DocumentError(path, reason) from None
    titles = tree.xpath("//title/text()")
    page_title = clean(str(titles[0]), keep_lines=False) if titles else ""
    extracted = trafilatura.bare_extraction(
        tree,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_links=False,
        include_images=False,
        include_formatting=False,
        deduplicate=False,
    )
    warnings: list[str] = []
    title = ""
    blocks: list[Block] = []
    metadata: list[tuple[str, str]] = []
    if extracted is not None and not isinstance(extracted, dict):
        title = extracted.title or ""
        metadata = [
            (k, str(getattr(extracted, k, None) or ""))
            for k in ("author", "date", "sitename", "url", "description")
        ]
        if extracted.body is not None:
            blocks = [b for b in _blocks(extracted.body) if b.text]
    if not blocks:
        warnings.append("no main content found; the whole page text was used")
        blocks = list(_fallback_blocks(_parse(text)))
    return build(
        path, data, "html", blocks, title=title or page_title, metadata=metadata, warnings=warnings
    )
