"""The values of embedding training: hyper-parameters in, rank-based metrics out."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

DEFAULT_STRUCTURE = ("mentions", "cooccurrence")
"""Structural triples added to a project's facts by default (see `kg.embed.triples`)."""
LOOPS = ("slcwa", "lcwa")
"""sLCWA: each true triple against sampled corruptions; LCWA: each (head, relation) against
every entity at once (better on small dense graphs, costlier per epoch on big ones)."""


@dataclass(frozen=True, slots=True)
class TrainConfig:
    """How to train one model. Everything here goes into the stored ``config.json``."""

    model: str = "TransE"
    """Any name PyKEEN's model resolver knows (TransE, RotatE, ComplEx, DistMult, ...)."""
    dim: int = 64
    epochs: int = 100
    batch_size: int = 256
    learning_rate: float = 0.01
    loop: str = "slcwa"
    loss: str | None = None
    """A PyKEEN loss name; None keeps the model's own default."""
    negatives: int = 16
    """sLCWA: corrupted triples per true triple."""
    label_smoothing: float = 0.0
    """LCWA only."""
    inverse_triples: bool = False
    """Also train (tail, relation⁻¹, head); some models (ConvE, NodePiece) require it."""
    seed: int = 42

    def __post_init__(self) -> None:
        if not self.model:
            raise ValueError("embedding model: a model name is needed (e.g. TransE)")
        if self.loop not in LOOPS:
            raise ValueError(f"embedding loop: {self.loop!r} is not one of {', '.join(LOOPS)}")
        for name in ("dim", "epochs", "batch_size", "negatives"):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"embedding {name}: must be at least 1")
        if not self.learning_rate > 0:
            raise ValueError("embedding learning_rate: must be more than 0")
        if not 0.0 <= self.label_smoothing < 1.0:
            raise ValueError("embedding label_smoothing: must be in [0, 1)")

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TrainConfig:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass(frozen=True, slots=True)
class Metrics:
    """Filtered rank-based metrics over both sides (head and tail prediction), "realistic"
    ranks (ties count as the mean of their optimistic and pessimistic rank)."""

    mrr: float
    hits_at_1: float
    hits_at_3: float
    hits_at_10: float
    triples: int
    """How many held-out triples were ranked (0: no held-out set, metrics are 0)."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Metrics:
        return cls(float(data["mrr"]), float(data["hits_at_1"]), float(data["hits_at_3"]),
                   float(data["hits_at_10"]), int(data["triples"]))


NO_METRICS = Metrics(0.0, 0.0, 0.0, 0.0, 0)
