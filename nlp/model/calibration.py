"""Confidences people can read as odds: Platt scaling per head and annotation convention.

A raw confidence (an entity's mean tag probability, a relation's softmax probability) is
overconfident after fine-tuning: on CoNLL04 dev the shipped default's entities average 0.95
but are right 86 % of the time, its relations 0.94 and 68 % (figures in
docs/ARCHITECTURE.md). An analyst who keeps relations above 0.9 should get nine right in
ten. `fit_platt` learns ``sigmoid(a * logit(p) + b)`` from (confidence, was it right) pairs
of dev predictions - right meaning strict: exact span and type, for a relation both
arguments' exact spans too - one map per head (``entity``, ``relation``) and domain.
Calibration is monotone, so it changes no prediction and no ranking, only the numbers; it
lives in bundle.json under ``"calibration"`` (`scripts/calibrate.py` fits it) and the
`Runtime` applies it. `ece` is the expected calibration error over ten equal bins.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nlp.model.runtime import Prediction
    from nlp.training.examples import Example

Judged = tuple[float, bool]
"""(confidence, whether the prediction was right)"""
HEADS = ("entity", "relation")
_EPS = 1e-6


def _logit(p: float) -> float:
    p = min(1 - _EPS, max(_EPS, p))
    return math.log(p / (1 - p))


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


@dataclass(frozen=True, slots=True)
class Platt:
    """``p -> sigmoid(a * logit(p) + b)``; a > 0 keeps the order of confidences."""

    a: float = 1.0
    b: float = 0.0

    def __call__(self, p: float) -> float:
        return _sigmoid(self.a * _logit(p) + self.b)


def fit_platt(judged: Sequence[Judged], l2: float = 1e-2, iters: int = 100) -> Platt:
    """The map that minimises log-loss on `judged` (damped Newton steps, a small ridge
    towards the identity so a handful of points cannot flip it); the identity when there is
    nothing to learn from (no points, or all right or all wrong)."""
    if not judged or len({r for _, r in judged}) < 2:
        return Platt()
    xs = [_logit(c) for c, _ in judged]
    ys = [1.0 if r else 0.0 for _, r in judged]
    n = len(xs)

    def loss(a: float, b: float) -> float:
        total = l2 * n * ((a - 1) ** 2 + b ** 2) / 2
        for x, y in zip(xs, ys, strict=True):
            z = a * x + b
            total += max(z, 0) - z * y + math.log1p(math.exp(-abs(z)))
        return total

    a, b = 1.0, 0.0
    current = loss(a, b)
    for _ in range(iters):
        ga, gb = l2 * n * (a - 1), l2 * n * b
        haa, hab, hbb = l2 * n, 0.0, l2 * n
        for x, y in zip(xs, ys, strict=True):
            p = _sigmoid(a * x + b)
            ga, gb = ga + (p - y) * x, gb + p - y
            w = p * (1 - p)
            haa, hab, hbb = haa + w * x * x, hab + w * x, hbb + w
        det = haa * hbb - hab * hab
        da, db = (hbb * ga - hab * gb) / det, (haa * gb - hab * ga) / det
        step = 1.0
        while step > 1e-4 and loss(a - step * da, b - step * db) > current:
            step /= 2
        if step <= 1e-4:
            break
        a, b = a - step * da, b - step * db
        new = loss(a, b)
        if current - new < 1e-10 * n:
            current = new
            break
        current = new
    return Platt(max(a, 1e-3), b)


def reliability(judged: Sequence[Judged], bins: int = 10) -> list[tuple[int, float, float]]:
    """Per non-empty bin of confidence: (count, mean confidence, share right)."""
    rows: list[list[Judged]] = [[] for _ in range(bins)]
    for c, r in judged:
        rows[min(int(c * bins), bins - 1)].append((c, r))
    return [(len(b), sum(c for c, _ in b) / len(b), sum(r for _, r in b) / len(b))
            for b in rows if b]


def ece(judged: Sequence[Judged], bins: int = 10) -> float:
    """Expected calibration error: the count-weighted gap between confidence and accuracy."""
    if not judged:
        return 0.0
    return sum(n * abs(conf - acc) for n, conf, acc in reliability(judged, bins)) / len(judged)


def cross_fitted(judged: Sequence[Judged], folds: int = 2) -> list[Judged]:
    """Each point calibrated by a map fitted on the other folds (every `folds`-th point):
    an honest figure for calibration fitted and measured on one dev set."""
    out: list[Judged] = []
    for k in range(folds):
        fit = fit_platt([j for i, j in enumerate(judged) if i % folds != k])
        out.extend((fit(c), r) for i, (c, r) in enumerate(judged) if i % folds == k)
    return out


@dataclass(frozen=True, slots=True)
class Calibration:
    """Maps per head and domain; a domain without one keeps raw confidences."""

    entity: Mapping[int, Platt] = field(default_factory=dict)
    relation: Mapping[int, Platt] = field(default_factory=dict)
    info: Mapping[str, Any] = field(default_factory=dict)
    """What it was fitted on and the figures (kept in bundle.json, not used here)."""

    def entity_conf(self, domain: int, p: float) -> float:
        fit = self.entity.get(domain)
        return fit(p) if fit else p

    def relation_conf(self, domain: int, p: float) -> float:
        fit = self.relation.get(domain)
        return fit(p) if fit else p

    def to_json(self) -> dict[str, Any]:
        return {"method": "platt",
                **{head: {str(d): [round(m.a, 6), round(m.b, 6)]
                          for d, m in sorted(getattr(self, head).items())} for head in HEADS},
                "info": dict(self.info)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Calibration:
        if data.get("method") != "platt":
            raise ValueError(f"unknown calibration method {data.get('method')!r}")
        maps = {head: {int(d): Platt(float(ab[0]), float(ab[1]))
                       for d, ab in (data.get(head) or {}).items()} for head in HEADS}
        return cls(maps["entity"], maps["relation"], dict(data.get("info") or {}))


def judge(examples: Sequence[Example], predictions: Iterable[Prediction]
          ) -> tuple[list[Judged], list[Judged]]:
    """(entity, relation) confidences of `predictions` with whether each is right against
    the gold `examples` (strict)."""
    ents: list[Judged] = []
    rels: list[Judged] = []
    for ex, pred in zip(examples, predictions, strict=True):
        gold = [(s.start, s.end, s.label) for s in ex.entities]
        gold_set = set(gold)
        gold_rels = {(gold[r.head], gold[r.tail], r.label) for r in ex.relations}
        spans = [(s, e, t) for s, e, t, _ in pred.spans]
        ents.extend((c, span in gold_set) for span, (*_, c) in zip(spans, pred.spans,
                                                                    strict=True))
        rels.extend((c, (spans[h], spans[t], lab) in gold_rels)
                    for h, t, lab, c in pred.relations)
    return ents, rels
