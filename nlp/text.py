"""Sentences and tokens with exact character offsets (``text[start:end]`` is the span).

spaCy's blank English pipeline with its rule-based sentencizer needs no model download.
spaCy is imported on first use, so importing `nlp` stays cheap.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

_MAX_CHUNK = 200_000
"""spaCy works on bounded chunks; long documents are split at paragraph breaks."""


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a document; `start`/`end` are offsets into the document text."""

    index: int
    start: int
    end: int
    tokens: tuple[Token, ...]

    def text_of(self, text: str) -> str:
        return text[self.start : self.end]


@functools.cache
def _pipeline() -> Any:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = _MAX_CHUNK * 2
    return nlp


_BLOCK_BREAK = re.compile(r"\n\s*\n")


def _chunks(text: str) -> Iterator[tuple[int, int]]:
    """Split `text` at blank lines (paragraph breaks) into chunks of bounded size."""
    start = 0
    for m in _BLOCK_BREAK.finditer(text):
        yield start, m.start()
        start = m.end()
    yield start, len(text)


def _bounded(text: str) -> Iterator[tuple[int, int]]:
    for a, b in _chunks(text):
        while b - a > _MAX_CHUNK:  # a giant paragraph: cut at the last newline/space
            cut = max(text.rfind("\n", a, a + _MAX_CHUNK), text.rfind(" ", a, a + _MAX_CHUNK))
            cut = cut if cut > a else a + _MAX_CHUNK
            yield a, cut
            a = cut
        yield a, b


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of `text` with tokens; never crosses a paragraph break (blank line).

    Single newlines inside a paragraph are treated as spaces by the sentencizer, but a
    sentence never spans a blank line: that is where loaders put block boundaries.
    """
    nlp = _pipeline()
    out: list[Sentence] = []
    for a, b in _bounded(text):
        chunk = text[a:b]
        if not chunk.strip():
            continue
        doc = nlp(chunk)
        for sent in doc.sents:
            toks = tuple(Token(a + t.idx, a + t.idx + len(t.text)) for t in sent if not t.is_space)
            if not toks:
                continue
            out.append(Sentence(len(out), toks[0].start, toks[-1].end, toks))
    return out
