"""`KnowledgeGraph`: the entity graph of a project, with provenance, updated per document.

The analytic view is a directed multigraph: one node per entity that has at least one mention
that is not rejected, one edge per relation occurrence (keyed by relation id) that is not
rejected and whose head and tail mentions are not rejected and are linked to such entities.
Every record given to the graph stays reachable (`evidence`, `mentions_of`) whatever its
status. Link predictions a person accepted (`Snapshot.links`) are edges too, between two
entities of the view, with a negative id and their own evidence (model, score, reviewer).
Callers see plain records (`kg.graph.views`, `kg.records`), never networkx.

Incremental: `add_document` adds (or replaces) a document's part of the records, e.g.
`kg.graph.reads.snapshot_for_document`; `remove_document` takes one out. A part carries the
entity records of its own mentions; an entity is kept while a mention refers to it. The
result is always the graph `from_snapshot` of everything held would build. Observers
(`subscribe`) hear a `GraphChange` per update that changed the analytic view.

Not thread-safe: update and read it from one thread; hand worker threads a `copy()`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable
from typing import TYPE_CHECKING

import networkx as nx

from kg.graph._index import REJECTED, Affected, RecordIndex
from kg.graph._view import AnalyticView, Attrs
from kg.graph.views import (
    PREDICTED,
    Entity,
    Evidence,
    GraphChange,
    GraphStats,
    Relation,
    Span,
)
from kg.records import LinkRecord, MentionRecord, Snapshot

if TYPE_CHECKING:
    from kg.records import DocumentRecord
    from kg.store.project import Project

Observer = Callable[[GraphChange], None]


class KnowledgeGraph:
    """The entity graph (see the module docstring). Build with `from_snapshot` or `load`."""

    def __init__(self) -> None:
        self._index = RecordIndex()
        self._view = AnalyticView()
        self._g: nx.MultiDiGraph = self._view.g
        self._observers: list[Observer] = []
        self._projection: tuple[int, nx.Graph] | None = None
        self.version = 0
        """Incremented by every change of the analytic view."""

    @classmethod
    def from_snapshot(cls, snap: Snapshot) -> KnowledgeGraph:
        graph = cls()
        graph._apply(graph._index.add(snap), notify=False)
        return graph

    @classmethod
    def load(cls, project: Project) -> KnowledgeGraph:
        from kg.store.reads import snapshot

        return cls.from_snapshot(snapshot(project))

    # -- incremental updates ----------------------------------------------------------------
    def add_document(self, part: Snapshot) -> GraphChange:
        """Add (or replace) the documents of `part` (e.g. `snapshot_for_document`)."""
        return self._apply(self._index.add(part))

    def remove_document(self, document_id: str) -> GraphChange:
        return self._apply(self._index.remove(document_id))

    def subscribe(self, observer: Observer) -> Callable[[], None]:
        """Call `observer` with each non-empty `GraphChange`; returns the unsubscribe call."""
        self._observers.append(observer)

        def unsubscribe() -> None:
            if observer in self._observers:
                self._observers.remove(observer)

        return unsubscribe

    def _apply(self, affected: Affected, *, notify: bool = True) -> GraphChange:
        change = self._view.apply(self._index, affected)
        if change:
            self.version += 1
            if notify:
                for observer in list(self._observers):
                    observer(change)
        return change

    # -- queries ----------------------------------------------------------------------------
    def __len__(self) -> int:
        return int(self._g.number_of_nodes())

    def __contains__(self, entity_id: object) -> bool:
        return isinstance(entity_id, str) and entity_id in self._g

    def entity(self, entity_id: str) -> Entity:
        """The entity `entity_id` of the analytic view (KeyError if it is not a node)."""
        if entity_id not in self._g:
            raise KeyError(entity_id)
        return _entity(entity_id, self._g.nodes[entity_id])

    def entities(
        self,
        types: Collection[str] | None = None,
        document: str | None = None,
        min_mentions: int = 0,
    ) -> list[Entity]:
        """Entities of the analytic view, most mentioned first (then by name, then id)."""
        out = [
            _entity(eid, a) for eid, a in self._g.nodes(data=True)
            if (types is None or a["label"] in types)
            and (document is None or document in a["documents"])
            and a["mentions"] >= min_mentions
        ]
        out.sort(key=lambda e: (-e.mentions, e.name, e.id))
        return out

    def relation(self, relation_id: int) -> Relation:
        """The edge `relation_id` (KeyError if it is not in the analytic view)."""
        u, v = self._view.ends[relation_id]
        return _relation(relation_id, u, v, self._g.edges[u, v, relation_id])

    def relations(
        self,
        entity: str | None = None,
        label: str | None = None,
        min_confidence: float = 0.0,
        status: str | Collection[str] | None = None,
    ) -> list[Relation]:
        """Edges of the analytic view (at `entity`, either way, when given), sorted by id."""
        if entity is None:
            edges: Iterable[tuple[str, str, int, Attrs]] = self._g.edges(keys=True, data=True)
        elif entity not in self._g:
            return []
        else:
            inc = self._g.in_edges(entity, keys=True, data=True)
            out = self._g.out_edges(entity, keys=True, data=True)
            edges = {k: (u, v, k, a) for u, v, k, a in [*inc, *out]}.values()
        statuses = {status} if isinstance(status, str) else status
        found = [
            _relation(k, u, v, a) for u, v, k, a in edges
            if (label is None or a["label"] == label)
            and a["confidence"] >= min_confidence
            and (statuses is None or a["status"] in statuses)
        ]
        found.sort(key=lambda r: r.id)
        return found

    def neighbours(self, entity_id: str) -> list[str]:
        """Entities related to `entity_id` either way, sorted."""
        if entity_id not in self._g:
            raise KeyError(entity_id)
        return sorted(set(self._g.successors(entity_id)) | set(self._g.predecessors(entity_id)))

    def mentions_of(self, entity_id: str, *, include_rejected: bool = False) -> list[MentionRecord]:
        """Mentions linked to `entity_id`, in document order."""
        idx = self._index
        ids = idx.referring.get(entity_id, set()) if include_rejected else idx.live.get(
            entity_id, set())
        return sorted((idx.mentions[m] for m in ids), key=lambda m: (m.document, m.start, m.id))

    def relation_ids(self, document: str | None = None) -> list[int]:
        """Ids of every relation held, of any status (of `document`, when given)."""
        if document is None:
            return sorted(self._index.relations)
        parts = self._index.parts.get(document)
        return sorted(parts.relations) if parts is not None else []

    def documents(self) -> list[DocumentRecord]:
        """The documents held, by source."""
        return sorted(self._index.documents.values(), key=lambda d: (d.source, d.id))

    def set_links(self, links: tuple[LinkRecord, ...]) -> GraphChange:
        """Replace the accepted link predictions (e.g. after a person accepted one)."""
        return self._apply(self._index.set_links(links))

    def evidence(self, relation_id: int) -> Evidence:
        """Where relation `relation_id` (of any status) comes from; for an accepted link
        prediction's edge (a negative id), its model, score, reviewer and time."""
        idx = self._index
        if relation_id < 0:
            return _link_evidence(relation_id, idx.links[relation_id])
        r = idx.relations[relation_id]
        doc, sent = idx.documents.get(r.document), idx.sentences.get(r.sentence)
        return Evidence(
            relation=r.id, label=r.label, status=r.status, confidence=r.confidence,
            model=r.model, confirmed_by=r.confirmed_by, confirmed_at=r.confirmed_at,
            document=r.document, document_title=doc.title if doc else "",
            document_source=doc.source if doc else "", sentence=r.sentence,
            sentence_text=sent.text if sent else "", sentence_start=sent.start if sent else 0,
            head=_span(idx.mentions.get(r.head)), tail=_span(idx.mentions.get(r.tail)),
        )

    def subgraph(self, entity_ids: Iterable[str]) -> KnowledgeGraph:
        """A new graph of these entities and the relations among them, with their records."""
        return KnowledgeGraph.from_snapshot(self._sub_snapshot(set(entity_ids)))

    def copy(self) -> KnowledgeGraph:
        """An independent graph of the same records (without the observers)."""
        return KnowledgeGraph.from_snapshot(self.to_snapshot())

    def to_snapshot(self) -> Snapshot:
        """Every record held, of any status, as a `Snapshot`."""
        return self._index.snapshot()

    def stats(self) -> GraphStats:
        g, n = self._g, self._g.number_of_nodes()
        pairs = {frozenset((u, v)) for u, v in g.edges() if u != v}
        return GraphStats(
            entities=n, relations=g.number_of_edges(), documents=len(self._index.documents),
            mentions=sum(a["mentions"] for _, a in g.nodes(data=True)),
            rejected_relations=sum(
                r.status == REJECTED for r in self._index.relations.values()),
            components=nx.number_weakly_connected_components(g) if n else 0,
            isolated=sum(1 for e in g if g.degree(e) == 0),
            density=2 * len(pairs) / (n * (n - 1)) if n > 1 else 0.0,
            entity_types=dict(sorted(Counter(a["label"] for _, a in g.nodes(data=True)).items())),
            relation_labels=dict(sorted(Counter(a["label"] for *_, a in g.edges(data=True))
                                        .items())),
        )

    def _sub_snapshot(self, keep: set[str]) -> Snapshot:
        idx, full = self._index, self._index.snapshot()
        keep &= set(idx.entities)
        mentions = tuple(m for m in full.mentions if m.entity in keep)
        mids = {m.id for m in mentions}
        relations = tuple(r for r in full.relations if r.head in mids and r.tail in mids)
        links = tuple(k for k in full.links if k.head in keep and k.tail in keep)
        docs = {m.document for m in mentions} | {r.document for r in relations}
        return Snapshot(
            documents=tuple(d for d in full.documents if d.id in docs),
            sentences=tuple(s for s in full.sentences if s.document in docs),
            models=full.models,
            entities=tuple(e for e in full.entities if e.id in keep),
            mentions=mentions, relations=relations, links=links,
        )


