"""Timings of the graph layer on a synthetic graph (not a test; run by hand, measured once):

    .venv/bin/python tests/graph/bench_graph.py [nodes] [edges]

A G(n, m) random graph (seeded) as a snapshot of one mention per relation end, loaded into
a `KnowledgeGraph`; then every analytic and a full layout, and an incremental layout after
adding 1% more nodes.
"""

from __future__ import annotations

import sys
import time

import networkx as nx
from graph_samples import synthetic

from kg.graph import KnowledgeGraph
from kg.graph import analytics as an
from kg.graph.layout import compute_layout
from kg.graph.model import projection
from nlp.progress import run


def main(n: int = 10_000, m: int = 20_000) -> None:
    g = nx.gnm_random_graph(n, m, seed=1)
    snap = synthetic(list(g.edges()), n)
    t = time.perf_counter()
    kg = KnowledgeGraph.from_snapshot(snap)
    print(f"load {n} nodes / {m} edges: {time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    projection(kg)
    print(f"projection: {time.perf_counter() - t:.2f} s")
    result = run(an.analyse(kg, seed=1))
    for name, seconds in result.seconds.items():
        print(f"{name}: {seconds:.2f} s")
    print(f"  betweenness sources: {result.betweenness_sources or 'all (exact)'}; "
          f"communities: {len(result.communities)}, modularity {result.modularity:.3f}; "
          f"components: {len(result.components)}")
    t = time.perf_counter()
    pos = compute_layout(kg, seed=1)
    print(f"layout: {time.perf_counter() - t:.2f} s")
    grown = projection(kg).copy()
    for i in range(n // 100):
        grown.add_edge(f"new {i}", f"s{(i * 7919) % n}")
    t = time.perf_counter()
    compute_layout(grown, seed=1, previous=pos)
    print(f"incremental layout (+{n // 100} nodes): {time.perf_counter() - t:.2f} s")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
