"""What the document view marks besides the entity highlights, without Qt: the relations of
the shown document (as hints on their mentions, lines for tooltips and the relations list)
and the sentences a person marked as reviewed.

`TextMarks.of(state)` reads them once per document or edit; the view then only looks up
what lies in the part of the text on screen (`related_in`, `reviewed_in`: bisection).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.state.project_state import ProjectState
    from kg.records import MentionRecord, RelationRecord

Span = tuple[int, int]

# (light theme, dark theme)
RELATION_COLOUR = ("#c2410c", "#fb923c")
"""Relation hints: the bar under a mention in a relation, the arrows of the focused one."""
REVIEWED_COLOUR = ("#16a34a", "#4ade80")
"""The margin bar beside a reviewed sentence."""


def theme_colour(pair: tuple[str, str], dark: bool) -> str:
    return pair[1] if dark else pair[0]


@dataclass(frozen=True, slots=True)
class RelationHint:
    """One relation of the shown document with both of its mentions."""

    relation: RelationRecord
    head: MentionRecord
    tail: MentionRecord

    @property
    def status(self) -> str:
        """`` (suggested 0.87)``; empty once a person accepted it."""
        r = self.relation
        return "" if r.status == "accepted" else f" ({r.status} {r.confidence:.2f})"

    def line(self, seen_from: int | None = None) -> str:
        """``—Work_For→ “Acme Corp” (suggested 0.87)`` as seen from mention `seen_from`
        (the head by default); from the tail: ``←Work_For— “Jane Doe” (...)``."""
        r = self.relation
        if seen_from == self.tail.id and seen_from != self.head.id:
            return f"←{r.label}— “{self.head.text}”{self.status}"
        return f"—{r.label}→ “{self.tail.text}”{self.status}"

    def summary(self) -> str:
        """``“Jane Doe” —Work_For→ “Acme Corp” (suggested 0.87)``."""
        return f"“{self.head.text}” {self.line()}"


@dataclass(frozen=True)
class TextMarks:
    hints: tuple[RelationHint, ...] = ()
    """The document's relations whose two mentions are shown, in text order of the head."""
    reviewed: tuple[tuple[int, Span], ...] = ()
    """(sentence id, span) of each reviewed sentence, in text order."""
    related: tuple[MentionRecord, ...] = ()
    """Mentions that take part in a relation, in text order."""
    _by_mention: dict[int, list[RelationHint]] = field(default_factory=dict, repr=False)
    _starts: tuple[int, ...] = field(default=(), repr=False)
    _longest: int = 0

    @classmethod
    def of(cls, state: ProjectState) -> TextMarks:
        doc = state.selected
        if doc is None or doc.status == "failed":
            return cls()
        by_id = {m.id: m for m in state.mentions}
        hints = [RelationHint(r, by_id[r.head], by_id[r.tail]) for r in state.relations
                 if r.head in by_id and r.tail in by_id]
        hints.sort(key=lambda h: (h.head.start, h.tail.start, h.relation.id))
        by_mention: dict[int, list[RelationHint]] = {}
        for h in hints:
            by_mention.setdefault(h.head.id, []).append(h)
            if h.tail.id != h.head.id:
                by_mention.setdefault(h.tail.id, []).append(h)
        related = tuple(sorted((by_id[i] for i in by_mention), key=lambda m: (m.start, m.id)))
        rows = state.project.query(
            "SELECT s.id, s.start, s.end FROM sentence_reviews r JOIN sentences s"
            " ON s.id = r.sentence WHERE s.document = ? ORDER BY s.start", (doc.id,))
        reviewed = tuple((int(i), (int(a), int(b))) for i, a, b in rows)
        return cls(tuple(hints), reviewed, related, by_mention,
                   tuple(m.start for m in related),
                   max((m.end - m.start for m in related), default=0))

    def relations_of(self, mention: int) -> list[RelationHint]:
        """The relations mention `mention` takes part in (head or tail)."""
        return self._by_mention.get(mention, [])

    def lines_at(self, mentions: list[MentionRecord]) -> list[str]:
        """Tooltip lines: each relation of `mentions`, as seen from that mention."""
        return [h.line(m.id) for m in mentions for h in self.relations_of(m.id)]

    def related_in(self, start: int, end: int) -> list[MentionRecord]:
        """Mentions in a relation that overlap characters [start, end)."""
        lo = bisect.bisect_left(self._starts, start - self._longest)
        hi = bisect.bisect_left(self._starts, end)
        return [m for m in self.related[lo:hi] if m.end > start]

    def reviewed_in(self, start: int, end: int) -> list[Span]:
        """Spans of reviewed sentences that overlap characters [start, end)."""
        return [span for _, span in self.reviewed if span[0] < end and span[1] > start]

    def is_reviewed(self, offset: int) -> bool:
        return any(a <= offset < b for a, b in self.reviewed_in(offset, offset + 1))
