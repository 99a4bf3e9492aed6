"""`compare`: two model versions scored per type on the same held-out corrections.

The before/after view annotators expect (INCEpTION, Prodigy): each version reads the
project's held-out correction sentences (`kg.learn.examples`, the share retraining never
trains on), and only people's decisions count (`kg.learn.score`). Long work in the usual
shape (loading two models takes a few seconds on a CPU). Reading what a bundle says of
itself (its dev-set scores per type, the per-type holdout scores `retrain` stored) needs
no torch: `stored_metrics`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.learn.examples import HOLDOUT_SHARE, corrections
from kg.learn.score import DecisionScore, TypeScore, score_decisions, score_types
from kg.learn.versions import LearnError, bundle_path
from kg.store.project import Project
from nlp.progress import NEVER, CancelToken, Progress, Work

__all__ = ["Comparison", "VersionScore", "compare", "stored_metrics"]
STAGE = "compare"


@dataclass(frozen=True, slots=True)
class VersionScore:
    version: str
    model_id: str
    micro: DecisionScore
    types: tuple[TypeScore, ...]

    def type(self, kind: str, label: str) -> TypeScore:
        return next((t for t in self.types if (t.kind, t.label) == (kind, label)),
                    TypeScore(kind, label))


@dataclass(frozen=True, slots=True)
class Comparison:
    """Version `a` (say, the parent) against `b` on the same `sentences` held out."""

    a: VersionScore
    b: VersionScore
    sentences: int

    def labels(self) -> list[tuple[str, str]]:
        """Every (kind, label) either version has a score for, entity types first."""
        return sorted({(t.kind, t.label) for t in (*self.a.types, *self.b.types)})


def compare(project: Project, a: str, b: str, *, holdout: float = HOLDOUT_SHARE,
            device: str = "auto", cancel: CancelToken = NEVER) -> Work[Comparison]:
    """Score versions `a` and `b` (``v1``, ``v2``, ... or ``default``) per type on the
    project's held-out corrections. Raises `LearnError` when none are held out yet."""
    from nlp.model import bundle
    from nlp.model.evaluate import predict_examples

    yield Progress(0, 3, "reading the held-out corrections", STAGE)
    gold = corrections(project, holdout).holdout
    if not gold:
        raise LearnError("no held-out corrections yet: correct a few more sentences "
                         "(one in five is kept aside for scoring)")
    paths = {v: bundle_path(project, v) for v in (a, b)}
    scores = []
    for i, version in enumerate((a, b)):
        cancel.check()
        yield Progress(i + 1, 3, f"{version} reads {len(gold)} held-out sentences", STAGE)
        runtime = bundle.load(paths[version], device=device)
        predicted = predict_examples(runtime, gold, 0)
        scores.append(VersionScore(version, bundle.read_info(paths[version]).model_id,
                                   score_decisions(gold, predicted),
                                   score_types(gold, predicted)))
        del runtime
    yield Progress(3, 3, "compared", STAGE)
    return Comparison(scores[0], scores[1], len(gold))


def stored_metrics(path: str | Path) -> dict[str, Any]:
    """What a bundle says of its own quality, read from its bundle.json (no torch):
    ``{"dev": {dataset: {"ner"|"re": {"per_type": {label: {p, r, f1, support}}}}},
    "holdout": {"old"|"new": [TypeScore, ...]}}`` (either may be empty)."""
    from nlp.model.bundle import read_info

    meta = read_info(path).meta
    dev = meta.get("dev_metrics") or {}
    learn = meta.get("learn") or {}
    stored: Mapping[str, Any] = learn.get("holdout_types") or {}
    holdout = {k: [TypeScore.from_json(t) for t in v] for k, v in stored.items()}
    return {"dev": dict(dev) if isinstance(dev, Mapping) else {}, "holdout": holdout}
