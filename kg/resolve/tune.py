"""People's merge and split decisions tune the encoder's threshold.

A person's word on a pair always decides that pair (`kg.resolve.cluster`). When the pair is
one the encoder judges (`kg.resolve.embed.candidates`), the word also says something about
the encoder's threshold: a split of a pair the encoder scored 0.81 says 0.81 is not enough
in this project; a merge of a pair scored 0.86 says 0.86 is. `fit_threshold` picks the
threshold that gets the most of these decisions right, moving as little from the default
as it can: between two decided scores it takes the midpoint, above the highest a small
margin. It changes nothing unless it gets more decisions right than the default does, and
it never goes below `MERGE_THRESHOLD` (a merge of a lower-scored pair is followed for that
pair, but does not let the encoder merge more loosely everywhere).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from kg.resolve.cluster import effective
from kg.resolve.store import read_decisions
from kg.resolve.types import MERGE_THRESHOLD, SAME

if TYPE_CHECKING:
    from kg.store.project import Project

MARGIN = 0.005
"""How far above the highest split score a threshold goes when nothing higher is decided."""


@dataclass(frozen=True, slots=True)
class ThresholdFit:
    """The encoder threshold resolution used, and what it was learnt from."""

    threshold: float
    default: float
    decided: int
    """Decided pairs the encoder scored (merges and splits by people)."""
    right: int
    """Of those, how many `threshold` gets right."""
    right_default: int
    """... and how many `default` gets right."""
    given: bool = False
    """Learning was off: `threshold` is the one asked for."""

    @classmethod
    def fixed(cls, threshold: float) -> ThresholdFit:
        return cls(threshold, threshold, 0, 0, 0, given=True)

    @property
    def learnt(self) -> bool:
        return self.threshold != self.default

    def describe(self) -> str:
        if self.given:
            return f"encoder threshold {self.threshold:.3f} (as given)"
        if not self.decided:
            return f"encoder threshold {self.default:.3f} (no decided pair to learn from)"
        how = (f"learnt from {self.decided} decided pair(s): {self.right} right, "
               f"{self.right_default} at the default {self.default:.3f}")
        if not self.learnt:
            how = (f"default; {self.decided} decided pair(s), {self.right} right, "
                   f"no threshold gets more right")
        return f"encoder threshold {self.threshold:.3f} ({how})"

    def to_json(self) -> dict[str, float | int | bool]:
        return {"threshold": round(self.threshold, 4), "default": self.default,
                "decided": self.decided, "right": self.right,
                "right_default": self.right_default, "learnt": self.learnt,
                "given": self.given}


def _right(labels: Sequence[tuple[float, bool]], threshold: float) -> int:
    return sum((score >= threshold) == same for score, same in labels)


def fit_threshold(labels: Sequence[tuple[float, bool]], default: float,
                  floor: float = MERGE_THRESHOLD) -> ThresholdFit:
    """The threshold for `labels` ((encoder score, a person said "same") per decided pair);
    see the module docstring."""
    base = _right(labels, default)
    scores = sorted({s for s, _ in labels})
    options = [default]
    for low, high in pairwise(scores):
        options.append((low + high) / 2)
    if scores:
        options.append(scores[-1] + MARGIN)
        options.append(scores[0])
    options = [min(1.0, max(floor, t)) for t in options]
    best = max(options, key=lambda t: (_right(labels, t), -abs(t - default)))
    right = _right(labels, best)
    if right <= base:
        best, right = default, base
    return ThresholdFit(round(best, 4), default, len(labels), right, base)


def decided_pairs(project: Project, pairs: Iterable[tuple[str, str]]
                  ) -> dict[tuple[str, str], bool]:
    """Those of `pairs` (the ones the encoder judges) that a person has decided: whether
    they said "same" (the latest word on each pair)."""
    with project.transaction() as con:
        latest = effective(read_decisions(con))
    out = {}
    for a, b in pairs:
        d = latest.get(frozenset((a, b)))
        if d is not None:
            out[(a, b)] = d.decision == SAME
    return out
