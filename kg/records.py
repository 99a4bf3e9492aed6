"""Plain, frozen records of what a project holds: the shape the store hands to the graph,
RDF and exports. No behaviour, no library types; offsets are into `DocumentRecord.text`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    id: str
    """Content hash (sha256 hex) of the source bytes."""
    source: str
    title: str
    format: str
    status: str
    """``loaded``, ``extracted`` or ``failed``."""
    error: str | None = None


@dataclass(frozen=True, slots=True)
class SentenceRecord:
    id: int
    document: str
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class ModelRecord:
    id: str
    """e.g. ``rule-baseline@0.1``."""
    kind: str
    description: str
    created_at: str


@dataclass(frozen=True, slots=True)
class EntityRecord:
    id: str
    """Stable id, safe in an IRI path segment (``e-`` + hex)."""
    label: str
    """Entity type: PER, ORG, LOC, MISC (or a trained model's own types)."""
    name: str
    """Preferred (canonical) name."""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MentionRecord:
    id: int
    document: str
    sentence: int
    """SentenceRecord.id"""
    start: int
    end: int
    text: str
    label: str
    confidence: float
    model: str | None
    """ModelRecord.id of the extractor; None for a span a person added."""
    entity: str | None
    status: str
    """``suggested``, ``accepted`` or ``rejected``."""
    confirmed_by: str | None = None
    confirmed_at: str | None = None


@dataclass(frozen=True, slots=True)
class RelationRecord:
    id: int
    document: str
    sentence: int
    head: int
    """MentionRecord.id"""
    tail: int
    label: str
    confidence: float
    model: str | None
    status: str
    confirmed_by: str | None = None
    confirmed_at: str | None = None


@dataclass(frozen=True, slots=True)
class LinkRecord:
    """A link an embedding model predicted and a person accepted (``link_decisions``): a fact
    between two entities with no document or sentence behind it."""

    id: int
    """Row id of the decision (a graph edge's id is ``-id``: never a relation's)."""
    head: str
    """Entity id."""
    label: str
    """Relation label, e.g. ``Work_For``."""
    tail: str
    score: float | None
    """The embedding model's raw score when it was accepted (orders one model's predictions;
    not a probability)."""
    model: str | None
    """The embedding that proposed it: ``<name>:<model>@<version>``."""
    confirmed_by: str
    confirmed_at: str


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything a project holds that the graph and exports need, read in one transaction."""

    documents: tuple[DocumentRecord, ...]
    sentences: tuple[SentenceRecord, ...]
    models: tuple[ModelRecord, ...]
    entities: tuple[EntityRecord, ...]
    mentions: tuple[MentionRecord, ...]
    relations: tuple[RelationRecord, ...]
    same_as: tuple[tuple[str, str], ...] = ()
    """(entity id, IRI of the known entity it is): ``owl:sameAs`` in RDF exports."""
    links: tuple[LinkRecord, ...] = ()
    """Accepted link predictions (`LinkRecord`), by id."""
