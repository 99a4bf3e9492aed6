"""The façade over hand-made snapshots: queries, provenance, rejected records, observers."""

from __future__ import annotations

import pytest
from graph_samples import ACME, ANN, PARIS, ZURICH, odd

from kg.graph import GraphChange, KnowledgeGraph


@pytest.fixture
def kg() -> KnowledgeGraph:
    return KnowledgeGraph.from_snapshot(odd().snapshot())


def test_nodes_are_entities_with_live_mentions(kg: KnowledgeGraph) -> None:
    assert {e.id for e in kg.entities()} == {ANN, ACME, ZURICH, PARIS}
    ann = kg.entity(ANN)
    assert ann.name == 'Ann "The Hammer" O\'Neil' and ann.type == "PER" and ann.aliases == ("Ann",)
    assert ann.mentions == 4 and ann.documents == ("d1",)
    zurich = kg.entity(ZURICH)
    assert zurich.mentions == 1 and zurich.documents == ("d1",)  # its d2 mention is rejected
    assert kg.entity(ACME).documents == ("d1", "d2")
    assert kg.entities()[0].id == ANN  # most mentioned first
    assert {e.id for e in kg.entities(types={"LOC"})} == {ZURICH, PARIS}
    assert {e.id for e in kg.entities(document="d2")} == {ACME, PARIS}
    assert {e.id for e in kg.entities(min_mentions=2)} == {ANN, ACME, PARIS}
    assert ANN in kg and "e-bob" not in kg and len(kg) == 4
    with pytest.raises(KeyError):
        kg.entity("nobody")


def test_edges_are_relations_that_are_not_rejected(kg: KnowledgeGraph) -> None:
    rels = kg.relations()
    assert [r.label for r in rels] == ["works_for", "located_in", "met", "moved_to"]
    works = rels[0]
    assert (works.head, works.tail, works.status, works.confirmed_by) == (
        ANN, ACME, "accepted", "Dana")
    assert works.confirmed_at is not None and works.model == "rule-baseline@0.1"
    assert works.document == "d1" and works.head_mention == 1 and works.tail_mention == 2
    assert [r.label for r in kg.relations(entity=ACME)] == ["works_for", "located_in",
                                                            "moved_to"]
    assert [r.label for r in kg.relations(entity=ANN)] == ["works_for", "met"]  # loop once
    assert [r.label for r in kg.relations(label="met")] == ["met"]
    assert [r.label for r in kg.relations(min_confidence=0.9)] == ["works_for"]
    assert [r.label for r in kg.relations(status="accepted")] == ["works_for"]
    assert len(kg.relations(status={"accepted", "suggested"})) == 4
    assert kg.relations(entity="nobody") == []
    assert kg.relation(works.id) == works
    assert kg.neighbours(ACME) == sorted([ANN, ZURICH, PARIS])


def test_evidence_of_every_relation_points_at_the_text() -> None:
    b = odd()
    kg = KnowledgeGraph.from_snapshot(b.snapshot())
    assert kg.relation_ids() == [1, 2, 3, 4, 5, 6, 7]  # rejected and dangling ones too
    assert kg.relation_ids("d2") == [5, 6, 7]
    for rid in kg.relation_ids():
        ev = kg.evidence(rid)
        text = b.texts[ev.document]
        assert ev.head is not None and ev.tail is not None
        for span in (ev.head, ev.tail):
            assert text[span.start : span.end] == span.text
            s, e = ev.in_sentence(span)
            assert ev.sentence_text[s:e] == span.text
    works = kg.evidence(1)
    assert works.document_title == 'Report "Q1" <draft>'
    assert works.document_source == "/home/ana/My Docs/report #1 (final).txt"
    assert (works.confirmed_by, works.confidence, works.model) == ("Dana", 1.0,
                                                                   "rule-baseline@0.1")
    assert works.sentence_text.startswith("Ann") and works.sentence_text.endswith("🇨🇭.")
    rejected = kg.evidence(3)
    assert rejected.status == "rejected" and rejected.head is not None
    assert rejected.head.entity == ANN and rejected.tail is not None
    assert rejected.tail.text == "Paris"
    with pytest.raises(KeyError):
        kg.evidence(99)


def test_mentions_of_and_stats(kg: KnowledgeGraph) -> None:
    assert [m.text for m in kg.mentions_of(ZURICH)] == ["Zürich 🇨🇭"]
    assert len(kg.mentions_of(ZURICH, include_rejected=True)) == 2
    assert kg.mentions_of("nobody") == []
    s = kg.stats()
    assert (s.entities, s.relations, s.documents, s.rejected_relations) == (4, 4, 3, 1)
    assert s.mentions == 4 + 2 + 1 + 3
    assert (s.components, s.isolated) == (1, 0)
    assert s.entity_types == {"LOC": 2, "ORG": 1, "PER": 1}
    assert s.relation_labels == {"located_in": 1, "met": 1, "moved_to": 1, "works_for": 1}
    assert s.density == pytest.approx(3 / 6)
    assert [d.id for d in kg.documents()] == ["d3", "d2", "d1"]  # by source


def test_subgraph_keeps_records_of_its_entities(kg: KnowledgeGraph) -> None:
    sub = kg.subgraph([ANN, ACME, "nobody"])
    assert {e.id for e in sub.entities()} == {ANN, ACME}
    assert [r.label for r in sub.relations()] == ["works_for", "met"]
    assert sub.entity(ANN) == kg.entity(ANN)
    assert sub.evidence(1) == kg.evidence(1)
    assert len(kg) == 4  # the original is untouched
    twin = kg.copy()
    assert twin.entities() == kg.entities() and twin.relations() == kg.relations()
    twin.remove_document("d1")
    assert len(kg) == 4 and len(twin) == 2


def test_observers_hear_each_change_once() -> None:
    b = odd()
    kg = KnowledgeGraph()
    heard: list[GraphChange] = []
    stop = kg.subscribe(heard.append)
    change = kg.add_document(b.snapshot())
    assert heard == [change]
    assert change.added_nodes == {ANN, ACME, ZURICH, PARIS}
    assert change.added_edges == {1, 2, 4, 6} and not change.removed_edges
    version = kg.version
    change = kg.remove_document("d2")
    assert heard[-1] == change
    assert change.removed_edges == {6} and change.updated_nodes == {ACME, PARIS}
    assert not change.removed_nodes and kg.entity(PARIS).mentions == 1
    assert kg.version == version + 1
    assert not kg.remove_document("d2")  # nothing to do: no event
    assert len(heard) == 2
    stop()
    kg.remove_document("d1")
    assert len(heard) == 2 and len(kg) == 0 and kg.relations() == []
