"""Cross-check against seqeval (needs ``pip install seqeval``; skipped without it)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.training import (
    NerScores,
    SpanLabel,
    from_bio,
    ner_scores,
    ner_scores_from_tags,
    spans_to_bio,
)

seqeval_metrics = pytest.importorskip("seqeval.metrics")
seqeval_scheme = pytest.importorskip("seqeval.scheme")

TAGS = ["O", "O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-Used-for", "I-Used-for"]
tag_sequences = st.lists(
    st.lists(st.sampled_from(TAGS), min_size=1, max_size=12), min_size=1, max_size=6
)


def seqeval_report(gold: list[list[str]], pred: list[list[str]], strict: bool) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"mode": "strict", "scheme": seqeval_scheme.IOB2} if strict else {}
    report: dict[str, Any] = seqeval_metrics.classification_report(
        gold, pred, output_dict=True, zero_division=0, **kwargs
    )
    return report


def assert_agrees(ours: NerScores, theirs: dict[str, Any]) -> None:
    types = {k for k in theirs if not k.endswith(" avg")}
    assert set(ours.per_type) == types
    for label in types:
        mine, ref = ours.per_type[label], theirs[label]
        assert mine.p == pytest.approx(ref["precision"])
        assert mine.r == pytest.approx(ref["recall"])
        assert mine.f1 == pytest.approx(ref["f1-score"])
        assert mine.support == ref["support"]
    micro, macro = theirs["micro avg"], theirs["macro avg"]
    assert (ours.micro_p, ours.micro_r, ours.micro_f1) == (
        pytest.approx(micro["precision"]),
        pytest.approx(micro["recall"]),
        pytest.approx(micro["f1-score"]),
    )
    assert (ours.macro_p, ours.macro_r, ours.macro_f1) == (
        pytest.approx(macro["precision"]),
        pytest.approx(macro["recall"]),
        pytest.approx(macro["f1-score"]),
    )
    assert ours.support == micro["support"]


def paired(data: st.DataObject) -> tuple[list[list[str]], list[list[str]]]:
    gold = data.draw(tag_sequences)
    pred = [
        data.draw(st.lists(st.sampled_from(TAGS), min_size=len(g), max_size=len(g))) for g in gold
    ]
    return gold, pred


def has_entities(scores: NerScores) -> bool:
    return scores.support + scores.n_pred > 0


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_strict_mode_agrees_with_seqeval_strict_iob2(data: st.DataObject) -> None:
    gold, pred = paired(data)
    ours = ner_scores_from_tags(gold, pred, strict=True)
    if has_entities(ours):  # seqeval has no averages to compare without any entity
        assert_agrees(ours, seqeval_report(gold, pred, strict=True))


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_default_mode_agrees_with_seqeval_conlleval_mode(data: st.DataObject) -> None:
    gold, pred = paired(data)
    ours = ner_scores_from_tags(gold, pred)
    if has_entities(ours):
        assert_agrees(ours, seqeval_report(gold, pred, strict=False))


@st.composite
def well_formed(draw: st.DrawFn, length: int) -> list[str]:
    spans, pos = [], 0
    while pos < length:
        size = draw(st.integers(1, length - pos))
        if draw(st.booleans()):
            spans.append(SpanLabel(pos, pos + size, draw(st.sampled_from(["PER", "LOC", "ORG"]))))
        pos += size
    return spans_to_bio(spans, length)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_span_scores_agree_with_both_seqeval_modes_on_well_formed_iob2(
    data: st.DataObject,
) -> None:
    lengths = data.draw(st.lists(st.integers(1, 10), min_size=1, max_size=5))
    gold = [data.draw(well_formed(n)) for n in lengths]
    pred = [data.draw(well_formed(n)) for n in lengths]
    ours = ner_scores([from_bio(g) for g in gold], [from_bio(p) for p in pred])
    if has_entities(ours):
        assert_agrees(ours, seqeval_report(gold, pred, strict=True))
        assert_agrees(ours, seqeval_report(gold, pred, strict=False))


def test_hand_example_agrees_with_seqeval() -> None:
    gold = [["B-PER", "I-PER", "O", "B-LOC", "O"], ["B-ORG", "O", "B-PER", "O", "O"]]
    pred = [["B-PER", "I-PER", "O", "B-LOC", "I-LOC"], ["B-ORG", "O", "B-MISC", "O", "B-LOC"]]
    for strict in (False, True):
        assert_agrees(
            ner_scores_from_tags(gold, pred, strict=strict), seqeval_report(gold, pred, strict)
        )
