"""Evaluation metrics for NER and relation extraction, as ``skein evaluate`` reports them.

NER: entity-level exact match of ``(start, end, label)`` -- the CoNLL-2003 convention;
on spans decoded from tags it equals conlleval / seqeval's default mode (lenient decoding)
or seqeval ``mode="strict", scheme=IOB2`` (``strict=True``); see `nlp.training.bio`.

RE ("strict", the convention published CoNLL04/SciERC results use): a predicted relation is
correct iff its type, both argument spans *and* both argument entity types match a gold
relation. ``mode="boundaries"`` ignores the argument types.

Precision, recall and F1 are 0.0 where undefined (nothing predicted / nothing gold). Macro
averages are unweighted means of the per-type figures over every type seen in gold or
predictions (as seqeval and scikit-learn compute them).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Self, TypeVar

from nlp.training.bio import from_bio, to_bio
from nlp.training.examples import Example, RelTriple, SpanLabel

__all__ = [
    "EvalReport",
    "NerScores",
    "ReScores",
    "Scores",
    "TypeScore",
    "evaluate",
    "format_table",
    "ner_scores",
    "ner_scores_from_tags",
    "re_scores",
    "token_accuracy",
]

H = TypeVar("H", bound=Hashable)


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f1


def _round(x: float, digits: int | None) -> float:
    return x if digits is None else round(x, digits)


@dataclass(frozen=True, slots=True)
class TypeScore:
    """Scores of one entity or relation type; ``support`` = number of gold items."""

    p: float
    r: float
    f1: float
    support: int
    tp: int
    n_pred: int

    def to_json(self, digits: int | None = None) -> dict[str, Any]:
        return {
            "p": _round(self.p, digits),
            "r": _round(self.r, digits),
            "f1": _round(self.f1, digits),
            "support": self.support,
        }


@dataclass(frozen=True)
class Scores:
    """Per-type, micro- and macro-averaged precision, recall and F1."""

    per_type: Mapping[str, TypeScore]
    micro_p: float
    micro_r: float
    micro_f1: float
    macro_p: float
    macro_r: float
    macro_f1: float
    support: int  # gold items
    n_pred: int

    @classmethod
    def compute(
        cls, gold: Sequence[Iterable[H]], pred: Sequence[Iterable[H]], label_of: Callable[[H], str]
    ) -> Self:
        """Score per-sentence collections of hashable items (duplicates count once)."""
        if len(gold) != len(pred):
            raise ValueError(f"{len(gold)} gold sentences but {len(pred)} predicted")
        n_gold: Counter[str] = Counter()
        n_pred: Counter[str] = Counter()
        tp: Counter[str] = Counter()
        for g_items, p_items in zip(gold, pred, strict=True):
            g, p = set(g_items), set(p_items)
            n_gold.update(label_of(x) for x in g)
            n_pred.update(label_of(x) for x in p)
            tp.update(label_of(x) for x in g & p)
        per_type = {}
        for label in sorted(n_gold.keys() | n_pred.keys()):
            p_, r_, f_ = _prf(tp[label], n_pred[label], n_gold[label])
            per_type[label] = TypeScore(p_, r_, f_, n_gold[label], tp[label], n_pred[label])
        total_gold, total_pred = sum(n_gold.values()), sum(n_pred.values())
        micro = _prf(sum(tp.values()), total_pred, total_gold)
        k = len(per_type) or 1
        return cls(
            per_type,
            *micro,
            sum(s.p for s in per_type.values()) / k,
            sum(s.r for s in per_type.values()) / k,
            sum(s.f1 for s in per_type.values()) / k,
            total_gold,
            total_pred,
        )

    def to_json(self, digits: int | None = None) -> dict[str, Any]:
        return {
            "micro_f1": _round(self.micro_f1, digits),
            "micro_p": _round(self.micro_p, digits),
            "micro_r": _round(self.micro_r, digits),
            "macro_f1": _round(self.macro_f1, digits),
            "per_type": {k: v.to_json(digits) for k, v in self.per_type.items()},
        }


class NerScores(Scores):
    """Entity-level scores (`ner_scores`)."""


class ReScores(Scores):
    """Relation scores (`re_scores`)."""


def ner_scores(
    gold: Sequence[Iterable[SpanLabel]], pred: Sequence[Iterable[SpanLabel]]
) -> NerScores:
    """Entity-level strict exact match of ``(start, end, label)``, per sentence."""
    return NerScores.compute(gold, pred, lambda s: s.label)


def ner_scores_from_tags(
    gold_tags: Sequence[Sequence[str]], pred_tags: Sequence[Sequence[str]], *, strict: bool = False
) -> NerScores:
    """`ner_scores` on IOB tag sequences decoded with `from_bio` (same ``strict`` flag)."""
    return ner_scores(
        [from_bio(t, strict=strict) for t in gold_tags],
        [from_bio(t, strict=strict) for t in pred_tags],
    )


def token_accuracy(gold_tags: Sequence[Sequence[str]], pred_tags: Sequence[Sequence[str]]) -> float:
    """Fraction of tokens whose predicted tag equals the gold tag (0.0 with no tokens)."""
    if len(gold_tags) != len(pred_tags):
        raise ValueError(f"{len(gold_tags)} gold sentences but {len(pred_tags)} predicted")
    total = correct = 0
    for i, (g, p) in enumerate(zip(gold_tags, pred_tags, strict=True)):
        if len(g) != len(p):
            raise ValueError(f"sentence {i}: {len(g)} gold tags but {len(p)} predicted")
        total += len(g)
        correct += sum(a == b for a, b in zip(g, p, strict=True))
    return correct / total if total else 0.0


def re_scores(
    gold: Sequence[Iterable[RelTriple]],
    pred: Sequence[Iterable[RelTriple]],
    *,
    mode: Literal["strict", "boundaries"] = "strict",
) -> ReScores:
    """Relation scores over per-sentence ``(head_span, tail_span, label)`` triples.

    ``strict``: type, both spans and both argument types must match. ``boundaries``: the
    argument types are ignored (spans and relation type must still match).
    """
    if mode == "strict":
        return ReScores.compute(gold, pred, lambda t: t[2])
    if mode != "boundaries":
        raise ValueError(f"unknown RE scoring mode {mode!r}")

    def strip(sents: Sequence[Iterable[RelTriple]]) -> list[set[tuple[int, int, int, int, str]]]:
        return [{(h.start, h.end, t.start, t.end, lab) for h, t, lab in s} for s in sents]

    return ReScores.compute(strip(gold), strip(pred), lambda t: t[4])


@dataclass(frozen=True)
class EvalReport:
    """What ``skein evaluate`` prints; ``re``/``token_accuracy`` are None when not measured."""

    ner: NerScores
    re: ReScores | None = None
    token_accuracy: float | None = None

    def to_json(self, digits: int | None = None) -> dict[str, Any]:
        acc = self.token_accuracy
        return {
            "ner": self.ner.to_json(digits),
            "re": None if self.re is None else self.re.to_json(digits),
            "token_accuracy": None if acc is None else _round(acc, digits),
        }


def evaluate(gold: Sequence[Example], pred: Sequence[Example]) -> EvalReport:
    """Score predicted examples against gold ones (same sentences, same order).

    RE is scored when either side has any relation; token accuracy compares IOB2 tags
    from `to_bio` (overlapping gold spans resolved as there).
    """
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold sentences but {len(pred)} predicted")
    for i, (g, p) in enumerate(zip(gold, pred, strict=True)):
        if g.tokens != p.tokens:
            raise ValueError(f"sentence {i} ({g.doc_id}#{g.index}): tokens differ")
    ner = ner_scores([g.entities for g in gold], [p.entities for p in pred])
    has_re = any(ex.relations for ex in (*gold, *pred))
    re = (
        re_scores([g.relation_triples() for g in gold], [p.relation_triples() for p in pred])
        if has_re
        else None
    )
    acc = token_accuracy([to_bio(g) for g in gold], [to_bio(p) for p in pred])
    return EvalReport(ner, re, acc)


def _table(title: str, scores: Scores) -> list[str]:
    width = max([len(title), 5, *(len(k) for k in scores.per_type)])
    head = f"{title:<{width}}  {'P':>6}  {'R':>6}  {'F1':>6}  {'support':>7}"
    lines = [head, "-" * len(head)]
    for label, s in scores.per_type.items():
        lines.append(f"{label:<{width}}  {s.p:6.4f}  {s.r:6.4f}  {s.f1:6.4f}  {s.support:7d}")
    lines.append("-" * len(head))
    m = scores
    lines.append(
        f"{'micro':<{width}}  {m.micro_p:6.4f}  {m.micro_r:6.4f}  {m.micro_f1:6.4f}  {m.support:7d}"
    )
    lines.append(
        f"{'macro':<{width}}  {m.macro_p:6.4f}  {m.macro_r:6.4f}  {m.macro_f1:6.4f}  {m.support:7d}"
    )
    return lines


def format_table(report: EvalReport | Scores, title: str | None = None) -> str:
    """A plain-text table of an `EvalReport` (or of one `Scores`), for the terminal."""
    if isinstance(report, Scores):
        return "\n".join(_table(title or "type", report)) + "\n"
    lines = _table("NER", report.ner)
    if report.re is not None:
        lines += ["", *_table("RE", report.re)]
    if report.token_accuracy is not None:
        lines += ["", f"token accuracy  {report.token_accuracy:.4f}"]
    return "\n".join(lines) + "\n"
