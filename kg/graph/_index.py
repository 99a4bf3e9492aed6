"""The records behind a `KnowledgeGraph`, indexed by document, entity and mention.

Every record the graph was given is kept here, whatever its status, so that provenance of
everything stays reachable; the analytic view (the networkx graph) is derived from it.
Records are grouped by their own ``document`` field: removing a document removes exactly
the records that name it. An entity record is kept while some mention (of any status)
refers to it; a part is expected to carry the entity records of its own mentions.
Accepted link predictions (`LinkRecord`) belong to no document: a part's links are added
(by id), `set_links` replaces them all; their edges are keyed ``-id`` (`link_edge`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TypeVar

from kg.records import (
    DocumentRecord,
    EntityRecord,
    LinkRecord,
    MentionRecord,
    ModelRecord,
    RelationRecord,
    SentenceRecord,
    Snapshot,
)

REJECTED = "rejected"
K = TypeVar("K")


def link_edge(link_id: int) -> int:
    """The edge id of accepted link `link_id` (negative: never a relation's id)."""
    return -link_id


@dataclass(slots=True)
class _Parts:
    sentences: set[int] = field(default_factory=set)
    mentions: set[int] = field(default_factory=set)
    relations: set[int] = field(default_factory=set)


@dataclass(slots=True)
class Affected:
    """Entities and relations whose place in the analytic view may have changed."""

    entities: set[str] = field(default_factory=set)
    relations: set[int] = field(default_factory=set)

    def update(self, other: Affected) -> None:
        self.entities |= other.entities
        self.relations |= other.relations


class RecordIndex:
    def __init__(self) -> None:
        self.documents: dict[str, DocumentRecord] = {}
        self.sentences: dict[int, SentenceRecord] = {}
        self.models: dict[str, ModelRecord] = {}
        self.entities: dict[str, EntityRecord] = {}
        self.mentions: dict[int, MentionRecord] = {}
        self.relations: dict[int, RelationRecord] = {}
        self.parts: dict[str, _Parts] = {}
        self.live: dict[str, set[int]] = defaultdict(set)
        """entity id -> ids of the mentions linked to it that are not rejected"""
        self.referring: dict[str, set[int]] = defaultdict(set)
        """entity id -> ids of all mentions linked to it"""
        self.relations_of: dict[int, set[int]] = defaultdict(set)
        """mention id -> ids of the relations whose head or tail it is"""
        self.links: dict[int, LinkRecord] = {}
        """edge id (`link_edge`) -> accepted link"""
        self.links_at: dict[str, set[int]] = defaultdict(set)
        """entity id -> edge ids of the accepted links at it"""

    # -- changes ----------------------------------------------------------------------------
    def add(self, part: Snapshot) -> Affected:
        """Add `part`'s records; a document already held is replaced as a whole."""
        docs = {d.id for d in part.documents}
        for records in (part.sentences, part.mentions, part.relations):
            docs.update(r.document for r in records)
        affected = Affected()
        for doc in sorted(docs):
            if doc in self.parts or doc in self.documents:
                affected.update(self.remove(doc))
        for model in part.models:
            self.models[model.id] = model
        for d in part.documents:
            self.documents[d.id] = d
            self._parts(d.id)
        for s in part.sentences:
            self.sentences[s.id] = s
            self._parts(s.document).sentences.add(s.id)
        for m in part.mentions:
            self._add_mention(m, affected)
        for r in part.relations:
            self.relations[r.id] = r
            self._parts(r.document).relations.add(r.id)
            self.relations_of[r.head].add(r.id)
            self.relations_of[r.tail].add(r.id)
            affected.relations.add(r.id)
        for e in part.entities:
            if not self.referring.get(e.id):
                continue  # nobody refers to it: not kept (as in a rebuild)
            if e.id not in self.entities:  # dangling references may now resolve
                for mid in self.referring[e.id]:
                    affected.relations |= self.relations_of.get(mid, set())
            self.entities[e.id] = e
            affected.entities.add(e.id)
        for link in part.links:
            self._add_link(link, affected)
        return self._with_links(affected)

    def set_links(self, links: tuple[LinkRecord, ...]) -> Affected:
        """Replace every accepted link with `links`."""
        affected = Affected()
        for eid in list(self.links):
            link = self.links.pop(eid)
            for entity in (link.head, link.tail):
                _discard(self.links_at, entity, eid)
            affected.relations.add(eid)
        for link in links:
            self._add_link(link, affected)
        return affected

    def _add_link(self, link: LinkRecord, affected: Affected) -> None:
        eid = link_edge(link.id)
        old = self.links.get(eid)
        if old is not None:
            for entity in (old.head, old.tail):
                _discard(self.links_at, entity, eid)
        self.links[eid] = link
        self.links_at[link.head].add(eid)
        self.links_at[link.tail].add(eid)
        affected.relations.add(eid)

    def _with_links(self, affected: Affected) -> Affected:
        """`affected` plus the links at its entities (their edges come and go with them)."""
        for entity in affected.entities:
            affected.relations |= self.links_at.get(entity, set())
        return affected

    def remove(self, doc: str) -> Affected:
        """Remove every record of document `doc` (nothing when it is not held)."""
        affected = Affected()
        self.documents.pop(doc, None)
        parts = self.parts.pop(doc, None)
        if parts is None:
            return affected
        for sid in parts.sentences:
            del self.sentences[sid]
        for rid in parts.relations:
            r = self.relations.pop(rid)
            for mid in (r.head, r.tail):
                _discard(self.relations_of, mid, rid)
            affected.relations.add(rid)
        for mid in parts.mentions:
            m = self.mentions.pop(mid)
            affected.relations |= self.relations_of.get(mid, set())
            if m.entity is not None:
                affected.entities.add(m.entity)
                _discard(self.live, m.entity, mid)
                _discard(self.referring, m.entity, mid)
                if m.entity not in self.referring:
                    self.entities.pop(m.entity, None)
        return self._with_links(affected)

    def _parts(self, doc: str) -> _Parts:
        parts = self.parts.get(doc)
        if parts is None:
            parts = self.parts[doc] = _Parts()
        return parts

    def _add_mention(self, m: MentionRecord, affected: Affected) -> None:
        self.mentions[m.id] = m
        self._parts(m.document).mentions.add(m.id)
        affected.relations |= self.relations_of.get(m.id, set())
        if m.entity is not None:
            self.referring[m.entity].add(m.id)
            if m.status != REJECTED:
                self.live[m.entity].add(m.id)
            affected.entities.add(m.entity)

    # -- reading ----------------------------------------------------------------------------
    def entity_of(self, mention_id: int) -> str | None:
        """The entity a live mention is linked to, if the graph holds that entity."""
        m = self.mentions.get(mention_id)
        if m is None or m.status == REJECTED or m.entity not in self.entities:
            return None
        return m.entity

    def snapshot(self) -> Snapshot:
        """The records held, as a `Snapshot` (each kind sorted by id; documents by source)."""
        return Snapshot(
            documents=tuple(sorted(self.documents.values(), key=lambda d: (d.source, d.id))),
            sentences=tuple(self.sentences[k] for k in sorted(self.sentences)),
            models=tuple(self.models[k] for k in sorted(self.models)),
            entities=tuple(self.entities[k] for k in sorted(self.entities)),
            mentions=tuple(self.mentions[k] for k in sorted(self.mentions)),
            relations=tuple(self.relations[k] for k in sorted(self.relations)),
            links=tuple(sorted(self.links.values(), key=lambda link: link.id)),
        )


def _discard(index: dict[K, set[int]], key: K, value: int) -> None:
    values = index.get(key)
    if values is None:
        return
    values.discard(value)
    if not values:
        del index[key]
