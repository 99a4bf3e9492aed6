"""Scoring a model on labelled examples (CoNLL or SpERT files): the numbers `skein
evaluate` prints and training uses to pick its best epoch."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from nlp.model import batching
from nlp.model.calibration import Judged, ece, judge
from nlp.model.runtime import Prediction, Runtime
from nlp.training.examples import Example, RelLabel, SpanLabel
from nlp.training.metrics import EvalReport, evaluate


def predictions(runtime: Runtime, examples: Sequence[Example],
                domain: int = 0) -> list[Prediction]:
    """The model's predictions (with confidences) for each example's tokens."""
    return runtime.predict([ex.tokens for ex in examples], batching.example_keys(examples),
                           domain)


def as_examples(examples: Sequence[Example], preds: Sequence[Prediction]) -> list[Example]:
    return [
        replace(ex,
                entities=tuple(SpanLabel(s, e, t) for s, e, t, _ in p.spans),
                relations=tuple(RelLabel(h, t, lab) for h, t, lab, _ in p.relations))
        for ex, p in zip(examples, preds, strict=True)
    ]


def predict_examples(runtime: Runtime, examples: Sequence[Example],
                     domain: int = 0) -> list[Example]:
    """The model's entities and relations for each example's tokens."""
    return as_examples(examples, predictions(runtime, examples, domain))


def evaluate_runtime(runtime: Runtime, examples: Sequence[Example],
                     domain: int = 0) -> dict[str, Any]:
    return report(runtime, examples, domain).to_json(4)


def report(runtime: Runtime, examples: Sequence[Example], domain: int = 0) -> EvalReport:
    return evaluate(examples, predict_examples(runtime, examples, domain))


def report_with_confidence(runtime: Runtime, examples: Sequence[Example], domain: int = 0
                           ) -> tuple[EvalReport, dict[str, Any]]:
    """The scores, and how well the confidences match accuracy (expected calibration error
    of entities and relations, strict; `nlp.model.calibration`)."""
    preds = predictions(runtime, examples, domain)
    ents, rels = judge(examples, preds)

    def figures(judged: Sequence[Judged]) -> dict[str, Any]:
        if not judged:
            return {"n": 0, "ece": None, "mean_confidence": None, "accuracy": None}
        return {"n": len(judged), "ece": round(ece(judged), 4),
                "mean_confidence": round(sum(c for c, _ in judged) / len(judged), 4),
                "accuracy": round(sum(r for _, r in judged) / len(judged), 4)}

    relation = (figures(rels) if any(ex.relations for ex in examples) else
                {"n": len(rels), "ece": None, "mean_confidence": None, "accuracy": None,
                 "note": "the data has no relations to judge"})
    return evaluate(examples, as_examples(examples, preds)), {
        "calibrated": runtime.calibration is not None,
        "entity": figures(ents), "relation": relation}


def pick_domain(domains: Sequence[Mapping[str, Any]], labels: set[str]) -> int:
    """The annotation convention whose native labels cover a file's labels best."""
    def cover(d: Mapping[str, Any]) -> int:
        return len(labels & set(d.get("labels", {})))
    best = max(range(len(domains)), key=lambda i: cover(domains[i]), default=0)
    return best if domains and cover(domains[best]) else 0
