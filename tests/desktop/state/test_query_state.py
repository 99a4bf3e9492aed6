"""The query panel's Qt-free state on a real project: examples, refusals, errors, time
limits, cancel, saved queries in the project file, and how values are shown."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.state import ProjectState
from desktop.state.query_state import EXAMPLES, SAVED_KEY, QueryState, shorten
from kg.query.sparql import run_query
from kg.query.store import load_index
from nlp.progress import NEVER, Cancelled, CancelToken, run

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def state(template_project: Path, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[QueryState]:
    path = tmp_path_factory.mktemp("query-state") / "demo.skein"
    shutil.copyfile(template_project, path)
    ps = ProjectState.open(path)
    yield QueryState(ps)
    ps.close()


def test_every_example_runs_and_matches_the_core(state: QueryState) -> None:
    store = load_index(state.project_state.project)
    for example in EXAMPLES:
        outcome = run(state.run_work(example.text, NEVER))
        assert outcome.error == "", (example.name, outcome.error)
        assert outcome.result is not None
        core = run_query(store, example.text)
        assert outcome.result.columns == core.columns
        assert outcome.result.rows == core.rows, example.name
    by_type = run(state.run_work(EXAMPLES[0].text, NEVER)).result
    assert by_type is not None
    counts = {state.cell(t): n for t, n in by_type.rows}
    assert counts["skein:Person"] == 5 and counts["skein:Location"] == 4


def test_refused_invalid_and_slow_queries_are_outcomes(state: QueryState) -> None:
    refused = run(state.run_work("SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }",
                                 NEVER))
    assert refused.result is None
    assert refused.summary == "SERVICE is not allowed: queries may not reach the network"
    update = run(state.run_work("DELETE WHERE { ?s ?p ?o }", NEVER))
    assert update.result is None and "read-only" in update.error
    broken = run(state.run_work("SELECT ?s WHERE { ?s ?p }", NEVER))
    assert broken.result is None and broken.error.startswith("invalid SPARQL")
    state.timeout = 0.5
    try:
        slow = run(state.run_work(HEAVY, NEVER))
    finally:
        state.timeout = 30.0
    assert slow.result is None and "ran longer than 0.5 s" in slow.error


def test_cancel_stops_the_query(state: QueryState) -> None:
    token = CancelToken()
    work = state.run_work(HEAVY, token)
    next(work)  # opening the index
    next(work)  # about to run
    token.cancel()
    with pytest.raises(Cancelled):
        next(work)


def test_row_limit_and_summary(state: QueryState) -> None:
    state.row_limit = 3
    try:
        outcome = run(state.run_work("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", NEVER))
    finally:
        state.row_limit = 10_000
    assert outcome.result is not None and len(outcome.result.rows) == 3
    assert outcome.result.truncated and "only the first 3 are shown" in outcome.summary
    ask = run(state.run_work("ASK { ?s a skein:Person }", NEVER))
    assert ask.summary.startswith("ASK: true")


def test_saved_queries_live_in_the_project_file(project_path: Path) -> None:
    ps = ProjectState.open(project_path)
    q = QueryState(ps)
    fired: list[bool] = []
    q.saved_changed.connect(lambda: fired.append(True))
    corrections = ps.project.counts()["corrections"]
    q.save("  people\n by name ", "SELECT ?n WHERE { ?e a skein:Person ; rdfs:label ?n }")
    q.save("docs", "SELECT * WHERE { ?d a skein:Document }")
    q.save("people by name", "ASK { ?s ?p ?o }")  # same name: replaced, moved first
    assert [s.name for s in q.saved()] == ["people by name", "docs"]
    assert q.saved()[0].text == "ASK { ?s ?p ?o }" and len(fired) == 3
    with pytest.raises(ValueError, match="needs a name"):
        q.save("   ", "ASK {}")
    assert q.delete("docs") and not q.delete("docs")
    assert ps.project.counts()["corrections"] == corrections  # not an annotation edit
    ps.close()
    ps = ProjectState.open(project_path)  # another session sees them
    try:
        assert [s.name for s in QueryState(ps).saved()] == ["people by name"]
        ps.project.set_meta(SAVED_KEY, '{"not": "a list"}')  # from someone else's file
        assert QueryState(ps).saved() == []
        ps.project.set_meta(SAVED_KEY, '[{"name": 1, "text": "x"}, {"name": "ok", "text": "y"}')
        assert QueryState(ps).saved() == []  # broken JSON
        ps.project.set_meta(SAVED_KEY, '[{"name": 1, "text": "x"}, {"name": "ok", "text": "y"}]')
        assert [s.name for s in QueryState(ps).saved()] == ["ok"]
    finally:
        ps.close()


def test_values_are_shown_short_and_on_one_line(state: QueryState) -> None:
    prefixes = {"skein": "https://skein.dev/ontology#", "proj": "urn:skein:project:abc:"}
    assert shorten("https://skein.dev/ontology#Person", prefixes) == "skein:Person"
    assert shorten("urn:skein:project:abc:entity/e-1", prefixes) == "proj:entity/e-1"
    assert shorten("http://elsewhere.org/x", prefixes) == "http://elsewhere.org/x"
    assert state.cell("https://skein.dev/ontology#Person", prefixes) == "skein:Person"
    assert state.cell("a sentence\nwith https://skein.dev/ontology#x", prefixes) == \
        "a sentence with https://skein.dev/ontology#x"  # literals with spaces stay whole
    assert state.cell(None) == "" and state.cell(True) == "true" and state.cell(3) == "3"
