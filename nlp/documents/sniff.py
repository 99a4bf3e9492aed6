"""Content sniffing on the first bytes of a file.

A sniff function returns 2 when the bytes are certainly that format, 1 when they could be,
0 when they are not.
"""

from __future__ import annotations

import re

HEAD_BYTES = 8192
"""How many leading bytes detection looks at."""

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_MARKUP_PREFIX = re.compile(rb"^(\s|<\?xml[^>]*>|<!--.*?-->)*", re.DOTALL)


def _markup_start(head: bytes) -> bytes:
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom) :]
            break
    head = head.replace(b"\x00", b"") if head[:2].count(b"\x00") else head
    match = _MARKUP_PREFIX.match(head[:4096])
    return head[match.end() if match else 0 :][:512].lower()


def pdf(head: bytes) -> int:
    return 2 if b"%PDF-" in head[:1024] else 0


def docx(head: bytes) -> int:
    if not head.startswith(b"PK\x03\x04"):
        return 0
    return 2 if b"word/" in head or b"[Content_Types].xml" in head else 1


def html(head: bytes) -> int:
    start = _markup_start(head)
    if start.startswith((b"<!doctype html", b"<html")):
        return 2
    if start.startswith(b"<") and re.search(rb"<(head|body|title|meta|div|p)[\s>]", start):
        return 1
    return 0


_CONTROL_BYTES = bytes([*range(0, 9), 11, *range(14, 27), *range(28, 32), 127])


def looks_binary(sample: bytes) -> bool:
    """True for bytes that are not text in any 8-bit or UTF-8 encoding (NULs, control bytes)."""
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls / len(sample) > 0.05


_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (.doc/.xls)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x7fELF", "a program (ELF)"),
    (b"MZ", "a Windows program"),
)


def describe(head: bytes) -> str:
    """A short phrase for what the bytes look like ("an HTML page", "binary data"...)."""
    if not head:
        return "an empty file"
    if docx(head) == 2:
        return "a Word document (DOCX)"
    if head.startswith(b"PK\x03\x04"):
        return "a ZIP archive"
    if pdf(head):
        return "a PDF document"
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    if html(head):
        return "an HTML page"
    if _markup_start(head).startswith(b"<"):
        return "an XML or markup file"
    return "binary data" if looks_binary(head) else "plain text"
