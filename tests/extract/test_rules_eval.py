"""Span-level scoring, and a floor for the baseline on a small hand-labelled set.

`evaluate_spans` is the exact-match micro P/R/F1 used for CoNLL-style NER (seqeval's
strict mode on spans): a prediction counts only if start, end and label all match.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pytest

from nlp.extract import Extraction

Run = Callable[[str], Extraction]
Span = tuple[int, int, str]


def evaluate_spans(gold: Iterable[Span], pred: Iterable[Span]) -> tuple[float, float, float]:
    """Micro precision, recall and F1 of exact (start, end, label) matches."""
    g, p = set(gold), set(pred)
    tp = len(g & p)
    precision = tp / len(p) if p else 0.0
    recall = tp / len(g) if g else 0.0
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return precision, recall, f1


def test_evaluate_spans() -> None:
    gold = [(0, 4, "PER"), (10, 15, "LOC"), (20, 25, "ORG")]
    pred = [(0, 4, "PER"), (10, 15, "ORG"), (30, 32, "MISC")]
    assert evaluate_spans(gold, pred) == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    assert evaluate_spans(gold, gold) == (1.0, 1.0, 1.0)
    assert evaluate_spans([], []) == (0.0, 0.0, 0.0)
    assert evaluate_spans(gold, []) == (0.0, 0.0, 0.0)


# Hand-written, hand-labelled sentences (titles excluded from PER, CoNLL-2003 style).
_GOLD: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "The Environmental Protection Agency fined Acme Chemical Co. in Houston, Texas.",
        [
            ("Environmental Protection Agency", "ORG"),
            ("Acme Chemical Co.", "ORG"),
            ("Houston", "LOC"),
            ("Texas", "LOC"),
        ],
    ),
    (
        "Judge Maria Lopez of the District Court for the Southern District of New York "
        "denied the request.",
        [("Maria Lopez", "PER"), ("District Court for the Southern District of New York", "ORG")],
    ),
    (
        "Secretary Robert Hale told the House Armed Services Committee that Russia and China "
        "were expanding their navies.",
        [
            ("Robert Hale", "PER"),
            ("House Armed Services Committee", "ORG"),
            ("Russia", "LOC"),
            ("China", "LOC"),
        ],
    ),
    (
        "Peter Novak, a spokesman for General Motors, said the plant in Detroit would close.",
        [("Peter Novak", "PER"), ("General Motors", "ORG"), ("Detroit", "LOC")],
    ),
    (
        "Canadian officials met German diplomats at the United Nations in Geneva.",
        [("Canadian", "MISC"), ("German", "MISC"), ("United Nations", "ORG"), ("Geneva", "LOC")],
    ),
    (
        "Dr. Susan Park of Stanford University published the study with the Mayo Clinic.",
        [("Susan Park", "PER"), ("Stanford University", "ORG"), ("Mayo Clinic", "ORG")],
    ),
]


def _spans(text: str, items: list[tuple[str, str]]) -> set[Span]:
    out: set[Span] = set()
    for surface, label in items:
        start = text.index(surface)
        out.add((start, start + len(surface), label))
    return out


def test_baseline_floor_on_hand_labelled_sentences(run_rules: Run) -> None:
    gold: set[tuple[int, Span]] = set()
    pred: set[tuple[int, Span]] = set()
    for i, (text, items) in enumerate(_GOLD):
        gold |= {(i, s) for s in _spans(text, items)}
        pred |= {(i, (m.start, m.end, m.label)) for m in run_rules(text).mentions}
    flat = [(i * 10_000 + s[0], i * 10_000 + s[1], s[2]) for i, s in gold]
    flat_pred = [(i * 10_000 + s[0], i * 10_000 + s[1], s[2]) for i, s in pred]
    _, _, f1 = evaluate_spans(flat, flat_pred)
    # A regression floor for the rules, not a claim of quality: the real figure on
    # CoNLL04 dev is far lower (see the module docstring of nlp.extract.rules).
    assert f1 >= 0.6
