"""NER / RE metrics on hand-computed examples, the JSON shape and the table."""

from __future__ import annotations

import json

import pytest

from nlp.training import (
    EvalReport,
    Example,
    RelLabel,
    SpanLabel,
    evaluate,
    format_table,
    ner_scores,
    ner_scores_from_tags,
    re_scores,
    token_accuracy,
)

GOLD = [
    [SpanLabel(0, 2, "PER"), SpanLabel(3, 4, "LOC")],
    [SpanLabel(0, 1, "ORG"), SpanLabel(2, 3, "PER")],
]
PRED = [
    [SpanLabel(0, 2, "PER"), SpanLabel(3, 5, "LOC")],  # LOC boundary wrong
    [SpanLabel(0, 1, "ORG"), SpanLabel(2, 3, "MISC"), SpanLabel(4, 5, "LOC")],  # type wrong, FP
]


def test_ner_scores_hand_computed() -> None:
    s = ner_scores(GOLD, PRED)
    # tp = 2 (PER, ORG); 5 predicted; 4 gold.
    assert (s.micro_p, s.micro_r) == (pytest.approx(2 / 5), pytest.approx(2 / 4))
    assert s.micro_f1 == pytest.approx(4 / 9)
    assert list(s.per_type) == ["LOC", "MISC", "ORG", "PER"]
    per = {k: (v.p, v.r, v.f1, v.support) for k, v in s.per_type.items()}
    assert per["PER"] == (1.0, 0.5, pytest.approx(2 / 3), 2)
    assert per["LOC"] == (0.0, 0.0, 0.0, 1)
    assert per["ORG"] == (1.0, 1.0, 1.0, 1)
    assert per["MISC"] == (0.0, 0.0, 0.0, 0)
    assert s.macro_f1 == pytest.approx((2 / 3 + 0 + 1 + 0) / 4)
    assert (s.macro_p, s.macro_r) == (pytest.approx(0.5), pytest.approx(0.375))
    assert (s.support, s.n_pred) == (4, 5)


def test_ner_edge_cases() -> None:
    empty = ner_scores([[], []], [[], []])
    assert (empty.micro_f1, empty.macro_f1, dict(empty.per_type)) == (0.0, 0.0, {})
    perfect = ner_scores(GOLD, GOLD)
    assert perfect.micro_f1 == perfect.macro_f1 == 1.0
    dupes = ner_scores([[SpanLabel(0, 1, "X")]], [[SpanLabel(0, 1, "X"), SpanLabel(0, 1, "X")]])
    assert dupes.micro_p == 1.0
    with pytest.raises(ValueError, match="2 gold sentences but 1 predicted"):
        ner_scores(GOLD, PRED[:1])


def test_ner_from_tags_follows_the_chosen_convention() -> None:
    gold = [["B-PER", "I-PER", "O", "B-LOC"]]
    pred = [["I-PER", "I-PER", "O", "B-LOC"]]  # stray I-: an entity for conlleval only
    assert ner_scores_from_tags(gold, pred).micro_f1 == 1.0
    strict = ner_scores_from_tags(gold, pred, strict=True)
    assert (strict.micro_p, strict.micro_r) == (1.0, 0.5)


def test_token_accuracy() -> None:
    gold = [["B-PER", "I-PER", "O"], ["O", "B-LOC"]]
    pred = [["B-PER", "O", "O"], ["O", "B-ORG"]]
    assert token_accuracy(gold, pred) == pytest.approx(3 / 5)
    assert token_accuracy([], []) == 0.0
    with pytest.raises(ValueError, match="sentence 1: 2 gold tags but 1 predicted"):
        token_accuracy(gold, [pred[0], ["O"]])


PER, ORG, LOC = SpanLabel(0, 1, "PER"), SpanLabel(3, 4, "ORG"), SpanLabel(5, 6, "LOC")


