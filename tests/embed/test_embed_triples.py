"""Training triples from a real project: facts, structure, rejected relations, the split."""

from __future__ import annotations

from collections import Counter

from kg.embed.project import read_graph
from kg.embed.schema import ontology_relations
from kg.embed.triples import CO_OCCURS, DOCUMENT_PREFIX, MENTIONED_IN, GraphTriples, split
from kg.store import Project
from nlp.extract.rules_relations import RELATION_TYPES


def _named(project: Project, triples: tuple[tuple[str, str, str], ...]) -> set[tuple[str, ...]]:
    names = dict(project.query("SELECT id, name FROM entities"))
    return {(names.get(h, h), r, names.get(t, t)) for h, r, t in triples}


def test_the_ontology_gives_each_relation_its_domain_and_range() -> None:
    found = {r.label: (r.head, r.tail) for r in ontology_relations()}
    assert found == RELATION_TYPES  # the ontology and the extractor agree


def test_facts_are_the_graphs_relations_and_structure_covers_every_entity(
    project: Project,
) -> None:
    pg = read_graph(project)
    facts = _named(project, pg.triples.facts)
    assert ("Mary Jones", "Work_For", "Acme Corp.") in facts
    assert ("John Wilkes Booth", "Kill", "Lincoln") in facts
    assert all(r in RELATION_TYPES for _, r, _ in pg.triples.facts)
    kinds = Counter(r for _, r, _ in pg.triples.structural)
    assert set(kinds) == {MENTIONED_IN, CO_OCCURS}
    # every entity of the graph is mentioned in some document: it has a triple
    subjects = {h for h, r, _ in pg.triples.structural if r == MENTIONED_IN}
    assert subjects == {e.id for e in pg.graph.entities()}
    assert all(t.startswith(DOCUMENT_PREFIX) for _, r, t in pg.triples.structural
               if r == MENTIONED_IN)
    cooc = {(h, t) for h, r, t in pg.triples.structural if r == CO_OCCURS}
    assert all((t, h) in cooc for h, t in cooc)  # both ways
    assert not set(pg.triples.facts) & set(pg.triples.structural)

    bare = read_graph(project, ())
    assert bare.triples.structural == () and bare.triples.facts == pg.triples.facts


def test_a_rejected_relation_is_no_fact_and_changes_the_digest(project: Project) -> None:
    before = read_graph(project).triples
    rid = project.query(
        "SELECT r.id FROM relations r JOIN mentions h ON h.id = r.head"
        " WHERE r.label = 'Kill' AND h.text = 'John Wilkes Booth'")[0][0]
    with project.transaction() as con:
        con.execute("UPDATE relations SET status = 'rejected' WHERE id = ?", (rid,))
    after = read_graph(project).triples
    assert ("John Wilkes Booth", "Kill", "Lincoln") not in _named(project, after.facts)
    assert len(after.facts) == len(before.facts) - 1
    assert after.digest() != before.digest()
    assert read_graph(project).triples.digest() == after.digest()  # stable


def test_split_holds_out_facts_whose_entities_stay_in_training() -> None:
    facts = tuple((f"p{i}", "Work_For", f"o{i % 3}") for i in range(30))
    structural = tuple((f"p{i}", "skein:mentionedIn", "doc:d") for i in range(30))
    triples = GraphTriples(facts, structural, ("mentions",))
    train, test = split(triples, 0.2, seed=1)
    assert len(test) == 6 and set(test) <= set(facts)
    assert set(train) | set(test) == set(triples.all) and not set(train) & set(test)
    seen = {x for h, _, t in train for x in (h, t)}
    assert all(h in seen and t in seen for h, _, t in test)
    assert split(triples, 0.2, seed=1) == (train, test)  # seeded
    assert split(triples, 0.2, seed=2)[1] != test
    # without structure, a fact that is an entity's only triple is never held out
    lone = GraphTriples((("a", "Kill", "b"), ("c", "Kill", "d")), (), ())
    assert split(lone, 0.5, seed=0)[1] == []
