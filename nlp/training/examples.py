"""Value types for training data: a sentence with its gold entities and relations.

Everything here is plain, frozen and hashable, so examples can be cached, compared and
hashed (`data_hash`) to record exactly which data a model bundle was trained on.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, TypeAlias

__all__ = [
    "ALL",
    "Example",
    "Known",
    "Partial",
    "RelLabel",
    "RelTriple",
    "SpanLabel",
    "data_hash",
    "documents",
    "entity_counts",
    "relation_counts",
]


@dataclass(frozen=True, slots=True, order=True)
class SpanLabel:
    """A labelled token span: tokens ``start .. end - 1`` (end exclusive)."""

    start: int
    end: int
    label: str

    @property
    def length(self) -> int:
        return self.end - self.start

    def overlaps(self, other: SpanLabel) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True, order=True)
class RelLabel:
    """A directed relation between two entities, by index into `Example.entities`."""

    head: int
    tail: int
    label: str


RelTriple = tuple[SpanLabel, SpanLabel, str]
"""A relation with its arguments resolved to spans: ``(head_span, tail_span, label)``."""


@dataclass(frozen=True, slots=True)
class Partial:
    """What is known about a sentence an annotator did not fully review.

    The example's `Example.entities` and `Example.relations` are confirmed positives; on
    top of them, `rejected` spans are explicit negatives (their words are taught "no
    entity" where no confirmed span covers them) and `rejected_relations` are entity pairs
    taught "no relation" (unless a confirmed relation links the same pair). Every other
    word and every other entity pair is unknown and teaches nothing.
    """

    rejected: tuple[SpanLabel, ...] = ()
    rejected_relations: tuple[RelTriple, ...] = ()


ALL: Literal["all"] = "all"
"""`Example.known` of a fully reviewed sentence: whatever is not annotated is "O" / "none"."""

Known: TypeAlias = Literal["all"] | Partial


@dataclass(frozen=True, slots=True)
class Example:
    """One sentence of training data.

    ``index`` is the position of the sentence in its document ``doc_id`` (0-based), so a
    model can fetch neighbouring sentences as context via `documents`. ``known`` says how
    much of the sentence was annotated: `ALL` (the default: corpora, reviewed sentences)
    or a `Partial` (only the annotated spans and relations and the explicit negatives).
    """

    tokens: tuple[str, ...]
    entities: tuple[SpanLabel, ...] = ()
    relations: tuple[RelLabel, ...] = ()
    doc_id: str = ""
    index: int = 0
    known: Known = ALL

    @property
    def is_partial(self) -> bool:
        return isinstance(self.known, Partial)

    def relation_triples(self) -> set[RelTriple]:
        """Relations as ``(head_span, tail_span, label)``, the form `re_scores` takes."""
        return {(self.entities[r.head], self.entities[r.tail], r.label) for r in self.relations}

    def canonical(self) -> dict[str, object]:
        """A JSON-ready form; the basis of `data_hash` (a fully known example's form, and
        so its hash, is what it was before partial annotation existed)."""
        out: dict[str, object] = {
            "doc_id": self.doc_id,
            "index": self.index,
            "tokens": list(self.tokens),
            "entities": [[e.start, e.end, e.label] for e in self.entities],
            "relations": [[r.head, r.tail, r.label] for r in self.relations],
        }
        if isinstance(self.known, Partial):
            out["known"] = {
                "rejected": [[e.start, e.end, e.label] for e in self.known.rejected],
                "rejected_relations": [[h.start, h.end, h.label, t.start, t.end, t.label, r]
                                       for h, t, r in self.known.rejected_relations],
            }
        return out


def documents(examples: Iterable[Example]) -> dict[str, list[Example]]:
    """Group sentences by ``doc_id``; documents and sentences keep their input order."""
    docs: dict[str, list[Example]] = {}
    for ex in examples:
        docs.setdefault(ex.doc_id, []).append(ex)
    return docs


def data_hash(examples: Iterable[Example]) -> str:
    """A stable SHA-256 hex digest of the examples, in order.

    Each example's `Example.canonical` form is serialised as JSON with sorted keys, no
    whitespace and UTF-8 text (``ensure_ascii=False``), one per line. The digest depends
    only on the data, not on the Python version, platform or file it was read from.
    """
    digest = hashlib.sha256()
    for ex in examples:
        line = json.dumps(ex.canonical(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        digest.update(line.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def entity_counts(examples: Iterable[Example]) -> Counter[str]:
    """How many gold entities of each type."""
    return Counter(e.label for ex in examples for e in ex.entities)


def relation_counts(examples: Iterable[Example]) -> Counter[str]:
    """How many gold relations of each type."""
    return Counter(r.label for ex in examples for r in ex.relations)
