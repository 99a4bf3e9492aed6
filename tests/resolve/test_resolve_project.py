"""Resolution on a real project: the rule-based build, merges, people's decisions across
rebuilds, and what the graph and the RDF export show of a merged entity."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import OWL, RDFS, SKOS

from kg.graph import KnowledgeGraph, snapshot_for_document
from kg.pipeline import build
from kg.rdf.mapping import snapshot_to_dataset
from kg.rdf.vocab import Minter
from kg.resolve import canonical, canonical_map, known_links, merge, resolve, split
from kg.resolve.store import decisions
from kg.store import Project
from kg.store.reads import snapshot
from nlp.progress import Cancelled, CancelToken, Progress, run

DOCS = {
    "a.txt": "Senator Barack Obama met officials of the Federal Bureau of Investigation in "
             "Chicago. Obama said the FBI would help. The Department of Justice (DOJ) agreed "
             "with Mr. Obama.\n\nInternational Business Machines Corp. hired Dr. Helen Park in "
             "Boston. Park joined IBM in May.",
    "b.txt": "IBM opened an office in Austin. The DOJ sued Apple Inc. on Monday. Apple said it "
             "would appeal.",
    "c.txt": "Michelle Obama visited Denver. Obama spoke first to the crowd.",
}
DOJ_IRI = "http://www.wikidata.org/entity/Q1553390"


def ids(project: Project) -> dict[str, str]:
    """Entity name -> id (names are unique in this project)."""
    return {name: eid for eid, name in project.query("SELECT id, name FROM entities")}


def build_all(folder: Path, project: Project) -> None:
    run(build([folder], project, extractor="rules"))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in DOCS.items():
        (docs / name).write_text(text, encoding="utf-8")
    return docs


@pytest.fixture
def project(tmp_path: Path, folder: Path) -> Project:
    project = Project.create(tmp_path / "p.skein")
    build_all(folder, project)
    return project


def test_the_build_resolves_acronyms_suffixes_and_partial_names(project: Project) -> None:
    with project:
        e = ids(project)
        into = canonical_map(project)
        assert into[e["FBI"]] == e["Federal Bureau of Investigation"]
        assert into[e["DOJ"]] == e["Department of Justice"]
        assert into[e["IBM"]] == e["International Business Machines Corp."]
        assert into[e["Apple"]] == e["Apple Inc."]
        assert into[e["Park"]] == e["Helen Park"]
        # "Obama" is Barack in one document and Michelle in another: merged with neither
        assert e["Obama"] not in into and e["Barack Obama"] not in into
        reasons = {name: r for name, r in (
            (n, project.query("SELECT reason FROM entity_merges WHERE merged = ?", (i,)))
            for n, i in e.items()) if r}
        assert reasons["DOJ"][0][0] == "defined-acronym"
        assert reasons["Park"][0][0] == "partial-name"
        assert reasons["Apple"][0][0] == "corporate-suffix"
        rows = project.query("SELECT score, method FROM entity_merges")
        assert rows and all(0 <= s <= 1 and m == "auto" for s, m in rows)


def test_people_decide_and_their_decisions_survive_rebuilds(
    project: Project, folder: Path
) -> None:
    with project:
        e = ids(project)
        assert split(project, e["IBM"], "ann") == [e["International Business Machines Corp."]]
        merged = merge(project, e["Obama"], e["Barack Obama"], "ann")
        assert [(m.merged, m.canonical, m.method) for m in merged] == [
            (e["Obama"], e["Barack Obama"], "user")]
        log = project.query("SELECT user, action, payload FROM corrections ORDER BY id")
        assert [(u, a) for u, a, _ in log] == [("ann", "entity-split"), ("ann", "entity-merge")]
        assert json.loads(log[1][2]) == {"a": e["Obama"], "b": e["Barack Obama"]}

        def check() -> None:
            assert canonical(project, e["IBM"]) == e["IBM"]
            assert canonical(project, e["Obama"]) == e["Barack Obama"]
            assert canonical(project, e["FBI"]) == e["Federal Bureau of Investigation"]

        check()
        run(resolve(project))  # automatic resolution again: people still win
        check()
        # re-extraction: every file changes, the old versions are removed, entities re-made
        for name, text in DOCS.items():
            (folder / name).write_text(text + "\n\nSee also the notes.", encoding="utf-8")
        build_all(folder, project)
        assert ids(project)["IBM"] == e["IBM"]  # ids are stable across re-extraction
        check()
        assert len(decisions(project)) == 2

        # undo the merge: Obama is apart again, and stays so
        assert split(project, e["Obama"], "ann") == [e["Barack Obama"]]
        run(resolve(project))
        assert canonical(project, e["Obama"]) == e["Obama"]
        with pytest.raises(ValueError, match="not merged"):
            split(project, e["Obama"], "ann")


def test_the_graph_shows_one_node_with_the_merged_names(project: Project) -> None:
    with project:
        e = ids(project)
        kg = KnowledgeGraph.load(project)
        assert e["FBI"] not in kg and e["IBM"] not in kg
        bureau = kg.entity(e["Federal Bureau of Investigation"])
        assert "FBI" in bureau.aliases and bureau.mentions == 2
        ibm = kg.entity(e["International Business Machines Corp."])
        assert "IBM" in ibm.aliases and len(ibm.documents) == 2
        # built document by document, the graph is the same
        parts = KnowledgeGraph()
        for doc in snapshot(project).documents:
            parts.add_document(snapshot_for_document(project, doc.id))
        assert replace(parts.to_snapshot(), models=()) == replace(kg.to_snapshot(), models=())
        assert parts.entities() == kg.entities()


def test_rdf_names_the_canonical_entity_with_aliases_and_same_as(project: Project) -> None:
    with project, project.transaction() as con:
        con.execute(
            "INSERT INTO known_entities (iri, label, name, aliases, source, imported_at)"
            " VALUES (?, 'ORG', 'United States Department of Justice', ?, 'wd.ttl', 'now')",
            (DOJ_IRI, json.dumps(["Department of Justice", "Justice Department"])),
        )
    with Project.open(project.path) as project:
        run(resolve(project))
        e = ids(project)
        links = known_links(project)
        assert links[e["Department of Justice"]] == DOJ_IRI == links[e["DOJ"]]
        ds = snapshot_to_dataset(snapshot(project), same_as=links)
        iri = Minter("urn:skein:project:").entity
        doj, short = iri(e["Department of Justice"]), iri(e["DOJ"])
        assert (doj, SKOS.altLabel, Literal("DOJ")) in ds
        assert (doj, RDFS.label, Literal("Department of Justice")) in ds
        assert (doj, OWL.sameAs, URIRef(DOJ_IRI)) in ds
        assert not _uses(ds, short)  # the merged entity's IRI is nowhere, facts included
        assert _uses(ds, iri(e["Federal Bureau of Investigation"]))
        assert not _uses(ds, iri(e["FBI"]))


def _uses(ds: Dataset, node: URIRef) -> bool:
    return any(
        next(g.triples((node, None, None)), None) or next(g.triples((None, None, node)), None)
        for g in ds.graphs()
    )


def test_resolution_is_long_work_with_progress_and_cancel(project: Project) -> None:
    with project:
        before = canonical_map(project)
        with project.transaction() as con:
            con.execute("DELETE FROM entity_merges")
        token = CancelToken()
        steps: list[Progress] = []
        work = resolve(project, cancel=token)
        steps.append(next(work))
        token.cancel()
        with pytest.raises(Cancelled):
            while True:
                steps.append(next(work))
        assert canonical_map(project) == {}  # a cancel writes nothing
        steps = []
        report = run(resolve(project), steps.append)
        assert steps[-1].done == steps[-1].total and steps[-1].stage == "resolve"
        assert canonical_map(project) == before
        assert report.after == report.entities - len(before)
        assert sum(report.by_reason().values()) == len(before)


def test_merge_and_split_refuse_unknown_entities(project: Project) -> None:
    with project:
        with pytest.raises(ValueError, match="no entity"):
            merge(project, "e-nope", ids(project)["IBM"], "ann")
        with pytest.raises(ValueError, match="who decided"):
            split(project, ids(project)["IBM"], "")
        assert project.query("SELECT count(*) FROM corrections")[0][0] == 0


def test_skein_export_writes_same_as_to_known_entities(project: Project, tmp_path: Path) -> None:
    from desktop.cli import main

    with project, project.transaction() as con:
        con.execute(
            "INSERT INTO known_entities (iri, label, name, aliases, source, imported_at)"
            " VALUES (?, 'ORG', 'Department of Justice', '[]', 'wd.ttl', 'now')", (DOJ_IRI,))
    with Project.open(project.path) as opened:
        run(resolve(opened))
    out = tmp_path / "out.nt"
    assert main(["export", "--project", str(project.path), "--format", "nt",
                 "--out", str(out)]) == 0
    lines = [ln for ln in out.read_text(encoding="utf-8").splitlines()
             if f"<{OWL.sameAs}> <{DOJ_IRI}>" in ln]
    assert len(lines) == 1
