"""Spans <-> IOB tags: round trip, the two decoding conventions, overlap resolution."""

from __future__ import annotations

import logging
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nlp.training import Example, SpanLabel, from_bio, resolve_overlaps, spans_to_bio, to_bio

LABELS = ["PER", "LOC", "ORG", "Used-for"]


@st.composite
def sentences(draw: st.DrawFn) -> tuple[int, list[SpanLabel]]:
    """A sentence length and sorted, non-overlapping (possibly adjacent) spans."""
    spans = []
    pos = 0
    for gap, length, label in draw(
        st.lists(
            st.tuples(st.integers(0, 3), st.integers(1, 4), st.sampled_from(LABELS)),
            max_size=8,
        )
    ):
        spans.append(SpanLabel(pos + gap, pos + gap + length, label))
        pos += gap + length
    return pos + draw(st.integers(0, 3)), spans


@given(sentences())
def test_round_trip_is_identity(sentence: tuple[int, list[SpanLabel]]) -> None:
    length, spans = sentence
    tags = spans_to_bio(spans, length)
    assert len(tags) == length
    assert from_bio(tags) == spans
    assert from_bio(tags, strict=True) == spans


def test_to_bio_writes_iob2_with_adjacent_entities() -> None:
    ex = Example(
        ("a", "b", "c", "d", "e"),
        (SpanLabel(0, 2, "PER"), SpanLabel(2, 3, "PER"), SpanLabel(4, 5, "LOC")),
    )
    assert to_bio(ex) == ["B-PER", "I-PER", "B-PER", "O", "B-LOC"]


def test_stray_inside_tags_lenient_vs_strict() -> None:
    tags = ["I-PER", "I-PER", "O", "I-LOC", "B-ORG", "I-MISC", "I-MISC", "B-X", "I-X"]
    assert from_bio(tags) == [
        SpanLabel(0, 2, "PER"),
        SpanLabel(3, 4, "LOC"),
        SpanLabel(4, 5, "ORG"),
        SpanLabel(5, 7, "MISC"),
        SpanLabel(7, 9, "X"),
    ]
    assert from_bio(tags, strict=True) == [SpanLabel(4, 5, "ORG"), SpanLabel(7, 9, "X")]
    assert from_bio([]) == []


@pytest.mark.parametrize("tag", ["B", "I-", "X-PER", "b-PER", "", "B-PER ", "S-PER"])
def test_malformed_tags_raise(tag: str) -> None:
    with pytest.raises(ValueError, match="malformed IOB tag"):
        from_bio(["O", tag])


def test_overlaps_keep_the_longer_and_count_the_dropped(caplog: pytest.LogCaptureFixture) -> None:
    ex = Example(
        tuple("abcdefg"),
        (
            SpanLabel(1, 2, "B"),  # inside A
            SpanLabel(0, 3, "A"),  # as long as C, starts earlier: kept
            SpanLabel(2, 5, "C"),
            SpanLabel(5, 7, "D"),  # touches nothing kept: kept
            SpanLabel(5, 7, "E"),  # same span as D, later in the input: dropped
        ),
    )
    dropped: Counter[str] = Counter()
    with caplog.at_level(logging.DEBUG, logger="nlp.training.bio"):
        tags = to_bio(ex, dropped)
    assert tags == ["B-A", "I-A", "I-A", "O", "O", "B-D", "I-D"]
    assert dropped == Counter({"B": 1, "C": 1, "E": 1})
    assert "dropped 3 overlapping span(s)" in caplog.text
    kept, lost = resolve_overlaps(ex.entities)
    assert kept == [SpanLabel(0, 3, "A"), SpanLabel(5, 7, "D")]
    assert sorted(lost) == [SpanLabel(1, 2, "B"), SpanLabel(2, 5, "C"), SpanLabel(5, 7, "E")]


def test_span_outside_sentence_raises() -> None:
    with pytest.raises(ValueError, match="outside a sentence of 2 tokens"):
        spans_to_bio([SpanLabel(1, 3, "X")], 2)
