"""What the graph view shows of a project, computed off the GUI thread as long work.

`load_work` reads one snapshot, builds the `KnowledgeGraph`, its analytics (degree,
PageRank, betweenness, Louvain communities: `kg.graph.analytics.analyse`), a layout
(`kg.graph.layout`: incremental when most nodes were placed before, so a re-import does not
reshuffle the picture) and the name search index. The result is one immutable `GraphData`,
handed to the GUI thread whole: the worker never touches what the view reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from nlp.progress import NEVER, CancelToken, Progress, Work

if TYPE_CHECKING:
    import networkx as nx

    from kg.graph import KnowledgeGraph
    from kg.query.search import SearchIndex
    from kg.store import Project

Positions = dict[str, tuple[float, float]]

REUSE_SHARE = 0.5
"""Lay out incrementally when at least this share of the nodes had a position before."""


@dataclass(frozen=True, slots=True)
class GraphData:
    graph: KnowledgeGraph
    positions: Positions
    """Layout coordinates (largest about 1) per entity id."""
    scores: Mapping[str, Mapping[str, float]]
    """Metric name (`graph_style.SIZE_METRICS`) -> entity id -> score."""
    communities: Mapping[str, int]
    """Entity id -> index of its community (0 = the largest)."""
    search: SearchIndex
    betweenness_sources: int | None = None
    """Sources the betweenness estimate rests on; None when exact."""
    seconds: dict[str, float] = field(default_factory=dict)


def load_work(
    project: Project, *, previous: Positions | None = None, seed: int = 0,
    cancel: CancelToken = NEVER,
) -> Work[GraphData]:
    """Read `project` and compute everything the graph view needs (see the module doc)."""
    import time

    from kg.graph import KnowledgeGraph
    from kg.graph.analytics import analyse
    from kg.graph.layout import layout
    from kg.query.search import SearchIndex
    from kg.store.reads import snapshot

    seconds: dict[str, float] = {}
    t = time.perf_counter()
    yield Progress(0, 0, "reading the project", "graph")
    snap = snapshot(project)
    graph = KnowledgeGraph.from_snapshot(snap)
    seconds["read"] = time.perf_counter() - t
    cancel.check()
    t = time.perf_counter()
    found = yield from analyse(graph, seed=seed, cancel=cancel)
    seconds["analytics"] = time.perf_counter() - t
    t = time.perf_counter()
    kept = previous if previous and _reusable(graph, previous) else None
    positions = yield from layout(graph, seed=seed, previous=kept, cancel=cancel)
    seconds["layout"] = time.perf_counter() - t
    scores = {
        "degree": found.degree, "pagerank": found.pagerank, "betweenness": found.betweenness,
        "mentions": {e.id: float(e.mentions) for e in graph.entities()},
    }
    communities = {n: i for i, members in enumerate(found.communities) for n in members}
    yield Progress(1, 1, "search index", "graph")
    return GraphData(graph, positions, scores, communities, SearchIndex.of(snap),
                     found.betweenness_sources, seconds)


def _reusable(graph: KnowledgeGraph, previous: Positions) -> bool:
    n = len(graph)
    if n == 0:
        return False
    placed = sum(1 for e in previous if e in graph)
    return placed >= REUSE_SHARE * n


def relayout_work(
    g: nx.Graph, *, previous: Positions | None = None, pinned: frozenset[str] = frozenset(),
    seed: int = 0, cancel: CancelToken = NEVER,
) -> Work[Positions]:
    """Positions for the nodes of `g` (the visible part, built by the caller for the worker):
    a fresh layout, or, with `pinned` nodes, a longer incremental one that keeps them put."""
    from kg.graph.layout import layout

    if pinned and previous:
        return (yield from layout(g, seed=seed, previous=previous, pinned=pinned,
                                  iterations=120, cancel=cancel))
    return (yield from layout(g, seed=seed, cancel=cancel))
