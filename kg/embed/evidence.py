"""Why a predicted link might hold: the project's own facts around its two entities.

For a candidate (head, relation, tail) the evidence is what a reviewer checks first:

- **paths** of length 2 between head and tail through the graph's facts (either direction:
  ``Ann -Work_For-> Acme -OrgBased_In-> Boston`` supports ``Ann Live_In Boston``), each hop
  with the ids of the relation records behind it (their sentences and offsets are one
  `KnowledgeGraph.evidence` call away; accepted predictions have none);
- **sentences** that mention both, with document and sentence ids;
- **shared neighbours**: entities mentioned in a sentence with the head and in a sentence
  with the tail (the company two names keep, when no fact joins them).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from kg.graph import KnowledgeGraph
from kg.records import SentenceRecord, Snapshot

MAX_PATHS, MAX_SENTENCES, MAX_NEIGHBOURS = 5, 5, 10


@dataclass(frozen=True, slots=True)
class Hop:
    """One fact of the graph: ``head -label-> tail``."""

    head: str
    label: str
    tail: str
    relations: tuple[int, ...]
    """Ids of the relation records asserting it (empty for an accepted prediction)."""


@dataclass(frozen=True, slots=True)
class PathEvidence:
    via: str
    """The entity in the middle."""
    via_name: str
    first: Hop
    """Between the head and `via` (either direction)."""
    second: Hop
    """Between `via` and the tail (either direction)."""


@dataclass(frozen=True, slots=True)
class SentenceEvidence:
    document: str
    document_title: str
    sentence: int
    """SentenceRecord.id"""
    text: str


@dataclass(frozen=True, slots=True)
class LinkEvidence:
    paths: tuple[PathEvidence, ...] = ()
    sentences: tuple[SentenceEvidence, ...] = ()
    shared_neighbours: tuple[str, ...] = ()
    """Entity ids."""

    def __bool__(self) -> bool:
        return bool(self.paths or self.sentences or self.shared_neighbours)


class EvidenceIndex:
    """The facts and sentences around every entity, built once for many candidates."""

    def __init__(self, snap: Snapshot, graph: KnowledgeGraph,
                 accepted: Iterable[tuple[str, str, str]] = ()) -> None:
        self._graph = graph
        records: dict[tuple[str, str, str], list[int]] = defaultdict(list)
        for r in graph.relations():  # accepted predictions are edges with no record
            if r.predicted:
                records.setdefault((r.head, r.label, r.tail), [])
            else:
                records[(r.head, r.label, r.tail)].append(r.id)
        for triple in accepted:
            records.setdefault(triple, [])
        self._hops: dict[str, list[Hop]] = defaultdict(list)
        for (h, label, t), ids in sorted(records.items()):
            hop = Hop(h, label, t, tuple(ids))
            self._hops[h].append(hop)
            if t != h:
                self._hops[t].append(hop)
        self._sentences: dict[str, set[int]] = defaultdict(set)
        self._in_sentence: dict[int, set[str]] = defaultdict(set)
        for entity in graph.entities():
            for m in graph.mentions_of(entity.id):
                self._sentences[entity.id].add(m.sentence)
                self._in_sentence[m.sentence].add(entity.id)
        self._sentence: dict[int, SentenceRecord] = {s.id: s for s in snap.sentences}
        self._titles = {d.id: d.title for d in snap.documents}

    def name(self, entity: str) -> str:
        return self._graph.entity(entity).name if entity in self._graph else entity

    def __call__(self, head: str, tail: str) -> LinkEvidence:
        return LinkEvidence(self._paths(head, tail), self._shared_sentences(head, tail),
                            self._neighbours(head, tail))

    def _paths(self, head: str, tail: str) -> tuple[PathEvidence, ...]:
        near_tail: dict[str, list[Hop]] = defaultdict(list)
        for hop in self._hops.get(tail, ()):
            near_tail[_other(hop, tail)].append(hop)
        found: list[PathEvidence] = []
        for first in self._hops.get(head, ()):
            via = _other(first, head)
            if via in (head, tail):
                continue
            found.extend(PathEvidence(via, self.name(via), first, second)
                         for second in near_tail.get(via, ()))
        found.sort(key=lambda p: (-len(p.first.relations) - len(p.second.relations), p.via_name))
        return tuple(found[:MAX_PATHS])

    def _shared_sentences(self, head: str, tail: str) -> tuple[SentenceEvidence, ...]:
        both = sorted(self._sentences.get(head, set()) & self._sentences.get(tail, set()))
        out = []
        for sid in both[:MAX_SENTENCES]:
            s = self._sentence.get(sid)
            if s is not None:
                out.append(SentenceEvidence(s.document, self._titles.get(s.document, ""),
                                            s.id, s.text))
        return tuple(out)

    def _neighbours(self, head: str, tail: str) -> tuple[str, ...]:
        def company(entity: str) -> set[str]:
            return {e for s in self._sentences.get(entity, ()) for e in self._in_sentence[s]}

        shared = company(head) & company(tail) - {head, tail}
        return tuple(sorted(shared, key=lambda e: (self.name(e), e))[:MAX_NEIGHBOURS])


def _other(hop: Hop, entity: str) -> str:
    return hop.tail if hop.head == entity else hop.head
