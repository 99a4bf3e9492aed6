"""Link prediction: ranked candidate facts that the graph does not hold yet, with evidence.

Only the ontology's relations are predicted, only from an entity of the relation's domain
type to one of its range type (`kg.embed.schema`). Left out are: the graph's facts, accepted
and rejected predictions (``link_decisions``), relations a person rejected in the text, a
relation from an entity to itself, and, for relations whose domain and range are one type
(``Kill``, ``Located_In``), the reverse of a fact (A located in B rules out B in A).
Scores are the model's raw plausibility scores (higher is more plausible); they order the
candidates of one model and mean nothing across models.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kg.embed.decisions import ACCEPTED
from kg.embed.evidence import EvidenceIndex, LinkEvidence
from kg.embed.project import ProjectGraph, load_for_project, read_graph
from kg.embed.schema import ontology_relations
from kg.embed.storage import Embedding
from kg.embed.triples import Triple

if TYPE_CHECKING:
    from kg.store.project import Project

_CHUNK = 256


@dataclass(frozen=True, slots=True)
class LinkPrediction:
    head: str
    head_name: str
    relation: str
    tail: str
    tail_name: str
    score: float
    model: str
    """``<embedding name>:<model>@<version>`` (`EmbeddingInfo.model_id`: what a decision
    records as its source)."""
    evidence: LinkEvidence

    @property
    def triple(self) -> Triple:
        return self.head, self.relation, self.tail


def excluded(pg: ProjectGraph) -> set[Triple]:
    """Triples never offered: known facts, decided predictions, relations rejected in text."""
    out = set(pg.triples.facts) | {d.triple for d in pg.decisions}
    entity_of = {m.id: m.entity for m in pg.snapshot.mentions}
    for r in pg.snapshot.relations:
        h, t = entity_of.get(r.head), entity_of.get(r.tail)
        if r.status == "rejected" and h is not None and t is not None:
            out.add((h, r.label, t))
    return out


def predict(
    embedding: Embedding,
    pg: ProjectGraph,
    *,
    top: int = 20,
    relations: Collection[str] | None = None,
) -> list[LinkPrediction]:
    """The `top` best-scored new links of `embedding` over the graph `pg`, best first."""
    import torch

    same_type = {rt.label for rt in ontology_relations() if rt.head == rt.tail}
    skip: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for h, r, t in excluded(pg):
        skip[r].add((h, t))
    for h, r, t in pg.triples.facts:
        if r in same_type:
            skip[r].add((t, h))
    best: list[tuple[float, Triple]] = []
    for rt in ontology_relations():
        if (relations is not None and rt.label not in relations) \
                or rt.label not in embedding.relation_to_id:
            continue
        heads = _of_type(pg, embedding, rt.head)
        tails = _of_type(pg, embedding, rt.tail)
        if not heads or not tails:
            continue
        tail_ids = torch.tensor([embedding.entity_to_id[t] for t in tails], dtype=torch.long)
        tail_at = {t: j for j, t in enumerate(tails)}
        rel = embedding.relation_to_id[rt.label]
        for start in range(0, len(heads), _CHUNK):
            chunk = heads[start:start + _CHUNK]
            hr = torch.tensor([[embedding.entity_to_id[h], rel] for h in chunk],
                              dtype=torch.long)
            with torch.no_grad():
                scores = embedding.model.score_t(hr)[:, tail_ids].float()
            head_at = {h: i for i, h in enumerate(chunk)}
            masked = [(i, tail_at[h]) for h, i in head_at.items() if h in tail_at]
            masked += [(head_at[h], tail_at[t]) for h, t in skip[rt.label]
                       if h in head_at and t in tail_at]
            for i, j in masked:
                scores[i, j] = float("-inf")
            _keep_best(best, scores, chunk, rt.label, tails, top)
    index = EvidenceIndex(pg.snapshot, pg.graph,
                          [d.triple for d in pg.decisions if d.decision == ACCEPTED])
    model = embedding.info.model_id
    return [
        LinkPrediction(h, index.name(h), r, t, index.name(t), score, model, index(h, t))
        for score, (h, r, t) in sorted(best, key=lambda x: (-x[0], x[1]))
    ]


def _of_type(pg: ProjectGraph, embedding: Embedding, label: str) -> list[str]:
    return sorted(e.id for e in pg.graph.entities(types={label})
                  if e.id in embedding.entity_to_id)


def _keep_best(best: list[tuple[float, Triple]], scores: Any, heads: list[str],
               relation: str, tails: list[str], top: int) -> None:
    """Merge the best of `scores` (heads x tails, a tensor) into the min-heap `best`."""
    import torch

    flat = scores.flatten()
    k = min(top, int(flat.numel()))
    values, idx = torch.topk(flat, k)
    for value, i in zip(values.tolist(), idx.tolist(), strict=True):
        if value == float("-inf"):
            break
        item = (float(value), (heads[i // len(tails)], relation, tails[i % len(tails)]))
        if len(best) < top:
            heapq.heappush(best, item)
        elif item > best[0]:
            heapq.heapreplace(best, item)


def link_predictions(
    project: Project,
    name: str | None = None,
    *,
    top: int = 20,
    relations: Collection[str] | None = None,
) -> list[LinkPrediction]:
    """The `top` new links the embedding `name` (default: the newest) predicts for `project`."""
    embedding = load_for_project(project, name)
    structure = tuple(embedding.info.meta.get("structure", ()))
    return predict(embedding, read_graph(project, structure), top=top, relations=relations)
