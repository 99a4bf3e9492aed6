"""Headless: the document view's marks (relations, reviewed sentences), jumping from a
record IRI to the text, and the settings (checked values, display threshold, options)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.state import ProjectState
from desktop.state.navigate import Navigator, entity_mentions, record_of
from desktop.state.preferences import KEYS, Preferences, from_mapping
from desktop.state.text_marks import TextMarks
from kg.query.store import project_base


@pytest.fixture
def state(project_path: Path) -> Iterator[ProjectState]:
    s = ProjectState.open(project_path)
    s.select(next(d.id for d in s.documents if Path(d.source).name == "alpha.txt"))
    s.annotation.user = "ana"
    yield s
    s.close()


def mention(state: ProjectState, text: str) -> int:
    return next(m.id for m in state.mentions if m.text == text)


def relate(state: ProjectState, head: str, tail: str, label: str) -> None:
    state.focus(state.mention(mention(state, head)))
    state.annotation.handle_key("r")
    state.focus(state.mention(mention(state, tail)))
    assert state.annotation.finish_relation(label) is not None


def test_relations_and_reviews_are_marked(state: ProjectState) -> None:
    marks = TextMarks.of(state)
    [model] = marks.hints  # the baseline's suggestion, with its score
    assert model.summary() == "“Emmanuel Macron” —Live_In→ “Paris” (suggested 0.40)"
    assert marks.lines_at([model.tail]) == ["←Live_In— “Emmanuel Macron” (suggested 0.40)"]
    assert marks.reviewed == ()
    relate(state, "Barack Obama", "Seattle", "Live_In")
    marks = TextMarks.of(state)
    assert marks.hints[0] == model
    hint = marks.hints[1]
    assert (hint.head.text, hint.relation.label, hint.tail.text) == (
        "Barack Obama", "Live_In", "Seattle")
    assert hint.summary() == "“Barack Obama” —Live_In→ “Seattle”"  # accepted: no score
    obama, seattle = hint.head, hint.tail
    assert marks.lines_at([obama]) == ["—Live_In→ “Seattle”"]
    assert marks.lines_at([seattle]) == ["←Live_In— “Barack Obama”"]
    assert marks.related == (model.head, model.tail, obama, seattle)
    assert marks.related_in(obama.start + 2, obama.start + 3) == [obama]  # inside it
    assert marks.related_in(model.tail.end, obama.start) == []
    assert marks.related_in(model.tail.end, len(state.text)) == [obama, seattle]

    offset = state.text.index("Microsoft")  # the sentence "Barack Obama visited ..."
    assert not marks.is_reviewed(offset)
    assert state.annotation.handle_key("v", None, offset)
    marks = TextMarks.of(state)
    [(_, (start, end))] = marks.reviewed
    assert state.text[start:end].startswith("Barack Obama visited Microsoft")
    assert marks.is_reviewed(offset) and not marks.is_reviewed(0)
    assert marks.reviewed_in(0, start) == [] and marks.reviewed_in(start, start + 1)
    state.annotation.undo()  # the mark goes with the undo
    assert TextMarks.of(state).reviewed == ()


def test_record_iris_lead_to_the_text(state: ProjectState) -> None:
    base = project_base(state.project)
    assert record_of(f"{base}entity/e-1%2F2", base) == ("entity", "e-1/2")
    assert record_of(f"{base}mention/7", base) == ("mention", "7")
    for other in (f"{base}graph/d", f"{base}entity/", f"{base}entity/a/b", "https://x.org/e/1",
                  "John Smith"):
        assert record_of(other, base) is None
    assert record_of(f"{base}entity/e", None) is None

    smith = state.project.query("SELECT DISTINCT entity FROM mentions WHERE text = 'John Smith'")
    entity = str(smith[0][0])
    found = entity_mentions(state, entity)
    assert len(found) == 2 and len({doc for doc, _ in found}) == 2  # markup.txt, emoji.txt
    nav = Navigator(state)
    seen = []
    for _ in range(3):  # in turn, then round again
        assert nav.show("entity", entity)
        assert state.focused is not None and state.focused.text == "John Smith"
        seen.append((state.selected.id if state.selected else None, state.focused.id))
    assert seen[0] != seen[1] and seen[2] == seen[0]
    doc = next(d for d in state.documents if Path(d.source).name == "alpha.txt")
    assert nav.show("document", doc.id) and state.selected == doc
    assert nav.show("mention", str(found[1][1])) and state.focused is not None
    assert state.focused.id == found[1][1]
    assert not nav.show("entity", "e-none") and not nav.show("mention", "x")


def test_preferences_are_checked_and_applied(state: ProjectState) -> None:
    assert from_mapping({}, env={}) == Preferences()
    saved = {KEYS["backend"]: "rules", KEYS["device"]: "cuda",
             KEYS["min_confidence"]: "0.4", KEYS["show_confidence"]: "0.9"}
    assert from_mapping(saved, env={}) == Preferences("rules", "cuda", 0.4, 0.9)
    bad = {KEYS["backend"]: "rm -rf", KEYS["device"]: "tpu", KEYS["min_confidence"]: "2",
           KEYS["show_confidence"]: "nan?"}
    assert from_mapping(bad, env={}) == Preferences()
    assert from_mapping(saved, env={"SKEIN_EXTRACTOR": "transformer"}).backend == "transformer"
    assert from_mapping(Preferences("rules", "cpu", 0.5, 0.25).to_mapping(), env={}) == \
        Preferences("rules", "cpu", 0.5, 0.25)
    assert Preferences("rules", "cuda").extractor_options() == {}
    assert Preferences("transformer", "cuda", 0.3).extractor_options() == {
        "device": "cuda", "min_confidence": 0.3}

    suggested = [m for m in state.mentions if m.status == "suggested"]
    assert suggested
    floor = sorted(m.confidence for m in suggested)[len(suggested) // 2] + 1e-9
    events: list[str] = []
    state.mentions_changed.connect(lambda: events.append("mentions"))
    state.apply(Preferences("rules", "cpu", 0.0, floor))
    assert events == ["mentions"] and state.backend == "rules"
    assert all(m.confidence >= floor for m in state.mentions if m.status == "suggested")
    assert 0 < len(state.mentions) < len(suggested) + 1
    state.apply(Preferences("rules", "cpu", 0.0, 0.0))
    assert len([m for m in state.mentions if m.status == "suggested"]) == len(suggested)
