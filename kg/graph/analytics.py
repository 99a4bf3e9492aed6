"""Graph analytics shared by the GUI and the CLI: plain dicts and lists in, plain out.

Every function takes a `KnowledgeGraph` (or its undirected weighted projection,
`kg.graph.model.projection`: entity-entity, ``weight`` = number of relations between the two
either way, self-loops left out) and works on that projection:

* `degree_centrality`: neighbours / (n - 1).
* `pagerank`: weighted by the number of supporting relations (``directed=True`` follows the
  relations' head -> tail direction instead).
* `betweenness`: shortest paths in hops (weights ignored), normalised like networkx
  (``2 / ((n - 1)(n - 2))`` for undirected graphs). Exact up to `EXACT_LIMIT` nodes; above,
  estimated from `SAMPLE_K` source nodes drawn with the seed (as networkx's ``k``, with the
  same rescaling), which keeps 10,000 nodes at about a second.
* `components`: weakly connected components, largest first.
* `communities`: Louvain (networkx, seeded), with their modularity. Leiden is not used: its
  implementations (leidenalg, igraph) are GPL, which Skein's LGPL distribution avoids.

`analyse` computes them all as long work (`nlp.progress`): a step per metric, progress
inside betweenness and Louvain, cancellable between steps.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, TypeAlias

import networkx as nx
import numpy as np

from kg.graph._betweenness import accumulate
from kg.graph.model import KnowledgeGraph, network, projection
from nlp.progress import NEVER, CancelToken, Progress, Work, run

EXACT_LIMIT = 2000
SAMPLE_K = 500
GraphLike: TypeAlias = "KnowledgeGraph | nx.Graph"


def _projection(graph: GraphLike) -> nx.Graph:
    return projection(graph) if isinstance(graph, KnowledgeGraph) else graph


def degree_centrality(graph: GraphLike) -> dict[str, float]:
    return dict(nx.degree_centrality(_projection(graph)))


def pagerank(graph: GraphLike, *, damping: float = 0.85, directed: bool = False
             ) -> dict[str, float]:
    g: nx.Graph = _projection(graph)
    if directed and isinstance(graph, KnowledgeGraph):
        weights = Counter((u, v) for u, v in network(graph).edges() if u != v)
        g = nx.DiGraph()
        g.add_nodes_from(sorted(network(graph).nodes))
        g.add_weighted_edges_from((u, v, w) for (u, v), w in sorted(weights.items()))
    if g.number_of_nodes() == 0:
        return {}
    return {k: float(v) for k, v in nx.pagerank(g, alpha=damping, weight="weight").items()}


@dataclass(frozen=True, slots=True)
class Betweenness:
    scores: dict[str, float]
    sources: int | None
    """How many sampled source nodes the estimate rests on; None when exact."""


def betweenness_work(
    graph: GraphLike, *, k: int | None = None, seed: int = 0, cancel: CancelToken = NEVER
) -> Work[Betweenness]:
    """Betweenness (see the module docstring); `k` forces a sample of that many sources."""
    g = _projection(graph)
    nodes = list(g.nodes)
    n = len(nodes)
    if k is None and n > EXACT_LIMIT:
        k = SAMPLE_K
    sampled = k is not None and k < n
    rng = random.Random(seed)  # noqa: S311 - a reproducible sample, not a secret
    sources = rng.sample(range(n), k) if sampled and k else list(range(n))
    if n == 0:
        return Betweenness({}, None)
    a = nx.to_scipy_sparse_array(g, nodelist=nodes, weight=None, format="csr")
    raw = yield from accumulate(a, sources, cancel)
    ks = len(sources)
    if n <= 2:
        scale = np.zeros(n)
    elif not sampled:
        scale = np.full(n, 1.0 / ((n - 1) * (n - 2)))
    else:  # as networkx: a source's own search never counts for it, so it rests on k - 1
        scale = np.full(n, 1.0 / (ks * (n - 2)))
        scale[sources] = 1.0 / ((ks - 1) * (n - 2)) if ks > 1 else 0.0
    values = raw * scale
    return Betweenness({v: float(values[i]) for i, v in enumerate(nodes)},
                       ks if sampled else None)


def betweenness(
    graph: GraphLike, *, k: int | None = None, seed: int = 0, cancel: CancelToken = NEVER
) -> dict[str, float]:
    return run(betweenness_work(graph, k=k, seed=seed, cancel=cancel)).scores


def components(graph: GraphLike) -> list[list[str]]:
    """Weakly connected components (each sorted), largest first, then by first id."""
    comps = [sorted(c) for c in nx.connected_components(_projection(graph))]
    comps.sort(key=lambda c: (-len(c), c[0]))
    return comps


@dataclass(frozen=True, slots=True)
class Communities:
    communities: list[list[str]]
    """Each sorted; largest first, then by first id."""
    modularity: float


def communities_work(
    graph: GraphLike, *, seed: int = 0, resolution: float = 1.0, cancel: CancelToken = NEVER
) -> Work[Communities]:
    """Louvain communities of the weighted projection; a step per Louvain level."""
    g = _projection(graph)
    if g.number_of_nodes() == 0:
        return Communities([], 0.0)
    best: list[set[str]] = [{v} for v in g.nodes]
    if g.number_of_edges():
        levels = nx.community.louvain_partitions(g, weight="weight", resolution=resolution,
                                                 seed=seed)
        for level, partition in enumerate(levels, 1):
            cancel.check()
            best = [set(c) for c in partition]
            yield Progress(level, 0, f"level {level}: {len(best)} communities", "communities")
    comms = [sorted(c) for c in best]
    comms.sort(key=lambda c: (-len(c), c[0]))
    if not g.number_of_edges():  # modularity is undefined without edges
        return Communities(comms, 0.0)
    q = nx.community.modularity(g, comms, weight="weight", resolution=resolution)
    return Communities(comms, float(q))


def communities(graph: GraphLike, *, seed: int = 0, resolution: float = 1.0) -> Communities:
    return run(communities_work(graph, seed=seed, resolution=resolution))


def top(scores: Mapping[str, float], k: int = 10) -> list[tuple[str, float]]:
    """The `k` highest scores, highest first (ties by id)."""
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:k]


def ranked(graph: KnowledgeGraph, scores: Mapping[str, float], k: int = 10
           ) -> list[dict[str, Any]]:
    """`top` with each entity's name and type: ``{"id", "name", "type", "score"}``."""
    out = []
    for eid, score in top(scores, k):
        e = graph.entity(eid)
        out.append({"id": eid, "name": e.name, "type": e.label, "score": score})
    return out


