"""The GUI layout: complete, bounded, reproducible, incremental around pinned nodes."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
from graph_samples import from_edges

from kg.graph import KnowledgeGraph
from kg.graph.layout import compute_layout, layout
from nlp.progress import Cancelled, CancelToken, Progress, run


def _named(g: nx.Graph) -> nx.Graph:
    return nx.relabel_nodes(g, {v: f"n {v} ü" for v in g})


def _mixed() -> nx.Graph:
    """A 240-node ring of small cliques (refined on its own), small trees, loners."""
    g = nx.connected_caveman_graph(40, 6)
    g.add_edges_from([(300, 301), (301, 302), (400, 401), (400, 402), (400, 403)])
    g.add_nodes_from([500, 501, 502])
    return _named(g)


def _spread(pos: dict[str, tuple[float, float]], nodes: list[str]) -> float:
    xy = np.array([pos[v] for v in nodes])
    return float(np.hypot(*(xy - xy.mean(axis=0)).T).mean())


def test_every_node_placed_in_bounds_and_reproducibly() -> None:
    g = _mixed()
    steps: list[Progress] = []
    pos = run(layout(g, seed=3), steps.append)
    assert set(pos) == set(g)
    xy = np.array(list(pos.values()))
    assert np.abs(xy).max() == pytest.approx(1.0) and np.all(np.abs(xy) <= 1.0)
    assert all(math.isfinite(c) for c in xy.ravel())
    assert len({tuple(p) for p in xy}) == len(pos)  # no two nodes on one spot
    assert all(s.stage == "layout" for s in steps) and len(steps) > 5
    assert all(s.done <= s.total for s in steps if s.total)
    assert compute_layout(g, seed=3) == pos
    assert compute_layout(g, seed=4) != pos
    assert compute_layout(nx.Graph()) == {}
    assert compute_layout(_named(nx.empty_graph(1))) == {"n 0 ü": (0.0, 0.0)}


def test_related_nodes_end_up_close() -> None:
    pos = compute_layout(_mixed(), seed=1)
    cliques = [[f"n {6 * c + i} ü" for i in range(6)] for c in range(40)]
    ring = _spread(pos, [v for c in cliques for v in c])
    assert max(_spread(pos, c) for c in cliques) < ring / 5
    tree = [f"n {v} ü" for v in (400, 401, 402, 403)]
    assert _spread(pos, tree) < ring / 5


def test_a_knowledge_graph_is_laid_out_by_entity_id() -> None:
    kg = KnowledgeGraph.from_snapshot(from_edges(
        [("hub", f"leaf {i}") for i in range(6)], nodes=("alone",)))
    pos = compute_layout(kg, seed=0)
    assert set(pos) == {e.id for e in kg.entities()}
    leaves = np.array([pos[f"leaf {i}"] for i in range(6)])
    assert np.hypot(*(leaves.mean(axis=0) - pos["hub"])) < 0.3  # the hub in the middle


def test_incremental_keeps_pinned_nodes_and_places_new_ones_near_neighbours() -> None:
    old = _named(nx.grid_2d_graph(8, 8))
    before = compute_layout(old, seed=1)
    grown = old.copy()
    grown.add_edges_from([("n (0, 0) ü", "new a"), ("new a", "new b"), ("n (7, 7) ü", "new c"),
                          ("n (3, 4) ü", "new d")])
    grown.add_node("new loner")
    after = compute_layout(grown, seed=1, previous=before)
    assert set(after) == set(grown)
    assert all(after[v] == before[v] for v in old)  # every old node pinned by default
    assert all(-1.0 <= c <= 1.0 for p in after.values() for c in p)
    assert len(set(after.values())) == len(after)
    edge = np.median([np.hypot(*np.subtract(before[u], before[v])) for u, v in old.edges()])
    for new, neighbour in (("new a", "n (0, 0) ü"), ("new c", "n (7, 7) ü"),
                           ("new d", "n (3, 4) ü"), ("new b", "new a")):
        assert np.hypot(*np.subtract(after[new], after[neighbour])) < 1.5 * edge
    assert compute_layout(grown, seed=1, previous=before) == after

    free = [v for v in old if v.startswith("n (0,")]
    pinned = [v for v in old if v not in free]
    relaxed = compute_layout(grown, seed=1, previous=before, pinned=pinned)
    assert all(relaxed[v] == before[v] for v in pinned)
    assert any(relaxed[v] != before[v] for v in free)


def test_layout_can_be_cancelled() -> None:
    cancel = CancelToken()
    work = layout(_mixed(), cancel=cancel)
    next(work)
    next(work)
    cancel.cancel()
    with pytest.raises(Cancelled):
        run(work)


def test_the_layout_depends_on_the_graph_not_on_how_it_was_built() -> None:
    g = _mixed()
    shuffled = nx.Graph()
    nodes, edges = list(g.nodes), list(g.edges)
    np.random.default_rng(0).shuffle(nodes)
    np.random.default_rng(1).shuffle(edges)
    shuffled.add_nodes_from(nodes)
    shuffled.add_edges_from((v, u) for u, v in edges)
    assert compute_layout(shuffled, seed=2) == compute_layout(g, seed=2)
