"""What `KnowledgeGraph` hands its callers: plain frozen records, no networkx, no SQL."""

from __future__ import annotations

from dataclasses import dataclass, field

TEXT, PREDICTED = "text", "link-prediction"
"""Where an edge comes from: a relation stated in a sentence, or a link an embedding model
predicted and a person accepted (`kg.records.LinkRecord`; no document, no sentence)."""


@dataclass(frozen=True, slots=True)
class Entity:
    """One node of the analytic view: an entity with at least one mention that is not rejected."""

    id: str
    name: str
    label: str
    """Entity type (PER, ORG, LOC, MISC or a trained model's own types)."""
    aliases: tuple[str, ...]
    mentions: int
    """Mentions linked to it that are not rejected."""
    documents: tuple[str, ...]
    """Ids of the documents those mentions are in, sorted."""

    @property
    def type(self) -> str:
        return self.label


@dataclass(frozen=True, slots=True)
class Relation:
    """One edge of the analytic view: one relation occurrence (never a rejected one), or an
    accepted link prediction (`kind` `PREDICTED`: a negative id, confidence 1, status
    ``accepted``, no document or mentions: ``""`` and -1)."""

    id: int
    head: str
    """Entity id of the head mention."""
    tail: str
    label: str
    confidence: float
    status: str
    model: str | None
    document: str
    sentence: int
    head_mention: int
    tail_mention: int
    head_span: tuple[int, int]
    """(start, end) of the head mention in its document's text."""
    tail_span: tuple[int, int]
    confirmed_by: str | None = None
    confirmed_at: str | None = None
    kind: str = TEXT
    score: float | None = None
    """An accepted prediction's model score."""

    @property
    def predicted(self) -> bool:
        return self.kind == PREDICTED


@dataclass(frozen=True, slots=True)
class Span:
    """A mention as evidence: where it is in its document's text, and what it is linked to."""

    mention: int
    text: str
    start: int
    end: int
    label: str
    entity: str | None
    status: str


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a relation (of any status) comes from, down to the characters; for an accepted
    link prediction (`kind` `PREDICTED`): the model, its score, who accepted it and when
    (no document, no sentence)."""

    relation: int
    label: str
    status: str
    confidence: float
    model: str | None
    confirmed_by: str | None
    confirmed_at: str | None
    document: str
    document_title: str
    document_source: str
    sentence: int
    sentence_text: str
    """The sentence's text ("" when the graph does not hold the sentence)."""
    sentence_start: int
    """Offset of the sentence in its document's text."""
    head: Span | None
    """None where the graph does not hold the head mention."""
    tail: Span | None
    kind: str = TEXT
    score: float | None = None

    @property
    def predicted(self) -> bool:
        return self.kind == PREDICTED

    def in_sentence(self, span: Span) -> tuple[int, int]:
        """`span`'s offsets within `sentence_text`."""
        return span.start - self.sentence_start, span.end - self.sentence_start


@dataclass(frozen=True, slots=True)
class GraphStats:
    entities: int
    relations: int
    """Edges of the analytic view (relations that are not rejected, between two entities)."""
    documents: int
    mentions: int
    """Mentions counted on entities (not rejected, linked)."""
    rejected_relations: int
    components: int
    """Weakly connected components."""
    isolated: int
    """Entities with no relation."""
    density: float
    """Distinct connected entity pairs / possible pairs."""
    entity_types: dict[str, int] = field(default_factory=dict)
    relation_labels: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class GraphChange:
    """What one update did to the analytic view; node ids are entity ids, edge ids relation
    ids. `updated_*` changed attributes (a mention count, a status) but stayed."""

    added_nodes: frozenset[str] = frozenset()
    removed_nodes: frozenset[str] = frozenset()
    updated_nodes: frozenset[str] = frozenset()
    added_edges: frozenset[int] = frozenset()
    removed_edges: frozenset[int] = frozenset()
    updated_edges: frozenset[int] = frozenset()

    def __bool__(self) -> bool:
        return bool(
            self.added_nodes or self.removed_nodes or self.updated_nodes
            or self.added_edges or self.removed_edges or self.updated_edges
        )
