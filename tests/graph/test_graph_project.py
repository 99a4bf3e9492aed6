"""A small real project: the rule-based build, then the graph loaded whole and per document."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from kg.graph import KnowledgeGraph, snapshot_for_document
from kg.pipeline import build
from kg.store import Project
from kg.store.reads import document_text, snapshot
from kg.store.writes import remove_document
from nlp.progress import run

NOTES = {
    "a.txt": "Senator Maria Alvarez of New Mexico met officials of the Federal Trade Commission "
             "in Chicago.\n\nDr. Helen Park works for the National Cancer Institute in "
             "Baltimore, Maryland.",
    "b ü #2.txt": "Dr. Helen Park met Senator Maria Alvarez in Chicago.\n\nThe Federal Trade "
                  "Commission is based in Washington.",
}


@pytest.fixture
def project(tmp_path: Path) -> Project:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in NOTES.items():
        (folder / name).write_text(text, encoding="utf-8")
    project = Project.create(tmp_path / "p.skein")
    run(build([folder], project, extractor="rules"))
    return project


def test_loaded_graph_has_provenance_down_to_the_characters(project: Project) -> None:
    with project:
        kg = KnowledgeGraph.load(project)
        names = {e.name for e in kg.entities()}
        assert "Federal Trade Commission" in names
        ftc = next(e for e in kg.entities() if e.name == "Federal Trade Commission")
        assert len(ftc.documents) == 2 and ftc.mentions == 2
        assert kg.relations(), "the baseline finds relations here"
        for rid in kg.relation_ids():
            ev = kg.evidence(rid)
            text = document_text(project, ev.document)
            assert ev.head is not None and ev.tail is not None
            for span in (ev.head, ev.tail):
                assert text[span.start : span.end] == span.text
                s, e = ev.in_sentence(span)
                assert ev.sentence_text[s:e] == span.text
            assert Path(ev.document_source).name in NOTES
        for e in kg.entities():
            for m in kg.mentions_of(e.id):
                assert document_text(project, m.document)[m.start : m.end] == m.text


def test_per_document_snapshots_add_up_to_the_whole(project: Project) -> None:
    with project:
        whole = KnowledgeGraph.load(project)
        docs = [d.id for d in snapshot(project).documents]
        kg = KnowledgeGraph()
        for doc in reversed(docs):
            kg.add_document(snapshot_for_document(project, doc))
        assert replace(kg.to_snapshot(), models=()) == replace(whole.to_snapshot(), models=())
        assert kg.entities() == whole.entities() and kg.relations() == whole.relations()
        assert snapshot_for_document(project, "nope").documents == ()

        gone = docs[0]
        remove_document(project, gone)
        change = kg.remove_document(gone)
        assert change.removed_edges or change.removed_nodes or change.updated_nodes
        assert kg.entities() == KnowledgeGraph.load(project).entities()
        assert kg.relations() == KnowledgeGraph.load(project).relations()
