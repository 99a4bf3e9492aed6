"""Scoring a model on held-out corrections, counting only what people decided.

A fully reviewed sentence is scored like any gold sentence (strict spans and types, strict
relation triples). In a partly annotated one only the decisions count: a confirmed span
or relation the model misses is a false negative, a prediction that hits a rejected span
(or a rejected pair) is a false positive, and predictions on words nobody looked at count
neither way — they may well be right.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from nlp.training.examples import Example, Partial, SpanLabel

__all__ = ["DecisionScore", "TypeScore", "score_decisions", "score_types"]


@dataclass(frozen=True, slots=True)
class DecisionScore:
    """Counts over people's decisions; F1 is None where there was nothing to score."""

    sentences: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    rel_tp: int = 0
    rel_fp: int = 0
    rel_fn: int = 0

    @staticmethod
    def _f1(tp: int, fp: int, fn: int) -> float | None:
        return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None

    @property
    def ner_f1(self) -> float | None:
        return self._f1(self.tp, self.fp, self.fn)

    @property
    def re_f1(self) -> float | None:
        return self._f1(self.rel_tp, self.rel_fp, self.rel_fn)

    @property
    def f1(self) -> float | None:
        """Micro F1 over entity and relation decisions together (the figure to compare)."""
        return self._f1(self.tp + self.rel_tp, self.fp + self.rel_fp, self.fn + self.rel_fn)

    def to_json(self) -> dict[str, Any]:
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 4)
        return {"sentences": self.sentences, "f1": r(self.f1), "ner_f1": r(self.ner_f1),
                "re_f1": r(self.re_f1), "tp": self.tp, "fp": self.fp, "fn": self.fn,
                "rel_tp": self.rel_tp, "rel_fp": self.rel_fp, "rel_fn": self.rel_fn}


def score_decisions(gold: Sequence[Example], predicted: Sequence[Example]) -> DecisionScore:
    """Score `predicted` (the same sentences, the model's entities and relations) against
    the people's decisions in `gold` (see the module docstring)."""
    tp = fp = fn = rtp = rfp = rfn = 0
    for g, p in zip(gold, predicted, strict=True):
        gold_spans, pred_spans = set(g.entities), set(p.entities)
        tp += len(gold_spans & pred_spans)
        fn += len(gold_spans - pred_spans)
        gold_rels, pred_rels = g.relation_triples(), p.relation_triples()
        rtp += len(gold_rels & pred_rels)
        rfn += len(gold_rels - pred_rels)
        if isinstance(g.known, Partial):
            rejected = g.known.rejected
            fp += sum(1 for s in pred_spans - gold_spans if _hits(s, rejected, gold_spans))
            pairs = {(h, t) for h, t, _ in g.known.rejected_relations}
            rfp += sum(1 for h, t, _ in pred_rels - gold_rels if (h, t) in pairs)
        else:
            fp += len(pred_spans - gold_spans)
            rfp += len(pred_rels - gold_rels)
    return DecisionScore(len(gold), tp, fp, fn, rtp, rfp, rfn)


@dataclass(frozen=True, slots=True)
class TypeScore:
    """Decision counts of one entity type (``kind="entity"``) or relation type."""

    kind: str
    label: str
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        return DecisionScore._f1(self.tp, self.fp, self.fn)

    @property
    def support(self) -> int:
        return self.tp + self.fn

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "label": self.label, "tp": self.tp, "fp": self.fp,
                "fn": self.fn}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TypeScore:
        return cls(str(data["kind"]), str(data["label"]), int(data.get("tp", 0)),
                   int(data.get("fp", 0)), int(data.get("fn", 0)))


def score_types(gold: Sequence[Example], predicted: Sequence[Example]) -> tuple[TypeScore, ...]:
    """`score_decisions` per entity type and per relation type (entity types first, by
    name); a type appears when a decision or a counted prediction has it."""
    counts: dict[tuple[str, str], list[int]] = {}

    def add(kind: str, label: str, i: int) -> None:
        counts.setdefault((kind, label), [0, 0, 0])[i] += 1

    for g, p in zip(gold, predicted, strict=True):
        gold_spans, pred_spans = set(g.entities), set(p.entities)
        gold_rels, pred_rels = g.relation_triples(), p.relation_triples()
        for s in gold_spans:
            add("entity", s.label, 0 if s in pred_spans else 2)
        for h, t, r in gold_rels:
            add("relation", r, 0 if (h, t, r) in pred_rels else 2)
        if isinstance(g.known, Partial):
            rejected = g.known.rejected
            pairs = {(h, t) for h, t, _ in g.known.rejected_relations}
            wrong = [s for s in pred_spans - gold_spans if _hits(s, rejected, gold_spans)]
            wrong_rels = [x for x in pred_rels - gold_rels if (x[0], x[1]) in pairs]
        else:
            wrong, wrong_rels = list(pred_spans - gold_spans), list(pred_rels - gold_rels)
        for s in wrong:
            add("entity", s.label, 1)
        for x in wrong_rels:
            add("relation", x[2], 1)
    return tuple(TypeScore(kind, label, *c) for (kind, label), c in sorted(counts.items()))


def _hits(span: SpanLabel, rejected: Sequence[SpanLabel], confirmed: set[SpanLabel]) -> bool:
    """A predicted span on words a person said are no (such) entity, outside confirmed spans."""
    for r in rejected:
        if span.overlaps(r):
            words = set(range(max(span.start, r.start), min(span.end, r.end)))
            words -= {w for c in confirmed for w in range(c.start, c.end)}
            if words:
                return True
    return False
