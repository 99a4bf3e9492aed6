"""The registry of document formats: loaders and sniffers named as ``"module:function"``.

Nothing heavy is imported until a loader is used. `register` adds a format (a plugin can
add its own); `detect_format` picks one from a file's first bytes, then its suffix.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Protocol, cast

from nlp.documents.model import Document, DocumentError


class Loader(Protocol):
    def __call__(self, path: str, data: bytes, password: str | None) -> Document: ...


Sniffer = Callable[[bytes], int]


@dataclass(frozen=True, slots=True)
class Format:
    """One registered format."""

    name: str
    label: str
    """For messages: "not a PDF (looks like ...)"."""
    suffixes: tuple[str, ...]
    loader: str
    """``"package.module:function"`` with the `Loader` signature."""
    sniff: str | None = None
    """``"package.module:function"``: first bytes -> 2 certain, 1 plausible, 0 no."""
    binary: bool = False
    """A binary container: with its suffix but without its signature, the file is refused."""

    def load(self, path: str, data: bytes, password: str | None) -> Document:
        return cast(Loader, _resolve(self.loader))(path, data, password)

    def sniffs(self, head: bytes) -> int:
        return cast(Sniffer, _resolve(self.sniff))(head) if self.sniff else 0


_FORMATS: dict[str, Format] = {}


@functools.cache
def _resolve(target: str) -> Callable[..., object]:
    module, _, attr = target.partition(":")
    return cast(Callable[..., object], getattr(importlib.import_module(module), attr))


def register(fmt: Format) -> None:
    """Add (or replace) a format. Sniffers run in registration order."""
    _FORMATS[fmt.name] = fmt


def formats() -> tuple[Format, ...]:
    return tuple(_FORMATS.values())


def get(name: str) -> Format:
    try:
        return _FORMATS[name]
    except KeyError:
        raise KeyError(f"unknown document format {name!r}") from None


def supported_suffixes() -> frozenset[str]:
    return frozenset(s for f in _FORMATS.values() for s in f.suffixes)


def _by_suffix(path: str) -> Format | None:
    suffix = PurePath(path).suffix.lower()
    return next((f for f in _FORMATS.values() if suffix in f.suffixes), None)


def detect_format(path: str, head: bytes) -> str:
    """The format of a file from its first bytes, then its suffix.

    Content wins over the name: a PDF called ``.txt`` is read as a PDF. A ``.pdf`` or
    ``.docx`` without its signature raises DocumentError "not a PDF (looks like ...)"; an
    HTML page called ``.txt`` is read as HTML.
    """
    from nlp.documents import sniff

    ranked = sorted(_FORMATS.values(), key=lambda f: not f.binary)  # containers first
    claimed = _by_suffix(path)
    for fmt in ranked:
        if fmt.binary and fmt.sniffs(head) == 2:
            return fmt.name
    if claimed is not None and claimed.binary and claimed.sniffs(head) == 0:
        raise DocumentError(path, f"not a {claimed.label} (looks like {sniff.describe(head)})")
    for fmt in ranked:
        if fmt.sniffs(head) == 2:
            return fmt.name
    if claimed is not None:
        return claimed.name
    for fmt in ranked:
        if fmt.sniffs(head) == 1:
            return fmt.name
    if sniff.looks_binary(head):
        raise DocumentError(path, f"unsupported file type (looks like {sniff.describe(head)})")
    return "text"


for _fmt in (
    Format("pdf", "PDF", (".pdf",), "nlp.documents.pdf:load", "nlp.documents.sniff:pdf", True),
    Format(
        "docx",
        "Word document (DOCX)",
        (".docx",),
        "nlp.documents.docx:load",
        "nlp.documents.sniff:docx",
        True,
    ),
    Format(
        "html",
        "HTML page",
        (".html", ".htm", ".xhtml"),
        "nlp.documents.html:load",
        "nlp.documents.sniff:html",
    ),
    Format("markdown", "Markdown file", (".md", ".markdown"), "nlp.documents.text:load_markdown"),
    Format("text", "text file", (".txt", ".text"), "nlp.documents.text:load_text"),
):
    register(_fmt)
