"""Relation decisions from the model's scores: the ontology's domain/range, and a second
opinion from a knowledge-graph embedding for the relations the model is unsure of.

`decode` turns the relation head's logits (none + each relation type, per ordered entity
pair) into relations the way `nlp.model.runtime.Runtime` does — with ``constrained=True``
only the relation types the schema allows between the two entity types compete with
"none" (``LabelScheme.allowed``: Live_In links a PER to a LOC) — or, with
``constrained=False``, every type competes for every pair (the ablation).

`rerank` moves relations whose model probability lies in an uncertain band towards the
embedding's plausibility of the fact (`Plausibility`, in [0, 1]: the share of same-typed
candidates the embedding scores lower, head and tail side averaged), and keeps those whose
blended score reaches one half. Pairs the embedding does not know keep the model's call.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from nlp.model.labels import LabelScheme

WordSpan = tuple[int, int, str]


@dataclass(frozen=True, slots=True)
class Candidate:
    """An entity pair's best relation type and its probability against "none"."""

    head: int
    tail: int
    label: str
    probability: float


def _softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max())
    return e / e.sum()


def candidates(spans: Sequence[WordSpan], logits: Mapping[tuple[int, int], np.ndarray],
               scheme: LabelScheme, *, constrained: bool = True) -> list[Candidate]:
    """Per scored pair, the most likely relation type and its odds against "none",
    ``p(type) / (p(type) + p(none))``: at least one half where `decode` keeps the relation
    (exactly so when one type is allowed for the pair, as in the CoNLL04 schema)."""
    out = []
    for (h, t), logit in sorted(logits.items()):
        allowed = _allowed(spans, h, t, scheme, constrained)
        if len(allowed) < 2:
            continue
        p = _softmax(np.asarray(logit, dtype=np.float64)[allowed])
        best = int(p[1:].argmax()) + 1
        out.append(Candidate(h, t, scheme.relations[allowed[best] - 1],
                             float(p[best] / (p[best] + p[0]))))
    return out


def _allowed(spans: Sequence[WordSpan], h: int, t: int, scheme: LabelScheme,
             constrained: bool) -> list[int]:
    if constrained:
        return [0, *scheme.allowed(spans[h][2], spans[t][2])]
    return list(range(len(scheme.relations) + 1))


def decode(spans: Sequence[WordSpan], logits: Mapping[tuple[int, int], np.ndarray],
           scheme: LabelScheme, *, constrained: bool = True
           ) -> list[tuple[int, int, str, float]]:
    """The relations the model predicts: (head, tail, type, probability)."""
    out = []
    for (h, t), logit in sorted(logits.items()):
        allowed = _allowed(spans, h, t, scheme, constrained)
        if len(allowed) < 2:
            continue
        p = _softmax(np.asarray(logit, dtype=np.float64)[allowed])
        best = int(p.argmax())
        if best:
            out.append((h, t, scheme.relations[allowed[best] - 1], float(p[best])))
    return out


@dataclass(frozen=True, slots=True)
class Rerank:
    """Blend the model with the embedding for relations with probability in [low, high]."""

    low: float = 0.3
    high: float = 0.7
    weight: float = 0.3
    """Share of the embedding's plausibility in the blended score."""


Plausible = Callable[[int, int, str], "float | None"]
"""(head, tail, relation) -> plausibility in [0, 1], or None when the embedding cannot say."""


def rerank(cands: Sequence[Candidate], plausible: Plausible, config: Rerank = Rerank()
           ) -> list[tuple[int, int, str, float]]:
    """The relations kept after re-ranking: (head, tail, type, blended probability)."""
    out = []
    for c in cands:
        score = c.probability
        if config.low <= score <= config.high:
            p = plausible(c.head, c.tail, c.label)
            if p is not None:
                score = (1 - config.weight) * score + config.weight * p
        if score >= 0.5:
            out.append((c.head, c.tail, c.label, score))
    return out


class Plausibility:
    """Plausibility of (head, relation, tail) facts under a PyKEEN model, in [0, 1].

    The tail's score is ranked against every entity of the tail's type (and the head's
    against every entity of the head's type); the plausibility is the mean share of those
    candidates that score lower. None where an entity or the relation is unknown."""

    def __init__(self, model: Any, entity_to_id: Mapping[str, int],
                 relation_to_id: Mapping[str, int], types: Mapping[str, str]) -> None:
        self.model = model
        self.entity_to_id = dict(entity_to_id)
        self.relation_to_id = dict(relation_to_id)
        self._of_type: dict[str, np.ndarray] = {}
        for entity, label in types.items():
            if entity in self.entity_to_id:
                self._of_type.setdefault(label, np.array([], dtype=np.int64))
        for label in self._of_type:
            self._of_type[label] = np.array(sorted(
                self.entity_to_id[e] for e, lab in types.items()
                if lab == label and e in self.entity_to_id), dtype=np.int64)
        self.types = dict(types)
        self._cache: dict[tuple[str, str, str], float | None] = {}

    def __call__(self, head: str, relation: str, tail: str) -> float | None:
        key = (head, relation, tail)
        if key not in self._cache:
            self._cache[key] = self._score(head, relation, tail)
        return self._cache[key]

    def _score(self, head: str, relation: str, tail: str) -> float | None:
        import torch

        ids, rels = self.entity_to_id, self.relation_to_id
        if head not in ids or tail not in ids or relation not in rels:
            return None
        h, r, t = ids[head], rels[relation], ids[tail]
        tails = self._of_type.get(self.types.get(tail, ""), np.array([t]))
        heads = self._of_type.get(self.types.get(head, ""), np.array([h]))
        with torch.inference_mode():
            st = self.model.score_t(torch.tensor([[h, r]]))[0].float().numpy()
            sh = self.model.score_h(torch.tensor([[r, t]]))[0].float().numpy()
        share_t = float((st[tails] < st[t]).mean()) if len(tails) else 0.5
        share_h = float((sh[heads] < sh[h]).mean()) if len(heads) else 0.5
        return (share_t + share_h) / 2