@dataclass(frozen=True, slots=True)
class Analytics:
    degree: dict[str, float]
    pagerank: dict[str, float]
    betweenness: dict[str, float]
    betweenness_sources: int | None
    """Sampled sources of the betweenness estimate; None when exact."""
    components: list[list[str]]
    communities: list[list[str]]
    modularity: float
    seconds: dict[str, float]
    """Wall time of each metric."""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


METRICS = ("degree", "pagerank", "betweenness", "components", "communities")


def analyse(
    graph: GraphLike, *, seed: int = 0, betweenness_k: int | None = None,
    cancel: CancelToken = NEVER,
) -> Work[Analytics]:
    """All the metrics, as long work: a step per metric (and progress within the slow ones)."""
    seconds: dict[str, float] = {}
    total = len(METRICS)

    def step(i: int, name: str) -> Progress:
        cancel.check()
        return Progress(i, total, name, "analytics")

    yield step(0, "degree")
    t = time.perf_counter()
    degree = degree_centrality(graph)
    seconds["degree"] = time.perf_counter() - t
    yield step(1, "pagerank")
    t = time.perf_counter()
    ranks = pagerank(graph)
    seconds["pagerank"] = time.perf_counter() - t
    yield step(2, "betweenness")
    t = time.perf_counter()
    between = yield from betweenness_work(graph, k=betweenness_k, seed=seed, cancel=cancel)
    seconds["betweenness"] = time.perf_counter() - t
    yield step(3, "components")
    t = time.perf_counter()
    comps = components(graph)
    seconds["components"] = time.perf_counter() - t
    yield step(4, "communities")
    t = time.perf_counter()
    found = yield from communities_work(graph, seed=seed, cancel=cancel)
    seconds["communities"] = time.perf_counter() - t
    yield step(5, "done")
    return Analytics(degree, ranks, between.scores, between.sources, comps, found.communities,
                     found.modularity, seconds)
