"""The Qt-free view state: reading a real project, offsets, colours, texts, events."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.state import Event, ProjectState, Utf16Index, label_colour
from desktop.state.about import about_text
from desktop.state.events import Subscriptions
from desktop.state.recent import existing, push_recent
from desktop.state.text import (
    build_summary,
    error_message,
    failure_lines,
    failure_reason,
    mention_tooltip,
    one_line,
)
from kg.pipeline import BuildReport
from kg.records import MentionRecord, ModelRecord
from kg.store import ProjectError


@pytest.fixture
def state(project_path: Path) -> Iterator[ProjectState]:
    s = ProjectState.open(project_path)
    yield s
    s.close()


def by_name(state: ProjectState, name: str) -> str:
    return next(d.id for d in state.documents if Path(d.source).name == name)


def test_documents_have_status_and_failed_ones_a_reason(state: ProjectState) -> None:
    status = {Path(d.source).name: d.status for d in state.documents}
    assert status == {"alpha.txt": "extracted", "markup.txt": "extracted",
                      "emoji.txt": "extracted", "empty.pdf": "failed"}
    failed = state.document(by_name(state, "empty.pdf"))
    assert failed is not None and failed.error
    assert failure_reason(failed.source, failed.error) == "empty file (0 bytes)"
    assert state.counts.documents == 4 and state.counts.failed == 1
    assert state.counts.entities > 0
    assert state.status_line().startswith("4 documents (1 failed) · ")


def test_selecting_a_document_reads_its_text_and_sorted_mentions(state: ProjectState) -> None:
    seen: list[str] = []
    state.selection_changed.connect(lambda: seen.append("selected"))
    state.select(by_name(state, "alpha.txt"))
    assert seen == ["selected"]
    assert state.text.startswith("Angela Merkel met Emmanuel Macron")
    starts = [(m.start, m.end) for m in state.mentions]
    assert starts == sorted(starts) and len(starts) >= 5
    for m in state.mentions:
        assert state.text[m.start:m.end] == m.text
    state.select(None)
    assert state.text == "" and state.mentions == ()


def test_tooltip_at_an_offset(state: ProjectState) -> None:
    state.select(by_name(state, "alpha.txt"))
    paris = next(m for m in state.mentions if m.text == "Paris")
    tip = state.tooltip_at(paris.start + 2)
    assert tip == f"LOC · confidence {paris.confidence:.2f} · rule-baseline@0.1"
    assert state.tooltip_at(paris.end) != tip  # the end is exclusive
    assert state.tooltip_at(state.text.index(" met ") + 1) is None
    assert state.mentions_at(paris.start) == [paris]


def test_mentions_are_found_after_astral_characters(state: ProjectState) -> None:
    state.select(by_name(state, "emoji.txt"))
    zurich = next(m for m in state.mentions if m.text == "Zürich")
    assert state.text[zurich.start:zurich.end] == "Zürich"
    # three astral characters (🇨 🇭 are two) come before it: Qt positions are 2 further on
    assert state.offsets.to_qt(zurich.start) == zurich.start + 2


def test_focus_mention_emits_the_mention(state: ProjectState) -> None:
    state.select(by_name(state, "alpha.txt"))
    got: list[MentionRecord] = []
    state.mention_focused.connect(got.append)
    state.focus_mention(1)
    state.focus_mention(999)  # out of range: ignored
    assert got == [state.mentions[1]]


def test_extractor_is_reported_as_the_rule_baseline(state: ProjectState) -> None:
    assert state.extractor is not None and state.extractor.id == "rule-baseline@0.1"
    assert state.extractor_is_baseline
    assert "rule-based baseline" in state.extractor_line()


def test_refresh_keeps_the_selection(state: ProjectState) -> None:
    doc = by_name(state, "alpha.txt")
    state.select(doc)
    state.refresh()
    assert state.selected is not None and state.selected.id == doc


def test_select_most_mentioned(state: ProjectState) -> None:
    state.select_most_mentioned()
    assert state.selected is not None and state.selected.status == "extracted"


def test_label_counts_and_colours(state: ProjectState) -> None:
    state.select(by_name(state, "alpha.txt"))
    counts = state.label_counts()
    assert list(counts)[:4] == ["PER", "ORG", "LOC", "MISC"]
    assert sum(counts.values()) == len(state.mentions)
    light = state.colour("PER")
    changed = []
    state.colours_changed.connect(lambda: changed.append(1))
    state.set_dark(True)
    assert changed == [1] and state.colour("PER") != light


def test_label_colours_are_fixed_or_stable_and_distinct() -> None:
    fixed = {label_colour(t) for t in ("PER", "ORG", "LOC", "MISC")}
    assert len(fixed) == 4
    assert label_colour("DISEASE") == label_colour("DISEASE")
    assert label_colour("DISEASE") != label_colour("DRUG")
    assert label_colour("DISEASE", dark=True) != label_colour("DISEASE")
    for colour in (label_colour("x"), label_colour("PER", dark=True)):
        assert len(colour) == 7 and colour.startswith("#")


@pytest.mark.parametrize("text", ["", "plain ascii", "Zürich", "a😀b🇨🇭c", "😀😀"])
def test_utf16_index_round_trips(text: str) -> None:
    index = Utf16Index(text)
    units = 0
    for offset, ch in enumerate(text + "\0"):
        assert index.to_qt(offset) == units
        assert index.from_qt(units) == offset
        units += 2 if ord(ch) > 0xFFFF else 1


def test_event_and_subscriptions() -> None:
    event: Event[[int]] = Event()
    got: list[int] = []
    subs = Subscriptions()
    subs.connect(event, got.append)
    event.emit(1)
    subs.clear()
    event.emit(2)
    assert got == [1] and len(event) == 0


def test_texts_are_single_lines() -> None:
    assert one_line("\n\n first \nsecond") == "first"
    assert len(one_line("x" * 1000)) == 300
    assert error_message(ValueError("bad value\nTraceback (most recent call last):")) == (
        "ValueError: bad value")
    assert error_message(ProjectError("/p.skein", "corrupt")) == "/p.skein: corrupt"
    assert error_message(FileNotFoundError(2, "No such file", "/x")) == "/x: No such file"
    assert failure_reason("/a.pdf", "/a.pdf: encrypted") == "encrypted"
    assert failure_reason("/a.pdf", None) == "unknown reason"


def test_build_summary_and_failures() -> None:
    report = BuildReport(added=("a", "b"), failed=(("/x/c.pdf", "/x/c.pdf: broken\nmore"),),
                         cancelled=True)
    assert build_summary(report).startswith("Import: 2 added, 0 unchanged, 1 failed — cancelled")
    assert failure_lines(report) == ["c.pdf — broken"]


def test_mention_tooltip_for_a_person_added_span(state: ProjectState) -> None:
    state.select(by_name(state, "alpha.txt"))
    m = state.mentions[0]
    person = dataclasses.replace(m, model=None, status="accepted")
    assert mention_tooltip(person).endswith("· added by a person · accepted")


def test_recent_projects(tmp_path: Path) -> None:
    a, b = tmp_path / "a.skein", tmp_path / "b.skein"
    a.write_bytes(b"x")
    recent = push_recent([], a)
    recent = push_recent(recent, b)
    recent = push_recent(recent, a)
    assert recent == [str(a.resolve()), str(b.resolve())]
    assert existing(recent) == [str(a.resolve())]
    assert len(push_recent([str(i) for i in range(20)], a)) == 8


def test_about_text_names_versions_and_models() -> None:
    models = [ModelRecord("rule-baseline@0.1", "rules", "baseline", "2025")]
    text = about_text("6.9.9", "6.9.8", models)
    assert f"Python {sys.version_info.major}.{sys.version_info.minor}" in text
    assert "Qt 6.9.9" in text and "PySide6 6.9.8" in text and "rule-baseline@0.1" in text
    assert "none yet" in about_text("6", "6", [])


def test_desktop_state_imports_no_qt() -> None:
    code = ("import sys, desktop.state, desktop.state.about, desktop.state.text, "
            "desktop.state.recent\n"
            "print([m for m in sys.modules if m.split('.')[0] in ('PySide6', 'superqt')])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
