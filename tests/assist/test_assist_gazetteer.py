"""The gazetteer: longest, case-aware matches of known names, and how they join the model's."""

from __future__ import annotations

from pathlib import Path

from kg.assist.gazetteer import Combine, Gazetteer, Match, combine
from kg.pipeline import build
from kg.rdf.background import import_rdf
from kg.store import Project
from nlp.progress import run
from nlp.training.examples import Example, SpanLabel


def test_longest_case_aware_match_across_tokenisations() -> None:
    g = Gazetteer([("New York", "LOC"), ("New York Times", "ORG"), ("U.S.", "LOC"),
                   ("Bush", "PER"), ("may", "MISC")])
    tokens = ("The", "New", "York", "Times", "says", "U", ".", "S", ".", "troops", "and",
              "Bush", "like", "bush")
    assert g.match(tokens) == [Match(1, 4, "ORG", "New York Times"),
                               Match(5, 9, "LOC", "U . S ."),
                               Match(11, 12, "PER", "Bush")]
    assert "may" not in g.labels  # a lower-case word is not a name
    caps = ("BUSH", "VISITS", "NEW", "YORK", "TODAY")
    assert [(m.start, m.end, m.label) for m in g.match(caps)] == [(0, 1, "PER"), (2, 4, "LOC")]


def test_most_frequent_type_and_precision_from_labelled_sentences() -> None:
    ex = [Example(("Washington", "met", "Monday", "."), (SpanLabel(0, 1, "PER"),)),
          Example(("In", "Washington", "on", "Monday", "."),
                  (SpanLabel(1, 2, "LOC"), SpanLabel(3, 4, "MISC"))),
          Example(("Washington", "said", "."), (SpanLabel(0, 1, "PER"),)),
          Example(("Monday", "again", "Monday", "."), ())]
    assert Gazetteer.from_examples(ex).labels == {"Washington": "PER", "Monday": "MISC"}
    # "Monday" is labelled once in four occurrences: left out at 50 % precision
    assert Gazetteer.from_examples(ex, min_precision=0.5).labels == {"Washington": "PER"}


def test_combine_fills_gaps_and_retypes_unsure_spans() -> None:
    model = [(0, 2, "LOC", 0.95), (5, 6, "ORG", 0.6)]
    matches = [Match(0, 2, "ORG", "a b"), Match(5, 6, "PER", "c"), Match(8, 10, "LOC", "d e"),
               Match(1, 3, "PER", "overlaps")]
    assert combine(model, matches, Combine(fill=True, retype_below=0.7)) == [
        (0, 2, "LOC", 0.95), (5, 6, "PER", 0.6), (8, 10, "LOC", 0.5)]
    assert combine(model, matches, Combine(fill=False)) == model


def test_from_project_reads_confirmed_and_known_entities(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("John Smith of IBM visited Seattle.\n", encoding="utf-8")
    ttl = tmp_path / "known.ttl"
    ttl.write_text('@prefix schema: <http://schema.org/> .\n'
                   '<http://ex.org/acme> a schema:Organization ; schema:name "Acme Corp." ;\n'
                   '  schema:alternateName "Acme" .\n', encoding="utf-8")
    with Project.create(tmp_path / "t.skein") as project:
        run(build([docs], project, extractor="rules"))
        run(import_rdf(project, ttl))
        assert not any(Gazetteer.from_project(project).match(("John", "Smith")))
        with project.transaction() as con:
            con.execute("UPDATE mentions SET status = 'accepted' WHERE text = 'John Smith'")
        g = Gazetteer.from_project(project)
    assert g.match(("John", "Smith", "joined", "Acme", "Corp", ".")) == [
        Match(0, 2, "PER", "John Smith"), Match(3, 6, "ORG", "Acme Corp .")]
    assert g.labels["Acme"] == "ORG"
