"""Scoring a model on labelled examples (CoNLL or SpERT files): the numbers `skein
evaluate` prints and training uses to pick its best epoch."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from nlp.model import batching
from nlp.model.runtime import Runtime
from nlp.training.examples import Example, RelLabel, SpanLabel
from nlp.training.metrics import EvalReport, evaluate


def predict_examples(runtime: Runtime, examples: Sequence[Example],
                     domain: int = 0) -> list[Example]:
    """The model's entities and relations for each example's tokens."""
    keys = batching.example_keys(examples)
    preds = runtime.predict([ex.tokens for ex in examples], keys, domain)
    return [
        replace(ex,
                entities=tuple(SpanLabel(s, e, t) for s, e, t, _ in p.spans),
                relations=tuple(RelLabel(h, t, lab) for h, t, lab, _ in p.relations))
        for ex, p in zip(examples, preds, strict=True)
    ]


def evaluate_runtime(runtime: Runtime, examples: Sequence[Example],
                     domain: int = 0) -> dict[str, Any]:
    return report(runtime, examples, domain).to_json(4)


def report(runtime: Runtime, examples: Sequence[Example], domain: int = 0) -> EvalReport:
    return evaluate(examples, predict_examples(runtime, examples, domain))


def pick_domain(domains: Sequence[Mapping[str, Any]], labels: set[str]) -> int:
    """The annotation convention whose native labels cover a file's labels best."""
    def cover(d: Mapping[str, Any]) -> int:
        return len(labels & set(d.get("labels", {})))
    best = max(range(len(domains)), key=lambda i: cover(domains[i]), default=0)
    return best if domains and cover(domains[best]) else 0
