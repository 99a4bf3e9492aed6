"""Plain text and Markdown: encoding detection, paragraphs by blank lines, Markdown headings."""

from __future__ import annotations

import re
from collections.abc import Iterator

from nlp.documents.blocks import Block, build, clean
from nlp.documents.model import Document, DocumentError
from nlp.documents.sniff import looks_binary

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_SAMPLE = 65536
_WESTERN = "cp1252"
"""Preferred when it reads the bytes about as cleanly as charset-normalizer's best guess."""


def _printable_ratio(text: str) -> float:
    sample = text[:_SAMPLE]
    if not sample:
        return 1.0
    good = sum(1 for c in sample if c.isprintable() or c in "\n\r\t\f")
    return good / len(sample)


def _guess(data: bytes) -> tuple[str, float] | None:
    """The likeliest legacy encoding of `data` and its mess ratio (charset-normalizer)."""
    import charset_normalizer
    from charset_normalizer.md import mess_ratio

    names = [r.encoding for r in charset_normalizer.from_bytes(data[: 4 * _SAMPLE])][:5]
    best: tuple[float, str] | None = None
    for name in dict.fromkeys([*names, _WESTERN]):
        try:
            sample = data[:_SAMPLE].decode(name, errors="strict" if name == _WESTERN else "ignore")
        except UnicodeDecodeError:
            continue
        score = mess_ratio(sample, 1.0)
        score += (
            -0.1 if name == _WESTERN else 0.05 if name.startswith(("mac_", "cp8", "cp7")) else 0
        )
        if best is None or score < best[0]:
            best = (score, name)
    return None if best is None else (best[1], best[0])


def decode(path: str, data: bytes) -> tuple[str, str, list[str]]:
    """(text, encoding, warnings): BOM, then strict UTF-8, then a charset-normalizer guess."""
    warnings: list[str] = []
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(name), name, warnings
            except UnicodeDecodeError:
                warnings.append(f"invalid {name.upper()} bytes were replaced")
                return data[len(bom) :].decode(name, errors="replace"), name, warnings
    if looks_binary(data[:_SAMPLE]):
        raise DocumentError(path, "binary data, not text")
    try:
        return data.decode("utf-8"), "utf-8", warnings
    except UnicodeDecodeError:
        pass
    guess = _guess(data)
    if guess is None:
        text, name = data.decode("latin-1"), "latin-1"
    else:
        name = guess[0]
        text = data.decode(name, errors="replace")
    warnings.append(f"not UTF-8; read as {name}")
    if _printable_ratio(text) < 0.9:
        raise DocumentError(path, "binary data, not text")
    return text, name, warnings


def _paragraphs(text: str) -> Iterator[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    yield from re.split(r"\n[ \t]*\n", text)


def load_text(path: str, data: bytes, password: str | None = None) -> Document:
    """A plain text file: one block per paragraph (blank-line separated)."""
    text, encoding, warnings = decode(path, data)
    blocks = (Block(clean(p)) for p in _paragraphs(text))
    return build(path, data, "text", blocks, metadata=[("encoding", encoding)], warnings=warnings)


_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|$)(.*?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LIST = re.compile(r"^ {0,3}([-*+]|\d{1,9}[.)])[ \t]+")
_FRONT_MATTER = re.compile(r"\A---\n.*?\n(---|\.\.\.)\n", re.DOTALL)


def _kind(lines: list[str]) -> str:
    if all(line.lstrip().startswith("|") for line in lines):
        return "table"
    if _LIST.match(lines[0]):
        return "list"
    if lines[0].startswith(">"):
        return "quote"
    return "paragraph"


def markdown_blocks(text: str) -> Iterator[Block]:
    """Blocks of Markdown source: ATX/setext headings, fenced code, lists, tables, paragraphs."""
    text = _FRONT_MATTER.sub("", text.replace("\r\n", "\n").replace("\r", "\n"), count=1)
    lines: list[str] = []
    fence: str | None = None
    for raw in [*text.split("\n"), ""]:
        line = raw.rstrip()
        if fence is not None:
            lines.append(line)
            if line.lstrip().startswith(fence):
                yield Block("\n".join(lines).strip(), "code")
                lines, fence = [], None
            continue
        fenced = _FENCE.match(line)
        heading = _ATX.match(line)
        if fenced or heading or not line.strip():
            if lines:
                yield Block(clean("\n".join(lines)), _kind(lines))
                lines = []
            if fenced:
                fence, lines = fenced.group(1), [line]
            elif heading:
                yield Block(clean(heading.group(2)), "heading")
            continue
        if lines and _SETEXT.match(line) and not _LIST.match(lines[-1]):
            *before, title = lines
            if before:
                yield Block(clean("\n".join(before)), _kind(before))
            yield Block(clean(title), "heading")
            lines = []
            continue
        lines.append(line)
    if lines:
        yield Block("\n".join(lines).strip(), "code")


def load_markdown(path: str, data: bytes, password: str | None = None) -> Document:
    """A Markdown file: the source text, with headings as their own `heading` blocks."""
    text, encoding, warnings = decode(path, data)
    blocks = markdown_blocks(text)
    return build(
        path, data, "markdown", blocks, metadata=[("encoding", encoding)], warnings=warnings
    )
