"""The values entity resolution works with and hands out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.resolve.tune import ThresholdFit

AUTO, USER = "auto", "user"
"""How a merge came about (``entity_merges.method``)."""
SAME, DIFFERENT = "same", "different"
"""A person's decision on a pair (``entity_decisions.decision``)."""

MERGE_THRESHOLD = 0.75
"""Automatic merges need at least this score (every string rule scores 0.82 or more; the
encoder's pairs score their similarity)."""
CROSS_TYPE_THRESHOLD = 0.9
"""An ORG and a MISC entity merge only on evidence this strong (a defined or long acronym,
a known entity's alias): extractors often disagree between the two for one name, never
between, say, a person and a place."""
CROSS_TYPES = frozenset({frozenset({"ORG", "MISC"})})


def types_compatible(a: str, b: str, score: float) -> bool:
    """Whether entities of types `a` and `b` may merge on evidence of `score`."""
    return a == b or (frozenset({a, b}) in CROSS_TYPES and score >= CROSS_TYPE_THRESHOLD)


@dataclass(frozen=True, slots=True)
class EntityInfo:
    """An entity as resolution sees it."""

    id: str
    label: str
    name: str
    mentions: int
    """Mentions that are not rejected."""
    words: tuple[str, ...]
    """`kg.resolve.names.deep_words` of the name."""

    @property
    def key(self) -> str:
        return " ".join(self.words)


@dataclass(frozen=True, slots=True)
class Pair:
    """Evidence that two entities are one, from one rule."""

    a: str
    b: str
    score: float
    """In [0, 1]."""
    reason: str
    """The rule, e.g. ``acronym``, ``partial-name``, ``embedding 0.91``."""


@dataclass(frozen=True, slots=True)
class Merge:
    """One row of ``entity_merges``: `merged` is shown as, and exported into, `canonical`."""

    merged: str
    canonical: str
    score: float
    reason: str
    method: str
    """``auto`` or ``user``."""


@dataclass(frozen=True, slots=True)
class Decision:
    a: str
    b: str
    decision: str
    """``same`` or ``different``."""
    user: str
    at: str


COMPUTE, KEEP, OFF = "compute", "keep", "off"
"""What resolution does with the encoder's signal (`ResolveOptions.embeddings`)."""


@dataclass(frozen=True, slots=True)
class ResolveOptions:
    embeddings: str = COMPUTE
    """``compute``: ask the packaged encoder about the pairs strings leave open (it is loaded
    only when there are some); ``keep``: do not load it, keep the stored merges it made
    (what every build does: cheap); ``off``: strings only."""
    embedding_threshold: float = 0.75
    """Similarity (mean of two cosines, see `kg.resolve.embed`) needed to merge such a pair;
    from `MERGE_THRESHOLD` to 1."""
    learn_threshold: bool = True
    """Let people's merges and splits of pairs the encoder judges move the threshold
    (`kg.resolve.tune`); False: `embedding_threshold` as given."""

    def __post_init__(self) -> None:
        if self.embeddings not in (COMPUTE, KEEP, OFF):
            raise ValueError(f"embeddings: {self.embeddings!r} is not compute, keep or off")
        if not MERGE_THRESHOLD <= self.embedding_threshold <= 1:
            raise ValueError(f"embedding threshold: {self.embedding_threshold} is not in "
                             f"[{MERGE_THRESHOLD}, 1]")


@dataclass(frozen=True, slots=True)
class ResolveReport:
    merges: tuple[Merge, ...]
    entities: int
    """Entities in the project."""
    known: dict[str, str] = field(default_factory=dict)
    """Entity -> IRI of the known entity it is (canonical entities only)."""
    candidates: int = 0
    """Pairs scored."""
    embedded: int = 0
    """Pairs the encoder was asked about."""
    seconds: float = 0.0
    encoder: str = ""
    """Why the encoder was not used, when it was wanted and not available."""
    threshold: ThresholdFit | None = None
    """The encoder threshold used and what it was learnt from (when the encoder ran)."""

    @property
    def after(self) -> int:
        """Entities once merged entities are counted as their canonical one."""
        return self.entities - len(self.merges)

    def by_reason(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for m in self.merges:
            kind = m.reason.split(" ")[0]
            out[kind] = out.get(kind, 0) + 1
        return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))
