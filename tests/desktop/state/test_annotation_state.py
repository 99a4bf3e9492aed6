"""The annotation state, headless, on a real project file: keys, undo/redo, queue, relations."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.state import AnnotationState, ProjectState
from kg import annotate as an


@pytest.fixture
def state(project_path: Path) -> Iterator[ProjectState]:
    s = ProjectState.open(project_path)
    s.select(next(d.id for d in s.documents if Path(d.source).name == "alpha.txt"))
    yield s
    s.close()


@pytest.fixture
def ann(state: ProjectState) -> AnnotationState:
    a = state.annotation
    a.user = "ana"
    return a


def span(state: ProjectState, text: str) -> tuple[int, int]:
    start = state.text.index(text)
    return start, start + len(text)


def stored(state: ProjectState, text: str) -> list[tuple[Any, ...]]:
    return state.project.query(
        "SELECT label, status, model, confirmed_by FROM mentions WHERE text = ? ORDER BY id",
        (text,))


def record(events: list[str], state: ProjectState, ann: AnnotationState) -> None:
    state.mentions_changed.connect(lambda: events.append("mentions"))
    ann.edited.connect(lambda e: events.append(f"edited:{e.action}"))
    ann.history_changed.connect(lambda: events.append("history"))
    ann.queue.changed.connect(lambda: events.append("queue"))


def test_a_label_key_on_selected_text_adds_and_undo_redo_take_it_back(
        state: ProjectState, ann: AnnotationState) -> None:
    events: list[str] = []
    record(events, state, ann)
    messages: list[str] = []
    ann.message.connect(messages.append)
    assert ann.handle_key("o", span(state, " Siemens AG "))  # spaces are trimmed off
    assert stored(state, "Siemens AG") == [("ORG", "accepted", None, "ana")]
    assert events == ["mentions", "queue", "edited:add_mention", "history"]
    assert ann.label == "ORG" and messages[-1] == "Saved: add ORG “Siemens AG”"
    siemens = state.focused
    assert siemens is not None and siemens.text == "Siemens AG" and siemens in state.mentions
    assert ann.undo_text() == "Undo add ORG “Siemens AG”" and not ann.can_redo
    ann.undo()
    assert stored(state, "Siemens AG") == [] and state.focused is None
    assert all(m.text != "Siemens AG" for m in state.mentions)
    assert ann.redo_text() == "Redo add ORG “Siemens AG”"
    ann.redo()
    assert stored(state, "Siemens AG") == [("ORG", "accepted", None, "ana")]
    assert ann.undo_text() == "Undo add ORG “Siemens AG”"
    actions = [r[0] for r in state.project.query("SELECT action FROM corrections ORDER BY id")]
    assert actions == ["add_mention", "undo", "redo"]


def test_number_keys_and_relabelling(state: ProjectState, ann: AnnotationState) -> None:
    ann.handle_key("4", span(state, "Monday"))
    assert stored(state, "Monday")[0][:2] == ("MISC", "accepted")
    ann.handle_key("2", span(state, "Microsoft"))  # exactly a MISC suggestion's span
    assert stored(state, "Microsoft") == [("ORG", "accepted", "rule-baseline@0.1", "ana")]
    paris = next(m for m in state.mentions if m.text == "Paris")
    state.focus(paris)
    ann.handle_key("P", None)  # no selection: relabel the focused mention (case ignored)
    assert stored(state, "Paris")[0][:2] == ("PER", "accepted")
    assert ann.handle_key("q", None) is False


def test_refusals_are_messages_and_leave_no_history(
        state: ProjectState, ann: AnnotationState) -> None:
    messages: list[str] = []
    ann.message.connect(messages.append)
    ann.handle_key("l", span(state, "Monday. The"))
    assert messages == ["The selection crosses a sentence boundary: an entity lies within one "
                        "sentence"]
    ann.handle_key("l", (span(state, "Paris")[1], span(state, "Paris")[1] + 1))
    assert messages[-1] == "The selection is empty or only white space"
    assert not ann.can_undo
    assert state.project.query("SELECT count(*) FROM corrections") == [(0,)]
    ann.handle_key("l", span(state, "Paris"))  # the label it has: that accepts it
    assert stored(state, "Paris") == [("LOC", "accepted", "rule-baseline@0.1", "ana")]
    ann.handle_key("l", span(state, "Paris"))
    assert messages[-1] == "“Paris” is already a LOC mention"


def test_accept_and_reject_the_focused_suggestion_then_move_on(
        state: ProjectState, ann: AnnotationState) -> None:
    ann.handle_key("j")
    assert state.focused is not None and state.focused.text == "Angela Merkel"
    ann.handle_key("a")
    assert stored(state, "Angela Merkel")[0][1] == "accepted"
    assert state.focused is not None and state.focused.text == "Emmanuel Macron"
    ann.handle_key("j")
    ann.handle_key("k")
    assert state.focused is not None and state.focused.text == "Emmanuel Macron"
    ann.handle_key("j")
    ann.handle_key("x")  # reject Paris: it leaves the view, its Live_In relation is rejected
    assert stored(state, "Paris")[0][1] == "rejected"
    assert all(m.text != "Paris" for m in state.mentions) and state.relations == ()
    assert state.focused is not None and state.focused.text == "European Union and Siemens AG"
    ann.undo()
    assert any(m.text == "Paris" for m in state.mentions) and len(state.relations) == 1


def test_review_queue_goes_least_confident_first_and_advances(
        state: ProjectState, ann: AnnotationState) -> None:
    queue = ann.queue
    assert [i.confidence for i in queue.items] == sorted(i.confidence for i in queue.items)
    first = queue.current
    assert first is not None and (first.text, first.label) == ("Microsoft", "MISC")
    second = queue.items[1]
    moved: list[int] = []
    queue.moved.connect(moved.append)
    queue.decide(False)
    assert queue.current == second and queue.index == 0  # the next item moved up
    assert stored(state, "Microsoft")[0][1] == "rejected"
    queue.move(1)
    assert moved == [1]
    queue.jump()
    assert state.selected is not None and state.selected.id == queue.items[1].document
    assert state.focused is not None and state.focused.id in (queue.items[1].id,
                                                               queue.items[1].head)
    relation = next(i for i, item in enumerate(queue.items) if item.kind == "relation")
    queue.select(relation)
    item = queue.current
    assert item is not None
    queue.decide(True)
    assert state.project.query("SELECT status FROM relations WHERE id = ?", (item.id,)) == [
        ("accepted",)]
    assert item.key not in {i.key for i in queue.items}
    ann.undo()
    assert item.key in {i.key for i in queue.items}
    assert queue.total == an.open_suggestions(state.project)


def test_drawing_a_relation(state: ProjectState, ann: AnnotationState) -> None:
    messages: list[str] = []
    ann.message.connect(messages.append)
    ann.handle_key("o", span(state, "Siemens AG"))
    obama = next(m for m in state.mentions if m.text == "Barack Obama")
    berlin = next(m for m in state.mentions if m.text == "Berlin")
    state.focus(obama)
    ann.handle_key("r")
    assert ann.draft is not None and ann.draft.stage == "tail"
    state.focus(berlin)  # a click on it, or j/k to it and r
    assert ann.draft is not None and ann.draft.stage == "label"
    assert ann.draft.labels == ("Live_In",)
    edit = ann.finish_relation("Live_In")
    assert edit is not None and ann.draft is None
    assert [(r.label, r.status, r.model) for r in state.relations if r.head == obama.id] == [
        ("Live_In", "accepted", None)]
    assert ann.relation_lines(obama.start) == ["—Live_In→ “Berlin”"]
    assert ann.relation_lines(berlin.start) == ["←Live_In— “Barack Obama”"]

    siemens = next(m for m in state.mentions if m.text == "Siemens AG")
    state.focus(berlin)
    ann.handle_key("r")
    state.focus(siemens)  # LOC -> ORG: nothing allows it, and it says what would
    assert ann.draft is not None and ann.draft.stage == "tail"
    assert messages[-1] == ("No relation type links a LOC to an ORG (the other way round: "
                            "OrgBased_In); pick another tail")
    ann.handle_key("escape")
    assert ann.draft is None


def test_marking_the_sentence_reviewed_by_key(state: ProjectState, ann: AnnotationState) -> None:
    obama = next(m for m in state.mentions if m.text == "Barack Obama")
    ann.handle_key("v", None, cursor=obama.start + 1)
    assert {m.text: m.status for m in state.mentions if m.sentence == obama.sentence} == {
        "Barack Obama": "accepted", "Microsoft": "accepted", "Seattle": "accepted"}
    assert an.reviewed_sentences(state.project, obama.document) == {obama.sentence}
    ann.handle_key("v", None, cursor=obama.start + 1)
    assert an.reviewed_sentences(state.project, obama.document) == frozenset()


def test_offsets_after_astral_characters(state: ProjectState, ann: AnnotationState) -> None:
    state.select(next(d.id for d in state.documents if Path(d.source).name == "emoji.txt"))
    ann.handle_key("m", span(state, "🇨🇭"))
    assert stored(state, "🇨🇭") == [("MISC", "accepted", None, "ana")]


def test_undo_shows_the_document_the_edit_was_in(
        state: ProjectState, ann: AnnotationState) -> None:
    alpha = state.selected
    ann.handle_key("m", span(state, "Monday"))
    state.select(next(d.id for d in state.documents if Path(d.source).name == "emoji.txt"))
    ann.undo()
    assert state.selected == alpha and all(m.text != "Monday" for m in state.mentions)


def test_an_undo_that_no_longer_applies_is_dropped_with_a_reason(
        state: ProjectState, ann: AnnotationState) -> None:
    messages: list[str] = []
    ann.message.connect(messages.append)
    paris = next(m for m in state.mentions if m.text == "Paris")
    state.focus(paris)
    ann.handle_key("a")
    an.relabel_mention(state.project, paris.id, "MISC", "bob")  # another window, say
    ann.undo()
    assert messages[-1].startswith("Cannot undo “accept LOC “Paris””: mention (id ")
    assert not ann.can_undo and not ann.can_redo
    assert stored(state, "Paris")[0][:2] == ("MISC", "accepted")
