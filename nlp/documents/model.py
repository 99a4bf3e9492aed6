"""The `Document` value: clean text plus a map from character offsets back to the source."""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of `Document.text` that came from one place in the source.

    `page` is 1-based for paged formats (PDF) and None otherwise; `paragraph` is the 0-based
    index of the block within the document; `kind` says what the block was (``paragraph``,
    ``heading``, ``table``, ``list``, ``ocr``...).
    """

    start: int
    end: int
    page: int | None
    paragraph: int
    kind: str = "paragraph"


@dataclass(frozen=True, slots=True)
class Document:
    """One loaded document. Offsets into `text` are the source of truth for every span."""

    id: str
    """Content hash of the source bytes (sha256 hex): the same bytes give the same id."""
    source: str
    """The path the document was read from."""
    format: str
    """The loader that read it (``pdf``, ``docx``, ``html``, ``text``, ``markdown``)."""
    title: str
    text: str
    segments: tuple[Segment, ...]
    """Sorted, non-overlapping, covering every non-separator character of `text`."""
    metadata: tuple[tuple[str, str], ...] = ()
    warnings: tuple[str, ...] = ()
    """Things the user should know (a page OCRed, or skipped because OCR is missing...)."""
    _starts: tuple[int, ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(s.start for s in self.segments))

    def locate(self, offset: int) -> Segment | None:
        """The segment holding character `offset`, or None for a separator/out of range."""
        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and self.segments[i].start <= offset < self.segments[i].end:
            return self.segments[i]
        return None

    @property
    def pages(self) -> int:
        """Pages of the source (its own count when the loader recorded one)."""
        recorded = dict(self.metadata).get("pages", "")
        if recorded.isdigit():
            return int(recorded)
        return max((s.page or 0 for s in self.segments), default=0)

    def to_json(self) -> dict[str, Any]:
        """A plain-JSON form (used across the sandbox boundary and in the project file)."""
        return {
            "id": self.id,
            "source": self.source,
            "format": self.format,
            "title": self.title,
            "text": self.text,
            "segments": [[s.start, s.end, s.page, s.paragraph, s.kind] for s in self.segments],
            "metadata": [list(kv) for kv in self.metadata],
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Document:
        return cls(
            id=str(data["id"]),
            source=str(data["source"]),
            format=str(data["format"]),
            title=str(data["title"]),
            text=str(data["text"]),
            segments=tuple(
                Segment(int(a), int(b), None if p is None else int(p), int(n), str(k))
                for a, b, p, n, k in data["segments"]
            ),
            metadata=tuple((str(k), str(v)) for k, v in data.get("metadata", [])),
            warnings=tuple(str(w) for w in data.get("warnings", [])),
        )


def content_id(data: bytes) -> str:
    """The stable id of a document: sha256 of its bytes."""
    return hashlib.sha256(data).hexdigest()


class DocumentError(Exception):
    """A file that could not be loaded. `str()` names the file and the reason."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class PasswordRequired(DocumentError):
    """An encrypted document; retry with a password."""