def test_re_strict_needs_argument_types() -> None:
    gold = [{(PER, ORG, "Work_For"), (PER, LOC, "Live_In")}]
    pred = [
        {
            (PER, ORG, "Work_For"),  # correct
            (PER, SpanLabel(5, 6, "ORG"), "Live_In"),  # right spans, wrong tail type: wrong
            (ORG, LOC, "OrgBased_In"),  # not in gold
        }
    ]
    s = re_scores(gold, pred)
    assert (s.micro_p, s.micro_r, s.micro_f1) == (
        pytest.approx(1 / 3),
        pytest.approx(1 / 2),
        pytest.approx(0.4),
    )
    assert {k: (v.f1, v.support) for k, v in s.per_type.items()} == {
        "Live_In": (0.0, 1),
        "OrgBased_In": (0.0, 0),
        "Work_For": (1.0, 1),
    }
    assert s.macro_f1 == pytest.approx(1 / 3)
    loose = re_scores(gold, pred, mode="boundaries")
    assert (loose.micro_p, loose.micro_r) == (pytest.approx(2 / 3), 1.0)
    # Direction matters.
    assert re_scores(gold, [{(ORG, PER, "Work_For")}]).micro_f1 == 0.0
    with pytest.raises(ValueError, match="unknown RE scoring mode"):
        re_scores(gold, pred, mode="loose")  # type: ignore[arg-type]


def test_json_shape_is_exact() -> None:
    report = EvalReport(
        ner_scores(GOLD, PRED), re_scores([{(PER, ORG, "Work_For")}], [set()]), 0.75
    )
    out = json.loads(json.dumps(report.to_json()))
    assert set(out) == {"ner", "re", "token_accuracy"}
    for key in ("ner", "re"):
        assert list(out[key]) == ["micro_f1", "micro_p", "micro_r", "macro_f1", "per_type"]
    assert out["ner"]["per_type"]["PER"] == {"p": 1.0, "r": 0.5, "f1": 2 / 3, "support": 2}
    assert out["re"]["per_type"] == {"Work_For": {"p": 0.0, "r": 0.0, "f1": 0.0, "support": 1}}
    assert out["token_accuracy"] == 0.75
    assert report.to_json(digits=3)["ner"]["micro_f1"] == 0.444
    bare = EvalReport(ner_scores(GOLD, GOLD)).to_json()
    assert bare["re"] is None and bare["token_accuracy"] is None


def test_format_table() -> None:
    report = EvalReport(
        ner_scores(GOLD, PRED), re_scores([{(PER, ORG, "Work_For")}], [set()]), 0.75
    )
    text = format_table(report)
    lines = text.splitlines()
    assert lines[0].split() == ["NER", "P", "R", "F1", "support"]
    assert "PER    1.0000  0.5000  0.6667        2" in text
    assert "micro  0.4000  0.5000  0.4444        4" in text
    assert "Work_For" in text and "token accuracy  0.7500" in text
    assert format_table(report.ner, title="entity").startswith("entity")


def test_evaluate_examples() -> None:
    tokens = ("John", "works", "for", "Acme")
    ents = (SpanLabel(0, 1, "PER"), SpanLabel(3, 4, "ORG"))
    gold = [Example(tokens, ents, (RelLabel(0, 1, "Work_For"),), "d", 0)]
    pred = [Example(tokens, (ents[0], SpanLabel(3, 4, "LOC")), (RelLabel(0, 1, "Work_For"),))]
    report = evaluate(gold, pred)
    assert report.ner.micro_f1 == pytest.approx(0.5)
    assert report.re is not None and report.re.micro_f1 == 0.0  # tail type wrong
    assert report.token_accuracy == pytest.approx(3 / 4)
    assert evaluate([Example(tokens, ents)], [pred[0]]).re is not None
    no_rel = evaluate([Example(tokens, ents)], [Example(tokens)])
    assert no_rel.re is None and no_rel.ner.micro_r == 0.0
    with pytest.raises(ValueError, match="tokens differ"):
        evaluate(gold, [Example(("x",))])
