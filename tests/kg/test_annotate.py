"""Annotation commands on a real project file built by the pipeline (rule-based baseline)."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kg import annotate as an
from kg.linking import entity_id
from kg.pipeline import build
from kg.store import Project
from nlp.progress import run

TEXT = (
    "Angela Merkel met Emmanuel Macron in Paris on Monday. Mary Jones, who works for Acme "
    "Corp., lives in Boston.\n\nJohn Smith of IBM visited Seattle. The Boston-based Acme "
    "Corp. hired Tom Becker.\n"
)
OTHER = "Barack Obama visited Microsoft in Seattle.\n"
ME = "ana"
TABLES = ("mentions", "relations", "sentence_reviews", "entities", "aliases")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("annotate")
    docs = root / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(TEXT, encoding="utf-8")
    (docs / "b.txt").write_text(OTHER, encoding="utf-8")
    with Project.create(root / "t.skein") as project:
        report = run(build([docs], project, extractor="rules"))
    assert len(report.added) == 2
    return root


@pytest.fixture
def folder(template: Path, tmp_path: Path) -> Path:
    shutil.copytree(template, tmp_path / "copy")
    return tmp_path / "copy"


@pytest.fixture
def project(folder: Path) -> Iterator[Project]:
    with Project.open(folder / "t.skein") as p:
        yield p


def doc_id(project: Project, name: str = "a.txt") -> str:
    return str(project.query("SELECT id FROM documents WHERE source LIKE ?", (f"%{name}",))[0][0])


def mention(project: Project, text: str, doc: str = "a.txt") -> dict[str, Any]:
    cols = ("id", "sentence", "start", "end", "text", "label", "confidence", "model", "entity",
            "status", "confirmed_by", "confirmed_at")
    row = project.query(f"SELECT {', '.join(cols)} FROM mentions WHERE text = ? AND document = ?"
                        " ORDER BY id LIMIT 1", (text, doc_id(project, doc)))[0]
    return dict(zip(cols, row, strict=True))


def relation(project: Project, rid: int) -> dict[str, Any]:
    cols = ("id", "sentence", "head", "tail", "label", "model", "status", "confirmed_by")
    row = project.query(f"SELECT {', '.join(cols)} FROM relations WHERE id = ?", (rid,))[0]
    return dict(zip(cols, row, strict=True))


def rel_id(project: Project, head: str, label: str) -> int:
    return int(project.query(
        "SELECT r.id FROM relations r JOIN mentions h ON h.id = r.head"
        " WHERE h.text = ? AND r.label = ?", (head, label))[0][0])


def tables(project: Project) -> dict[str, list[tuple[Any, ...]]]:
    """Everything an edit may touch, row for row."""
    return {t: project.query(f"SELECT * FROM {t} ORDER BY 1, 2") for t in TABLES}


def log(project: Project) -> list[tuple[Any, ...]]:
    return project.query("SELECT id, at, user, action, document, payload FROM corrections"
                         " ORDER BY id")


def test_add_mention_snaps_links_confirms_and_logs(project: Project) -> None:
    doc = doc_id(project)
    before, log0 = tables(project), log(project)
    start = TEXT.index(" Monda")  # a space, then part of a word
    edit = an.add_mention(project, doc, start, start + len(" Monda"), "MISC", ME)
    m = mention(project, "Monday")
    assert (m["start"], m["end"], m["label"]) == (start + 1, start + 7, "MISC")
    assert m["model"] is None and m["confidence"] == 1.0
    assert (m["status"], m["confirmed_by"]) == ("accepted", ME) and m["confirmed_at"]
    first = project.query("SELECT id FROM sentences WHERE document = ? AND idx = 0", (doc,))
    assert m["sentence"] == first[0][0]
    assert m["entity"] == entity_id("MISC", "monday")
    assert project.query("SELECT label, name FROM entities WHERE id = ?", (m["entity"],)) == [
        ("MISC", "Monday")]
    assert edit.target == ("mentions", m["id"])
    entries = log(project)
    assert entries[:-1] == log0 and entries[-1][2:4] == (ME, "add_mention")
    assert '"text": "Monday"' in entries[-1][5] and entries[-1][4] == doc

    undone = an.undo(project, edit, ME)
    assert tables(project) == before  # the row and the entity it made are gone
    assert undone.undone and log(project)[-1][3] == "undo"
    an.redo(project, edit, ME)
    assert mention(project, "Monday")["confirmed_at"] == m["confirmed_at"]
    assert [e[3] for e in log(project)[len(log0):]] == ["add_mention", "undo", "redo"]
    assert log(project)[: len(entries)] == entries  # appended, never rewritten


@pytest.mark.parametrize(("needle", "skip", "length", "label", "message"), [
    ("Paris on Monday. Mary", 0, 21, "LOC", "crosses a sentence boundary"),
    (". Mary", 1, 1, "PER", "empty or only white space"),  # the space between two sentences
    ("Paris", 0, 5, "LOC", "already a LOC mention"),
    ("Paris", 0, 5, "CITY", r"unknown entity type 'CITY' \(known: PER, ORG, LOC, MISC"),
    ("Paris", 0, 0, "LOC", "select some text"),
])
def test_add_mention_refusals_write_nothing(
        project: Project, needle: str, skip: int, length: int, label: str, message: str) -> None:
    before, log0 = tables(project), log(project)
    start = TEXT.index(needle) + skip
    with pytest.raises(an.AnnotationError, match=message):
        an.add_mention(project, doc_id(project), start, start + length, label, ME)
    assert tables(project) == before and log(project) == log0


def test_adding_a_rejected_suggestion_again_brings_the_same_row_back(project: Project) -> None:
    paris = mention(project, "Paris")
    an.reject_mention(project, paris["id"], ME)
    edit = an.add_mention(project, doc_id(project), paris["start"], paris["end"], "LOC", ME)
    again = mention(project, "Paris")
    assert again["id"] == paris["id"] and again["status"] == "accepted"
    assert again["model"] == "rule-baseline@0.1"
    an.undo(project, edit, ME)
    assert mention(project, "Paris")["status"] == "rejected"


def test_reject_keeps_a_model_suggestion_as_rejected_with_its_relations(project: Project) -> None:
    before = tables(project)
    mary = mention(project, "Mary Jones")
    works = rel_id(project, "Mary Jones", "Work_For")
    edit = an.reject_mention(project, mary["id"], ME)
    gone = mention(project, "Mary Jones")
    assert (gone["status"], gone["confirmed_by"]) == ("rejected", ME)
    assert relation(project, works)["status"] == "rejected"
    assert edit.summary == "reject PER “Mary Jones”"
    an.undo(project, edit, ME)
    assert tables(project) == before
    an.reject_mention(project, mary["id"], ME)
    with pytest.raises(an.AnnotationError, match="rejected already"):
        an.reject_mention(project, mary["id"], ME)


def test_deleting_a_span_a_person_added_removes_it_and_its_relations(project: Project) -> None:
    doc = doc_id(project)
    add = an.add_mention(project, doc, 18, 26, "PER", ME)  # "Emmanuel"
    assert add.target is not None
    human = add.target[1]
    paris = mention(project, "Paris")["id"]
    rel = an.add_relation(project, human, paris, "Live_In", ME)
    assert rel.target is not None
    assert relation(project, rel.target[1])["sentence"] == mention(project, "Emmanuel")["sentence"]
    before = tables(project)
    edit = an.delete_mention(project, human, ME)
    assert project.query("SELECT count(*) FROM mentions WHERE id = ?", (human,)) == [(0,)]
    assert project.query("SELECT count(*) FROM relations WHERE head = ?", (human,)) == [(0,)]
    emmanuel = entity_id("PER", "emmanuel")  # made for it, needed by nothing else now
    assert project.query("SELECT count(*) FROM entities WHERE id = ?", (emmanuel,)) == [(0,)]
    assert log(project)[-1][3] == "delete_mention"
    an.undo(project, edit, ME)
    assert tables(project) == before  # same ids, same values, the relation too


def test_relabel_relinks_and_drops_relations_the_schema_no_longer_allows(
        project: Project) -> None:
    before = tables(project)
    acme = mention(project, "Acme Corp.")
    works = rel_id(project, "Mary Jones", "Work_For")
    edit = an.relabel_mention(project, acme["id"], "LOC", ME)
    after = mention(project, "Acme Corp.")
    assert (after["label"], after["status"], after["confirmed_by"]) == ("LOC", "accepted", ME)
    assert after["entity"] == entity_id("LOC", "acme corp")
    assert relation(project, works)["status"] == "rejected"  # Work_For needs an ORG tail
    assert dict(edit.details)["relations_dropped"] == (works,)
    an.undo(project, edit, ME)
    assert tables(project) == before


def test_undo_still_works_after_a_build_pruned_the_old_entity(
        project: Project, folder: Path) -> None:
    ibm = mention(project, "IBM")
    edit = an.relabel_mention(project, ibm["id"], "MISC", ME)
    run(build([folder / "docs"], project, extractor="rules"))  # prunes the orphan ORG entity
    assert project.query("SELECT count(*) FROM entities WHERE id = ?", (ibm["entity"],)) == [(0,)]
    an.undo(project, edit, ME)
    back = mention(project, "IBM")
    assert (back["label"], back["entity"], back["status"]) == ("ORG", ibm["entity"], "suggested")
    assert project.query("SELECT name FROM entities WHERE id = ?", (ibm["entity"],)) == [("IBM",)]


def test_accept_mention(project: Project) -> None:
    paris = mention(project, "Paris")
    edit = an.accept_mention(project, paris["id"], ME)
    assert mention(project, "Paris")["status"] == "accepted"
    with pytest.raises(an.AnnotationError, match="accepted already"):
        an.accept_mention(project, paris["id"], ME)
    an.undo(project, edit, ME)
    assert mention(project, "Paris") == paris


def test_relation_schema_refusals_say_why(project: Project) -> None:
    mary, acme = mention(project, "Mary Jones")["id"], mention(project, "Acme Corp.")["id"]
    paris = mention(project, "Paris")["id"]
    log0 = log(project)
    with pytest.raises(an.AnnotationError, match=r"swap head and tail"):
        an.add_relation(project, acme, mary, "Work_For", ME)
    with pytest.raises(an.AnnotationError,
                       match=r"Work_For links a PER to an ORG, not a PER to a LOC \(a PER → LOC"):
        an.add_relation(project, mary, paris, "Work_For", ME)
    with pytest.raises(an.AnnotationError, match="unknown relation type"):
        an.add_relation(project, mary, acme, "Owns", ME)
    with pytest.raises(an.AnnotationError, match="is there already"):
        an.add_relation(project, mary, acme, "Work_For", ME)
    with pytest.raises(an.AnnotationError, match="two different mentions"):
        an.add_relation(project, mary, mary, "Kill", ME)
    seattle = mention(project, "Seattle", "b.txt")["id"]
    with pytest.raises(an.AnnotationError, match="same document"):
        an.add_relation(project, mary, seattle, "Live_In", ME)
    assert log(project) == log0
    assert an.DEFAULT_SCHEMA.allowed("PER", "LOC") == ("Live_In",)


def test_add_relation_across_sentences_confirms_both_mentions(project: Project) -> None:
    before = tables(project)
    tom, ibm = mention(project, "Tom Becker"), mention(project, "IBM")
    edit = an.add_relation(project, tom["id"], ibm["id"], "Work_For", ME)
    assert edit.target is not None
    rel = relation(project, edit.target[1])
    assert (rel["model"], rel["status"], rel["sentence"]) == (None, "accepted", tom["sentence"])
    assert mention(project, "Tom Becker")["status"] == mention(project, "IBM")["status"] \
        == "accepted"
    an.undo(project, edit, ME)
    assert tables(project) == before
    an.redo(project, edit, ME)
    gone = an.delete_relation(project, edit.target[1], ME)
    assert project.query("SELECT count(*) FROM relations WHERE id = ?", edit.target[1:]) == [(0,)]
    an.undo(project, gone, ME)
    assert relation(project, edit.target[1]) == rel


def test_accept_and_reject_relation_suggestions(project: Project) -> None:
    before = tables(project)
    works = rel_id(project, "Mary Jones", "Work_For")
    edit = an.accept_relation(project, works, ME)
    assert relation(project, works)["status"] == "accepted"
    assert mention(project, "Mary Jones")["status"] == "accepted"
    an.undo(project, edit, ME)
    assert tables(project) == before
    based = rel_id(project, "Acme Corp.", "OrgBased_In")
    an.reject_relation(project, based, ME)
    assert relation(project, based)["status"] == "rejected"
    assert mention(project, "Boston")["status"] == "suggested"  # the spans are not judged
    with pytest.raises(an.AnnotationError, match="rejected already"):
        an.accept_relation(project, based, ME)


def test_marking_a_sentence_reviewed_confirms_what_is_left(project: Project) -> None:
    before = tables(project)
    mary = mention(project, "Mary Jones")
    an.reject_mention(project, mention(project, "Boston")["id"], ME)
    edit = an.mark_sentence_reviewed(project, mary["sentence"], ME)
    statuses = project.query("SELECT text, status FROM mentions WHERE sentence = ? ORDER BY id",
                             (mary["sentence"],))
    assert statuses == [("Mary Jones", "accepted"), ("Acme Corp.", "accepted"),
                        ("Boston", "rejected")]
    assert an.reviewed_sentences(project, doc_id(project)) == {mary["sentence"]}
    with pytest.raises(an.AnnotationError, match="reviewed already"):
        an.mark_sentence_reviewed(project, mary["sentence"], ME)
    unmark = an.unmark_sentence_reviewed(project, mary["sentence"], ME)
    assert an.reviewed_sentences(project, doc_id(project)) == frozenset()
    an.undo(project, unmark, ME)
    an.undo(project, edit, ME)
    assert mention(project, "Mary Jones") == mary
    assert an.reviewed_sentences(project, doc_id(project)) == frozenset()
    assert tables(project)["relations"] == before["relations"]


def test_review_queue_is_least_confident_first_and_advances(project: Project) -> None:
    queue = an.review_queue(project)
    assert [q.confidence for q in queue] == sorted(q.confidence for q in queue)
    assert (queue[0].text, queue[0].label, queue[0].title) == ("Microsoft", "MISC", "b")
    assert (queue[1].kind, queue[1].text) == ("relation", "Emmanuel Macron → Paris")
    assert len(queue) == an.open_suggestions(project)
    first_mention = next(q for q in queue if q.kind == "mention" and q.title == "a")
    assert first_mention.text == "IBM"
    assert (first_mention.start, first_mention.end) == (TEXT.index("IBM"), TEXT.index(" visited"))
    an.reject_mention(project, first_mention.id, ME)  # its Work_For relation leaves too
    after = an.review_queue(project)
    assert first_mention.key not in {q.key for q in after}
    assert not [q for q in after if q.kind == "relation" and first_mention.id in (q.head, q.tail)]
    assert len(an.review_queue(project, limit=3)) == 3


def test_a_stale_undo_is_refused_and_writes_nothing(project: Project) -> None:
    paris = mention(project, "Paris")
    edit = an.accept_mention(project, paris["id"], ME)
    an.relabel_mention(project, paris["id"], "MISC", "someone-else")
    before, log0 = tables(project), log(project)
    with pytest.raises(an.StaleEdit, match="was changed by something else"):
        an.undo(project, edit, ME)
    assert tables(project) == before and log(project) == log0


def test_the_corrections_log_cannot_be_rewritten(project: Project) -> None:
    an.accept_mention(project, mention(project, "Paris")["id"], ME)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"), project.transaction() as con:
        con.execute("UPDATE corrections SET user = 'mallory'")


def test_rejections_and_additions_survive_rebuilds(project: Project, folder: Path) -> None:
    docs = folder / "docs"
    paris = mention(project, "Paris")
    an.reject_mention(project, paris["id"], ME)
    an.add_mention(project, doc_id(project), 18, 26, "PER", ME)
    run(build([docs], project, extractor="rules"))  # unchanged: skipped
    os.utime(docs / "a.txt", ns=(1, 1))  # same bytes, new time: only the path is touched
    run(build([docs], project, extractor="rules"))
    assert mention(project, "Paris")["status"] == "rejected"
    assert mention(project, "Emmanuel")["model"] is None
    (docs / "a.txt").write_text(TEXT + "Later, Anna Berg moved to Oslo.\n", encoding="utf-8")
    report = run(build([docs], project, extractor="rules"))
    assert len(report.replaced) == 1
    old = paris["id"]
    assert project.query("SELECT status FROM mentions WHERE id = ?", (old,)) == [("rejected",)]
    assert project.query("SELECT count(*) FROM mentions WHERE model IS NULL") == [(1,)]


def test_undo_keeps_an_entity_that_a_merge_now_names(project: Project) -> None:
    start = TEXT.index("Monday")
    edit = an.add_mention(project, doc_id(project), start, start + 6, "MISC", ME)
    monday, paris = entity_id("MISC", "monday"), mention(project, "Paris")["entity"]
    with project.transaction() as con:  # entity resolution merged it meanwhile
        con.execute("INSERT INTO entity_merges VALUES (?, ?, 1.0, 'user', 'user', 'now')",
                    (monday, paris))
    an.undo(project, edit, ME)
    assert project.query("SELECT count(*) FROM mentions WHERE text = 'Monday'") == [(0,)]
    assert project.query("SELECT merged FROM entity_merges") == [(monday,)]
