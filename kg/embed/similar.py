"""Entities close in embedding space: nearest neighbours, and duplicate candidates.

Cosine similarity over each entity's vector (complex embeddings as their real and imaginary
parts side by side). Two names of one real thing ("IBM", "International Business
Machines") end up with the same neighbours, so their vectors are close; a duplicate
candidate is a same-type pair that is close **and** has similar names, so that two different
people of one company are not proposed. Entity resolution (`kg.resolve`) consumes the pairs.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kg.embed.storage import Embedding

if TYPE_CHECKING:
    from kg.graph import Entity
    from kg.store.project import Project

_WORD = re.compile(r"\w+")
_ROWS = 1024


@dataclass(frozen=True, slots=True)
class Neighbour:
    entity: str
    cosine: float


@dataclass(frozen=True, slots=True)
class DuplicateCandidate:
    a: str
    """Entity id (the one with more mentions, then the smaller id)."""
    b: str
    label: str
    """Their common entity type."""
    cosine: float
    name_similarity: float
    score: float
    """cosine x name similarity, in [0, 1]."""
    reason: str
    """e.g. ``embedding 0.93, name 0.80``: what `entity_merges.reason` can record."""


def vectors(embedding: Embedding) -> Any:
    """Unit-length entity vectors, one row per entity id (a float tensor)."""
    import torch

    with torch.inference_mode():
        x = embedding.model.entity_representations[0](indices=None).detach()
    if x.is_complex():
        x = torch.view_as_real(x)
    x = x.reshape(x.shape[0], -1).float()
    return torch.nn.functional.normalize(x, dim=1)


def nearest(
    embedding: Embedding, entity: str, k: int = 10, among: Collection[str] | None = None
) -> list[Neighbour]:
    """The `k` entities (of `among`, if given) most similar to `entity`, closest first."""
    import torch

    if entity not in embedding.entity_to_id:
        raise KeyError(entity)
    ids = embedding.entity_to_id
    pool = sorted(e for e in (among if among is not None else ids) if e in ids and e != entity)
    if not pool or k < 1:
        return []
    x = vectors(embedding)
    sims = x[torch.tensor([ids[e] for e in pool])] @ x[ids[entity]]
    values, idx = torch.topk(sims, min(k, len(pool)))
    return [Neighbour(pool[i], float(v)) for v, i in zip(values.tolist(), idx.tolist(),
                                                          strict=True)]


def _norm(name: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", name).casefold()
    return _WORD.findall("".join(c for c in folded if not unicodedata.combining(c)))


def name_similarity(a: str, b: str) -> float:
    """How alike two names are, in [0, 1]: the best of character similarity, one name's
    words all in the other ("Smith" in "John Smith": 0.8) and an acronym ("IBM" for
    "International Business Machines": 0.9)."""
    wa, wb = _norm(a), _norm(b)
    if not wa or not wb:
        return 0.0
    if wa == wb:
        return 1.0
    best = difflib.SequenceMatcher(None, " ".join(wa), " ".join(wb)).ratio()
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if set(short) <= set(long_):
        best = max(best, 0.8)
    if len(short) == 1 and len(long_) > 1 and short[0] == "".join(w[0] for w in long_):
        best = max(best, 0.9)
    return best


def duplicate_pairs(
    embedding: Embedding,
    entities: Sequence[Entity],
    k: int = 20,
    *,
    min_cosine: float = 0.6,
    min_name: float = 0.5,
    neighbours: int = 10,
) -> list[DuplicateCandidate]:
    """The `k` best same-type pairs among `entities` whose vectors are within each other's
    `neighbours` nearest and pass both thresholds, best first."""
    import torch

    known = [e for e in entities if e.id in embedding.entity_to_id]
    if len(known) < 2:
        return []
    x = vectors(embedding)[torch.tensor([embedding.entity_to_id[e.id] for e in known])]
    kinds = {label: i for i, label in enumerate(sorted({e.label for e in known}))}
    kind = torch.tensor([kinds[e.label] for e in known])
    seen: set[tuple[int, int]] = set()
    out = []
    for start in range(0, len(known), _ROWS):  # row blocks: memory stays O(rows x n)
        sims = x[start:start + _ROWS] @ x.T
        rows = torch.arange(start, min(start + _ROWS, len(known)))
        sims = sims.masked_fill(kind[rows][:, None] != kind[None, :], -2.0)
        sims[torch.arange(len(rows)), rows] = -2.0  # not with itself
        values, idx = torch.topk(sims, min(neighbours, len(known) - 1), dim=1)
        for i, row_v, row_i in zip(rows.tolist(), values.tolist(), idx.tolist(), strict=True):
            for cos, j in zip(row_v, row_i, strict=True):
                pair = (min(i, j), max(i, j))
                if cos < min_cosine or pair in seen:
                    continue
                seen.add(pair)
                candidate = _candidate(known[i], known[j], cos, min_name)
                if candidate is not None:
                    out.append(candidate)
    out.sort(key=lambda c: (-c.score, c.a, c.b))
    return out[:k]


def _candidate(x: Entity, y: Entity, cos: float, min_name: float) -> DuplicateCandidate | None:
    a, b = sorted((x, y), key=lambda e: (-e.mentions, e.id))
    names = name_similarity(a.name, b.name)
    if names < min_name:
        return None
    return DuplicateCandidate(a.id, b.id, a.label, round(cos, 6), round(names, 6),
                              round(max(cos, 0.0) * names, 6),
                              f"embedding {cos:.2f}, name {names:.2f}")


def duplicate_candidates(
    project: Project,
    k: int = 20,
    name: str | None = None,
    *,
    min_cosine: float = 0.6,
    min_name: float = 0.5,
) -> list[DuplicateCandidate]:
    """Duplicate candidates of `project` by its embedding `name` (default: the newest)."""
    from kg.embed.project import load_for_project, read_graph

    embedding = load_for_project(project, name)
    graph = read_graph(project, ()).graph
    return duplicate_pairs(embedding, graph.entities(), k, min_cosine=min_cosine,
                           min_name=min_name)
