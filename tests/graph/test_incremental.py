"""Adding and removing documents one at a time gives the graph a rebuild would give."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from graph_samples import MODELS
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.graph import GraphChange, KnowledgeGraph
from kg.records import (
    DocumentRecord,
    EntityRecord,
    MentionRecord,
    RelationRecord,
    SentenceRecord,
    Snapshot,
)

ENTITIES = {
    e.id: e
    for e in (
        EntityRecord("e-0", "PER", 'Ann "The Hammer"', ("Ann",)),
        EntityRecord("e-1", "ORG", "<Acme & Sons>"),
        EntityRecord("e-2", "LOC", "Zürich 🇨🇭"),
        EntityRecord("e odd/#?", "MISC", "tab\there\nline"),
    )
}
GHOST = "e-ghost"  # referred to, never defined
STATUSES = ("suggested", "accepted", "rejected")


@st.composite
def corpora(draw: st.DrawFn) -> dict[str, tuple[Snapshot, Snapshot]]:
    """Documents, each in two versions (the second re-labels and re-links: same ids)."""
    n_docs = draw(st.integers(1, 4))
    entity = st.sampled_from([*ENTITIES, GHOST, None])
    status = st.sampled_from(STATUSES)
    docs: dict[str, list[Any]] = {}
    mention_ids = 0
    all_mentions: list[int] = []
    for d in range(n_docs):
        doc = f"doc-{d}"
        sent = SentenceRecord(d + 1, doc, 0, 0, 50, "x" * 50)
        mentions = []
        for _ in range(draw(st.integers(0, 5))):
            mention_ids += 1
            start = draw(st.integers(0, 40))
            mentions.append(MentionRecord(mention_ids, doc, sent.id, start, start + 5, "xxxxx",
                                          "PER", 0.5, MODELS[0].id, draw(entity), draw(status)))
        all_mentions += [m.id for m in mentions]
        docs[doc] = [DocumentRecord(doc, f"/d/{d}", doc, "txt", "extracted"), sent, mentions]
    relation_ids = 0
    for doc, (_, sent, mentions) in docs.items():
        relations = []
        if all_mentions:
            for _ in range(draw(st.integers(0, 5))):
                relation_ids += 1
                own = [m.id for m in mentions]
                pool = own if own and draw(st.integers(0, 4)) else all_mentions  # cross-doc
                head, tail = draw(st.sampled_from(pool)), draw(st.sampled_from(pool))
                relations.append(RelationRecord(
                    relation_ids, doc, sent.id, head, tail, draw(st.sampled_from("ab")),
                    draw(st.floats(0, 1)), MODELS[0].id, draw(status)))
        docs[doc].append(relations)
    out = {}
    for doc, (record, sent, mentions, relations) in docs.items():
        again_m = [replace(m, entity=draw(entity), status=draw(status)) for m in mentions]
        again_r = [replace(r, status=draw(status), label="c") for r in relations]
        out[doc] = (_part(record, sent, mentions, relations),
                    _part(record, sent, again_m, again_r))
    return out


def _part(doc: DocumentRecord, sent: SentenceRecord, mentions: list[MentionRecord],
          relations: list[RelationRecord]) -> Snapshot:
    linked = sorted({m.entity for m in mentions if m.entity in ENTITIES})
    return Snapshot((doc,), (sent,), MODELS, tuple(ENTITIES[e] for e in linked),
                    tuple(mentions), tuple(relations))


def _union(parts: list[Snapshot]) -> Snapshot:
    entities = {e.id: e for p in parts for e in p.entities}
    return Snapshot(
        tuple(d for p in parts for d in p.documents), tuple(s for p in parts for s in p.sentences),
        MODELS, tuple(entities.values()), tuple(m for p in parts for m in p.mentions),
        tuple(r for p in parts for r in p.relations))


def _same(a: KnowledgeGraph, b: KnowledgeGraph) -> None:
    assert replace(a.to_snapshot(), models=()) == replace(b.to_snapshot(), models=())
    assert a.entities() == b.entities()
    assert a.relations() == b.relations()
    assert a.stats() == b.stats()
    for rid in a.relation_ids():
        assert a.evidence(rid) == b.evidence(rid)
    for e in a.entities():
        assert a.mentions_of(e.id, include_rejected=True) == b.mentions_of(
            e.id, include_rejected=True)


@settings(max_examples=60, deadline=None)
@given(corpus=corpora(), ops=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2)),
                                      max_size=14))
def test_incremental_equals_rebuilt(
    corpus: dict[str, tuple[Snapshot, Snapshot]], ops: list[tuple[int, int]]
) -> None:
    kg = KnowledgeGraph()
    nodes: set[str] = set()
    edges: set[int] = set()

    def mirror(change: GraphChange) -> None:
        assert not change.added_nodes & nodes and change.removed_nodes <= nodes
        assert change.updated_nodes <= nodes and change.updated_edges <= edges
        assert not change.added_edges & edges and change.removed_edges <= edges
        nodes.difference_update(change.removed_nodes)
        nodes.update(change.added_nodes)
        edges.difference_update(change.removed_edges)
        edges.update(change.added_edges)

    kg.subscribe(mirror)
    held: dict[str, Snapshot] = {}
    names = sorted(corpus)
    for which, action in ops:
        doc = names[which % len(names)]
        if action == 0:
            kg.remove_document(doc)
            held.pop(doc, None)
        else:  # add version 1 or 2 (replacing what is held)
            held[doc] = corpus[doc][action - 1]
            kg.add_document(held[doc])
        rebuilt = KnowledgeGraph.from_snapshot(_union([held[d] for d in sorted(held)]))
        _same(kg, rebuilt)
        assert nodes == {e.id for e in kg.entities()}
        assert edges == {r.id for r in kg.relations()}
