"""Rows and words of the Model & training panel (no Qt): the versions table, the active
model's scores per type and a comparison's per-type deltas. F1 is shown in points (times
100) as everywhere in Skein: ``86.9``, a dash where nothing was measured."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kg.learn import DEFAULT

if TYPE_CHECKING:
    from kg.learn import Comparison, ModelVersion, TypeScore

DASH = "–"
HOLDOUT = "held-out corrections"


def f1_text(x: float | None) -> str:
    return DASH if x is None else f"{100 * x:.1f}"


def delta_text(a: float | None, b: float | None) -> str:
    if a is None or b is None:
        return DASH
    d = 100 * (b - a)
    return "±0.0" if abs(d) < 0.05 else f"{d:+.1f}"


@dataclass(frozen=True, slots=True)
class VersionRow:
    version: str
    parent: str
    created: str
    corrections: str
    holdout: str
    """Held-out F1 of the parent → this version (on the corrections held out then)."""
    dev: str
    status: str
    active: bool
    note: str


def version_row(v: ModelVersion | None, active: bool) -> VersionRow:
    """A row of the versions table (None: the bundled default model)."""
    if v is None:
        return VersionRow(DEFAULT, "", "", "", "", "", "active" if active else "bundled",
                          active, "The model that comes with Skein")
    s = v.scores
    holdout = (f"{f1_text(s.holdout_old)} → {f1_text(s.holdout_new)}"
               if s.holdout_old is not None or s.holdout_new is not None else DASH)
    dev = (f"{f1_text(s.dev_old)} → {f1_text(s.dev_new)}"
           if s.dev_old is not None or s.dev_new is not None else DASH)
    held = f" · {s.holdout_sentences} sentences held out" if s.holdout_sentences else ""
    took = f" · trained in {v.seconds:.0f} s" if v.seconds else ""
    return VersionRow(v.version, v.parent or "imported", v.created_at[:16].replace("T", " "),
                      str(v.corrections) if v.parent else DASH, holdout, dev,
                      "active" if active else v.status, active,
                      f"{v.model_id}{held}{took}" + (f"\n{v.note}" if v.note else ""))


@dataclass(frozen=True, slots=True)
class MetricRow:
    source: str
    """``held-out corrections`` or ``<dataset> dev``."""
    label: str
    precision: float | None
    recall: float | None
    f1: float | None
    support: int


def _from_types(source: str, types: list[TypeScore]) -> list[MetricRow]:
    return [MetricRow(source, t.label if t.kind == "entity" else f"→ {t.label}", t.precision,
                      t.recall, t.f1, t.support) for t in types]


def metric_rows(stored: Mapping[str, Any]) -> tuple[MetricRow, ...]:
    """The active model's scores per type (`kg.learn.stored_metrics`): on the corrections
    held out when it was trained, then on each dev set it was trained with (relation types
    as ``→ Work_For``; types a dev set has no example of are left out)."""
    rows = _from_types(HOLDOUT, list(stored.get("holdout", {}).get("new", ())))
    for dataset, parts in sorted(stored.get("dev", {}).items()):
        for part in ("ner", "re"):
            per_type = ((parts or {}).get(part) or {}).get("per_type") or {}
            rows += [MetricRow(f"{dataset} dev", label if part == "ner" else f"→ {label}",
                               _num(m.get("p")), _num(m.get("r")),
                               _num(m.get("f1")), int(m.get("support", 0)))
                     for label, m in sorted(per_type.items())
                     if isinstance(m, Mapping) and m.get("support")]  # a set without them
    return tuple(rows)


def _num(x: object) -> float | None:
    return float(x) if isinstance(x, int | float) else None


@dataclass(frozen=True, slots=True)
class CompareRow:
    label: str
    a: str
    b: str
    delta: str
    support: int
    better: int
    """1: b is better, -1: worse, 0: the same or not measured."""


def compare_rows(c: Comparison) -> list[CompareRow]:
    """Per-type F1 of version a → b with the difference, then all decisions together."""
    rows = []
    for kind, label in c.labels():
        ta, tb = c.a.type(kind, label), c.b.type(kind, label)
        rows.append(_row(label if kind == "entity" else f"→ {label}", ta.f1, tb.f1,
                         max(ta.support, tb.support)))
    micro = c.b.micro
    rows.append(_row("all decisions", c.a.micro.f1, micro.f1,
                     micro.tp + micro.fn + micro.rel_tp + micro.rel_fn))
    return rows


def _row(label: str, a: float | None, b: float | None, support: int) -> CompareRow:
    better = 0 if a is None or b is None or abs(b - a) < 5e-4 else (1 if b > a else -1)
    return CompareRow(label, f1_text(a), f1_text(b), delta_text(a, b), support, better)
