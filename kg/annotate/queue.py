"""The review queue: the model's open suggestions across the project, least confident first.

Like Prodigy's ``ner.teach`` or INCEpTION's active-learning sidebar, what the model is least
sure of comes first. A relation is queued only while neither of its mentions is rejected.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kg.store.project import Project

MENTION, RELATION = "mention", "relation"


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One open suggestion: a mention, or a relation between two mentions."""

    kind: str
    """``mention`` or ``relation``."""
    id: int
    document: str
    title: str
    sentence: int
    start: int
    end: int
    """The span to show: the mention, or from the relation's first to its last character."""
    text: str
    """The mention's text, or ``head → tail``."""
    label: str
    confidence: float
    model: str | None
    head: int | None = None
    tail: int | None = None

    @property
    def key(self) -> tuple[str, int]:
        return self.kind, self.id


_MENTIONS = """
SELECT 'mention', m.id, m.document, d.title, m.sentence, m.start, m.end, m.text, m.label,
       m.confidence, m.model, NULL, NULL
FROM mentions m JOIN documents d ON d.id = m.document
WHERE m.status = 'suggested' AND d.status = 'extracted'
"""
_RELATIONS = """
SELECT 'relation', r.id, r.document, d.title, r.sentence, min(h.start, t.start),
       max(h.end, t.end), h.text || ' → ' || t.text, r.label, r.confidence, r.model,
       r.head, r.tail
FROM relations r JOIN documents d ON d.id = r.document
JOIN mentions h ON h.id = r.head JOIN mentions t ON t.id = r.tail
WHERE r.status = 'suggested' AND d.status = 'extracted'
  AND h.status != 'rejected' AND t.status != 'rejected'
"""


ORDERS = ("confidence", "helpful")


def review_queue(project: Project, limit: int = 5000, *, order: str = "confidence",
                 priority: Mapping[int, float] | None = None) -> tuple[ReviewItem, ...]:
    """Open suggestions, least confident first (then by document and position).

    ``order="helpful"`` puts the sentences whose review helps most first: by `priority`
    (sentence row id -> score, e.g. ``kg.assist.priority.scores(priorities(project))``,
    computed by the caller since it may need the graph and an embedding), then least
    confident first within a sentence. The limit applies after ordering."""
    if order not in ORDERS:
        raise ValueError(f"unknown queue order {order!r}; choose one of {', '.join(ORDERS)}")
    sql = f"{_MENTIONS} UNION ALL {_RELATIONS} ORDER BY 10, 4, 3, 6, 1, 2"
    if order == "confidence":
        return tuple(ReviewItem(*row) for row in project.query(f"{sql} LIMIT ?", (limit,)))
    scores = priority or {}
    items = sorted((ReviewItem(*row) for row in project.query(sql)),
                   key=lambda item: -scores.get(item.sentence, 0.0))
    return tuple(items[:limit])


def open_suggestions(project: Project) -> int:
    """How many suggestions are still open (the queue may show fewer)."""
    sql = f"SELECT count(*) FROM ({_MENTIONS} UNION ALL {_RELATIONS})"  # noqa: S608 - constants
    return int(project.query(sql)[0][0])
