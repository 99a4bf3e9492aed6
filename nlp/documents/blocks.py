"""Shared by the loaders: clean blocks of text and assemble them into a `Document`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath

from nlp.documents.model import Document, DocumentError, Segment, content_id

MAX_CHARS = 20_000_000
"""Extracted text is cut at this many characters (with a warning)."""

SEPARATOR = "\n\n"

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\ufffe\uffff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n")


@dataclass(frozen=True, slots=True)
class Block:
    """One block of a source: a paragraph, heading, table, list item..."""

    text: str
    kind: str = "paragraph"
    page: int | None = None


def clean(text: str, *, keep_lines: bool = True) -> str:
    """Normalise newlines and spaces, drop control characters, never leave a blank line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    if not keep_lines:
        return _SPACES.sub(" ", text.replace("\n", " ")).strip()
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def assemble(
    blocks: Iterable[Block], *, max_chars: int | None = None
) -> tuple[str, tuple[Segment, ...], bool]:
    """Join blocks with blank lines; return (text, segments, truncated)."""
    parts: list[str] = []
    segments: list[Segment] = []
    pos = 0
    for block in blocks:
        body = _BLANK_LINES.sub("\n", block.text).strip()
        if not body:
            continue
        start = pos + (len(SEPARATOR) if parts else 0)
        if start + len(body) > (MAX_CHARS if max_chars is None else max_chars):
            return "".join(parts), tuple(segments), True
        if parts:
            parts.append(SEPARATOR)
        parts.append(body)
        segments.append(Segment(start, start + len(body), block.page, len(segments), block.kind))
        pos = start + len(body)
    return "".join(parts), tuple(segments), False


def build(
    path: str,
    data: bytes,
    fmt: str,
    blocks: Iterable[Block],
    *,
    title: str = "",
    metadata: Iterable[tuple[str, str]] = (),
    warnings: Iterable[str] = (),
) -> Document:
    """The `Document` for `blocks`; raises DocumentError when no text was found at all."""
    warned = list(warnings)
    text, segments, truncated = assemble(blocks)
    if truncated:
        warned.append(f"text cut at {MAX_CHARS:,} characters (the limit)")
    if not text:
        hint = f" ({warned[0]})" if warned else ""
        raise DocumentError(path, f"no text found{hint}")
    title = clean(title, keep_lines=False)
    if not title:
        heading = next((s for s in segments if s.kind == "heading"), None)
        if heading is not None:
            title = text[heading.start : heading.end].split("\n", 1)[0].strip()
    return Document(
        id=content_id(data),
        source=path,
        format=fmt,
        title=(title or PurePath(path).stem)[:300],
        text=text,
        segments=segments,
        metadata=tuple((k, v) for k, v in metadata if v),
        warnings=tuple(warned),
    )
