"""Neighbourhoods and shortest paths, with evidence down to the characters."""

from __future__ import annotations

from pathlib import Path

import pytest
from query_samples import entity_named

from kg.query.paths import FactGraph, neighbourhood, shortest_path
from kg.records import Snapshot
from kg.store import Project
from kg.store.reads import document_text


def test_neighbourhood_depth_and_links(snap: Snapshot) -> None:
    helen = entity_named(snap, "Helen Park")
    one = neighbourhood(snap, helen)
    assert [e.name for e in one.entities] == ["Helen Park", "National Cancer Institute"]
    assert one.distance[helen] == 0
    (link,) = one.links
    assert link.label == "Work_For" and link.head == helen and link.relations
    two = neighbourhood(snap, helen, depth=2)
    assert [e.name for e in two.entities][2:] == ["Baltimore"]
    assert {(lk.label) for lk in two.links} == {"Work_For", "OrgBased_In"}
    zero = neighbourhood(snap, helen, depth=0)
    assert [e.id for e in zero.entities] == [helen] and zero.links == ()


def test_filters(snap: Snapshot) -> None:
    helen = entity_named(snap, "Helen Park")
    assert len(neighbourhood(snap, helen, depth=3, types={"PER", "ORG"}).entities) == 2
    assert neighbourhood(snap, helen, min_confidence=0.9).links == ()
    other = next(d.id for d in snap.documents if not d.source.endswith("a.txt"))
    assert neighbourhood(snap, helen, documents={other}).links == ()
    with pytest.raises(ValueError, match="no entity"):
        neighbourhood(snap, "e-nope")
    with pytest.raises(ValueError, match="depth"):
        neighbourhood(snap, helen, depth=-1)


def test_shortest_path_with_evidence(snap: Snapshot, built: Path) -> None:
    helen, maryland = entity_named(snap, "Helen Park"), entity_named(snap, "Maryland")
    path = shortest_path(snap, helen, maryland)
    assert path is not None
    assert [e.name for e in path.entities] == [
        "Helen Park", "National Cancer Institute", "Baltimore", "Maryland"]
    assert [s[0].label for s in path.steps] == ["Work_For", "OrgBased_In", "Located_In"]
    with Project.open(built, backups=False) as project:
        for link in path.links:
            for ev in link.evidence:
                text = document_text(project, ev.document)
                start, end = ev.sentence_span
                assert text[start:end] == ev.sentence_text
                names = {e.id: e.name for e in snap.entities}
                for span, entity in ((ev.head_span, link.head), (ev.tail_span, link.tail)):
                    assert text[span[0]:span[1]] == names[entity]
                    assert start <= span[0] < span[1] <= end


def test_no_path_and_filtered_paths(snap: Snapshot) -> None:
    helen, maria = entity_named(snap, "Helen Park"), entity_named(snap, "Maria Alvarez")
    assert shortest_path(snap, helen, maria) is None
    maryland = entity_named(snap, "Maryland")
    assert shortest_path(snap, helen, maryland, types={"PER", "LOC"}) is None
    same = shortest_path(snap, helen, helen)
    assert same is not None and same.steps == () and len(same.entities) == 1


def test_one_fact_graph_answers_many_questions(snap: Snapshot) -> None:
    graph = FactGraph(snap)
    chicago = entity_named(snap, "Chicago")
    around = graph.neighbourhood(chicago)
    assert {e.name for e in around.entities} >= {"Maria Alvarez", "Federal Trade Commission"}
    path = graph.shortest_path(entity_named(snap, "Maria Alvarez"),
                               entity_named(snap, "Federal Trade Commission"))
    assert path is not None and [e.name for e in path.entities][1] == "Chicago"