def network(graph: KnowledgeGraph) -> nx.MultiDiGraph:
    """The analytic view itself, for `kg.graph`'s own modules only: do not change it."""
    return graph._g


def projection(graph: KnowledgeGraph) -> nx.Graph:
    """The undirected entity-entity graph: every node, an edge between two different entities
    with ``weight`` = number of relations between them (either way); nodes and edges in
    sorted order, so that what is computed from it does not depend on the order the graph
    was built in. Cached per version; for `kg.graph`'s own modules only: do not change it."""
    cached = graph._projection
    if cached is not None and cached[0] == graph.version:
        return cached[1]
    weights = Counter((u, v) if u < v else (v, u) for u, v in graph._g.edges() if u != v)
    g = nx.Graph()
    g.add_nodes_from(sorted(graph._g.nodes))  # sorted: results do not depend on the order
    g.add_weighted_edges_from((u, v, w) for (u, v), w in sorted(weights.items()))
    graph._projection = (graph.version, g)
    return g


def _entity(eid: str, a: Attrs) -> Entity:
    return Entity(eid, a["name"], a["label"], a["aliases"], a["mentions"], a["documents"])


def _relation(rid: int, u: str, v: str, a: Attrs) -> Relation:
    return Relation(id=rid, head=u, tail=v, **a)


def _link_evidence(edge: int, link: LinkRecord) -> Evidence:
    return Evidence(
        relation=edge, label=link.label, status="accepted", confidence=1.0, model=link.model,
        confirmed_by=link.confirmed_by, confirmed_at=link.confirmed_at, document="",
        document_title="", document_source="", sentence=-1, sentence_text="",
        sentence_start=0, head=None, tail=None, kind=PREDICTED, score=link.score,
    )


def _span(m: MentionRecord | None) -> Span | None:
    if m is None:
        return None
    return Span(m.id, m.text, m.start, m.end, m.label, m.entity, m.status)
