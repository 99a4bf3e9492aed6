"""Accepted link predictions are edges of the graph: with their own evidence (model, score,
who accepted it), only while both entities are nodes, kept across incremental updates."""

from __future__ import annotations

from dataclasses import replace

from graph_samples import Builder

from kg.graph import KnowledgeGraph
from kg.graph.views import PREDICTED
from kg.records import LinkRecord, Snapshot

MODEL = "transe:TransE@2025-01-02T03:04:05Z"
WHEN = "2025-03-04T05:06:07+00:00"


def sample() -> Snapshot:
    b = Builder()
    d1 = b.doc("d1", "Ann met Bob in Oslo.")
    d2 = b.doc("d2", "Acme hired Cat.")
    ann, bob = b.entity("e-ann", "Ann"), b.entity("e-bob", "Bob")
    oslo, acme = b.entity("e-oslo", "Oslo", "LOC"), b.entity("e-acme", "Acme", "ORG")
    cat = b.entity("e-cat", "Cat")
    m = {name: b.mention(d1, name, eid) for name, eid in
         (("Ann", ann), ("Bob", bob), ("Oslo", oslo))}
    b.mention(d2, "Acme", acme)
    b.mention(d2, "Cat", cat)
    b.relation(m["Ann"], m["Oslo"], "Live_In")
    return replace(b.snapshot(), links=(
        LinkRecord(4, "e-bob", "Live_In", "e-oslo", -1.25, MODEL, "dana", WHEN),
        LinkRecord(7, "e-cat", "Work_For", "e-acme", None, None, "bob", WHEN),
    ))


def test_an_accepted_link_is_an_edge_with_its_own_evidence() -> None:
    graph = KnowledgeGraph.from_snapshot(sample())
    [edge] = graph.relations(entity="e-bob")
    assert (edge.id, edge.head, edge.label, edge.tail) == (-4, "e-bob", "Live_In", "e-oslo")
    assert edge.predicted and edge.kind == PREDICTED and edge.status == "accepted"
    assert edge.confidence == 1.0 and edge.score == -1.25 and edge.document == ""
    assert not graph.relations(entity="e-ann")[0].predicted
    ev = graph.evidence(-4)
    assert ev.predicted and ev.model == MODEL and ev.score == -1.25
    assert (ev.confirmed_by, ev.confirmed_at) == ("dana", WHEN)
    assert ev.sentence_text == "" and ev.head is None and ev.document == ""
    assert graph.stats().relations == 3
    assert "e-oslo" in graph.neighbours("e-bob")
    copy = graph.copy()
    assert {r.id for r in copy.relations()} == {r.id for r in graph.relations()}
    assert {r.id for r in graph.subgraph(["e-bob", "e-oslo"]).relations()} == {-4}


def test_a_link_follows_its_entities_through_incremental_updates() -> None:
    snap = sample()
    graph = KnowledgeGraph.from_snapshot(snap)
    change = graph.remove_document("d2")  # Acme and Cat go: so does their link
    assert -7 in change.removed_edges
    assert {r.id for r in graph.relations()} == {1, -4}
    part = replace(snap, documents=snap.documents[1:],
                   sentences=tuple(s for s in snap.sentences if s.document == "d2"),
                   mentions=tuple(m for m in snap.mentions if m.document == "d2"),
                   relations=(), entities=tuple(e for e in snap.entities
                                                if e.id in ("e-acme", "e-cat")), links=())
    change = graph.add_document(part)
    assert -7 in change.added_edges
    assert graph.relation(-7).label == "Work_For"
    change = graph.set_links(snap.links[:1])
    assert change.removed_edges == frozenset({-7})
    assert graph.to_snapshot().links == snap.links[:1]
    assert graph.copy().to_snapshot().links == snap.links[:1]


def test_a_link_to_an_entity_without_mentions_is_no_edge() -> None:
    snap = sample()
    gone = replace(snap, links=(*snap.links,
                                LinkRecord(9, "e-ann", "Work_For", "e-nobody", 1.0, MODEL,
                                           "dana", WHEN)))
    graph = KnowledgeGraph.from_snapshot(gone)
    assert -9 not in {r.id for r in graph.relations()}
