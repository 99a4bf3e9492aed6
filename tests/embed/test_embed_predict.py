"""Link predictions on a real project: new, typed, never rejected, with evidence; decisions."""

from __future__ import annotations

import json

import pytest

from kg.embed.decisions import accept_link, accepted_links, link_decisions, reject_link
from kg.embed.evidence import EvidenceIndex
from kg.embed.predict import link_predictions
from kg.embed.project import is_current, load_for_project, read_graph
from kg.embed.schema import ontology_relations
from kg.embed.storage import EmbeddingError, list_embeddings
from kg.store import Project

ALL = 100_000  # more than every candidate of the test graph


def _ids(project: Project) -> dict[str, str]:
    return {name: eid for eid, name in project.query("SELECT id, name FROM entities")}


def test_the_trained_model_is_stored_with_its_metrics(project: Project) -> None:
    [info] = list_embeddings(project.path)
    assert info.name == "transe" and info.config.model == "TransE"
    assert info.project_id == project.project_id
    counts = info.meta["counts"]
    assert counts["facts"] >= 15 and counts["held_out"] >= 1
    assert info.metrics.triples == counts["held_out"]
    assert 0.0 < info.metrics.mrr <= 1.0
    assert len(info.meta["losses"]) == info.config.epochs
    assert is_current(info, read_graph(project))
    job = project.query("SELECT kind, status, message FROM jobs WHERE kind = 'embed'")
    assert job == [("embed", "done", job[0][2])] and "MRR" in job[0][2]


def test_predictions_are_new_typed_ranked_and_carry_evidence(project: Project) -> None:
    pg = read_graph(project)
    types = {e.id: e.label for e in pg.graph.entities()}
    schema = {r.label: (r.head, r.tail) for r in ontology_relations()}
    found = link_predictions(project, top=ALL)
    [info] = list_embeddings(project.path)
    assert found, "the graph has candidates for every relation"
    assert [p.score for p in found] == sorted((p.score for p in found), reverse=True)
    facts = set(pg.triples.facts)
    for p in found:
        assert p.triple not in facts and p.head != p.tail
        assert (types[p.head], types[p.tail]) == schema[p.relation]
        assert p.model == info.model_id and p.model.startswith("transe:TransE@")
    # the reverse of a Located_In fact is never offered
    located = [(h, t) for h, r, t in facts if r == "Located_In"]
    assert located and not {(t, "Located_In", h) for h, t in located} & {p.triple for p in found}
    assert link_predictions(project, top=3) == found[:3]
    only = link_predictions(project, top=ALL, relations={"Work_For"})
    assert only and {p.relation for p in only} == {"Work_For"}
    assert sum(1 for p in found if p.evidence) > len(found) // 4


def test_evidence_names_paths_sentences_and_neighbours(project: Project) -> None:
    pg = read_graph(project)
    ids = _ids(project)
    evidence = EvidenceIndex(pg.snapshot, pg.graph)(ids["Bill Gates"], ids["Mary Jones"])
    [path] = [p for p in evidence.paths if p.via_name == "Seattle"]
    assert (path.first.label, path.second.label) == ("Live_In", "Live_In")
    for hop in (path.first, path.second):
        for rid in hop.relations:  # each hop leads to its sentence in the text
            assert pg.graph.evidence(rid).label == hop.label
    [sentence] = evidence.sentences
    assert sentence.text == "Bill Gates met Mary Jones in Seattle."
    assert sentence.document_title and sentence.sentence > 0
    assert ids["Seattle"] in evidence.shared_neighbours
    assert not EvidenceIndex(pg.snapshot, pg.graph)(ids["Lincoln"], ids["Ohio"])


def test_rejected_links_never_return_and_accepted_ones_are_facts(project: Project) -> None:
    first, second = link_predictions(project, top=2)
    reject_link(project, *first.triple, user="ann", score=first.score, model=first.model)
    accept_link(project, *second.triple, user="bob", score=second.score, model=second.model)
    again = {p.triple for p in link_predictions(project, top=ALL)}
    assert first.triple not in again and second.triple not in again
    [accepted] = accepted_links(project)
    assert accepted.triple == second.triple and accepted.user == "bob"
    assert accepted.model == second.model and accepted.score == pytest.approx(second.score)
    assert {d.decision for d in link_decisions(project)} == {"accepted", "rejected"}
    log = project.query("SELECT user, action, payload FROM corrections ORDER BY id")
    assert [(u, a) for u, a, _ in log] == [("ann", "link-reject"), ("bob", "link-accept")]
    assert json.loads(log[1][2])["head"] == second.head
    # an accepted link is a fact: in the training triples, and evidence for other links
    pg = read_graph(project)
    assert second.triple in pg.triples.facts
    assert not is_current(list_embeddings(project.path)[0], pg)
    # changing one's mind replaces the decision (one row per triple) and is logged again
    accept_link(project, *first.triple, user="ann")
    assert {d.triple for d in accepted_links(project)} == {first.triple, second.triple}
    assert len(link_decisions(project)) == 2
    assert project.counts()["corrections"] == 3


def test_a_rejected_relation_in_the_text_is_never_predicted(project: Project) -> None:
    ids = _ids(project)
    rid = project.query(
        "SELECT r.id FROM relations r JOIN mentions h ON h.id = r.head"
        " JOIN mentions t ON t.id = r.tail WHERE r.label = 'Live_In'"
        " AND h.text = 'Mary Jones' AND t.text = 'Seattle'")[0][0]
    with project.transaction() as con:
        con.execute("UPDATE relations SET status = 'rejected' WHERE id = ?", (rid,))
    triples = {p.triple for p in link_predictions(project, top=ALL)}
    assert (ids["Mary Jones"], "Live_In", ids["Seattle"]) not in triples
    assert (ids["Bill Gates"], "Live_In", ids["Boston"]) in triples  # others still are


def test_decisions_are_checked_against_the_ontology(project: Project) -> None:
    ids = _ids(project)
    with pytest.raises(ValueError, match="does not link a PER to a ORG"):
        accept_link(project, ids["Jane Doe"], "Kill", ids["IBM"], user="ann")
    with pytest.raises(ValueError, match="not a relation of the ontology"):
        accept_link(project, ids["Jane Doe"], "Likes", ids["IBM"], user="ann")
    with pytest.raises(ValueError, match="unknown entity"):
        reject_link(project, "e-nope", "Work_For", ids["IBM"], user="ann")
    assert link_decisions(project) == () and project.counts()["corrections"] == 0


def test_another_projects_embedding_is_refused(project: Project) -> None:
    project.set_meta("project_id", "someone-else")
    with pytest.raises(EmbeddingError, match="another project"):
        load_for_project(project)
