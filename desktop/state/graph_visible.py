"""`VisibleGraph`: the nodes and drawn edges of one `GraphData` as arrays, and which of them
pass the current filters. No Qt; numpy keeps 10,000 nodes and 20,000 edges cheap.

Drawn edges are entity pairs: every relation between two entities (either way, self-loops
left out) is one line, shown when both ends are and at least one of its relations passes
the confidence and document filters. A node is shown when it passes the type and document
filters or was revealed, and is not hidden. Coordinates are scene units.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np

from desktop.state import graph_style as style
from desktop.state.graph_data import GraphData, Positions

Pair = tuple[str, str]


def pair(a: str, b: str) -> Pair:
    """The drawn edge between `a` and `b` (its ends in sorted order)."""
    return (a, b) if a < b else (b, a)


@dataclass(frozen=True, slots=True)
class Filters:
    types: frozenset[str] | None = None
    """Entity types shown; None: all."""
    min_confidence: float = 0.0
    """Relations below this confidence are not drawn (entities stay)."""
    document: str | None = None
    """Only entities mentioned in, and relations stated in, this document."""
    revealed: frozenset[str] = frozenset()
    hidden: frozenset[str] = frozenset()


class VisibleGraph:
    def __init__(self, data: GraphData | None = None) -> None:
        graph = data.graph if data is not None else None
        entities = {e.id: e for e in graph.entities()} if graph is not None else {}
        self.node_ids = sorted(entities)
        self.node_index = {n: i for i, n in enumerate(self.node_ids)}
        self.labels = [entities[n].label for n in self.node_ids]
        self._docs = [entities[n].documents for n in self.node_ids]
        self.scale = style.scene_scale(len(self.node_ids))
        where = data.positions if data is not None else {}
        self.xy_array = np.array([where.get(n, (0.0, 0.0)) for n in self.node_ids],
                                 dtype=float).reshape(-1, 2) * self.scale
        index: dict[Pair, int] = {}
        rel_pair, conf, docs = [], [], []
        for r in graph.relations() if graph is not None else ():
            if r.head != r.tail:
                rel_pair.append(index.setdefault(pair(r.head, r.tail), len(index)))
                conf.append(r.confidence)
                docs.append(r.document)
        self.pair_index = index
        self.pairs = list(index)
        self._rel_pair = np.array(rel_pair, dtype=np.intp)
        self._rel_conf = np.nan_to_num(np.array(conf, dtype=float), nan=0.0)
        self._rel_doc = np.array(docs, dtype=object)
        self.pair_count = np.bincount(self._rel_pair, minlength=len(self.pairs))
        self.ends = np.array([(self.node_index[u], self.node_index[v]) for u, v in self.pairs],
                             dtype=np.intp).reshape(-1, 2)
        self.node_shown = np.ones(len(self.node_ids), bool)
        self.pair_shown = np.ones(len(self.pairs), bool)
        self.apply(Filters())

    def __len__(self) -> int:
        return len(self.node_ids)

    def apply(self, f: Filters) -> None:
        """Recompute what is shown under `f`."""
        shown = np.ones(len(self.node_ids), bool)
        if f.types is not None:
            shown &= np.array([label in f.types for label in self.labels], dtype=bool)
        if f.document is not None:
            shown &= np.array([f.document in d for d in self._docs], dtype=bool)
        shown[[self.node_index[n] for n in f.revealed if n in self.node_index]] = True
        shown[[self.node_index[n] for n in f.hidden if n in self.node_index]] = False
        ok = self._rel_conf >= f.min_confidence
        if f.document is not None:
            ok &= self._rel_doc == f.document
        pair_ok = np.zeros(len(self.pairs), bool)
        pair_ok[self._rel_pair[ok]] = True
        if len(self.pairs):
            pair_ok &= shown[self.ends[:, 0]] & shown[self.ends[:, 1]]
        self.node_shown, self.pair_shown = shown, pair_ok

    # -- reading ------------------------------------------------------------------------------
    def visible_nodes(self) -> list[str]:
        return [self.node_ids[i] for i in np.flatnonzero(self.node_shown)]

    def visible_edges(self) -> list[Pair]:
        return [self.pairs[i] for i in np.flatnonzero(self.pair_shown)]

    def is_visible(self, node: str) -> bool:
        i = self.node_index.get(node)
        return i is not None and bool(self.node_shown[i])

    def edge_visible(self, edge: Pair) -> bool:
        i = self.pair_index.get(pair(*edge))
        return i is not None and bool(self.pair_shown[i])

    def label(self, node: str) -> str:
        return self.labels[self.node_index[node]]

    def xy(self, node: str) -> tuple[float, float]:
        x, y = self.xy_array[self.node_index[node]]
        return float(x), float(y)

    def positions(self) -> Positions:
        """Every node's position in layout coordinates."""
        return {n: (float(x / self.scale), float(y / self.scale))
                for n, (x, y) in zip(self.node_ids, self.xy_array, strict=True)}

    def move(self, layout: Positions) -> None:
        """Put the nodes of `layout` (layout coordinates) there; the others stay."""
        for node, (x, y) in layout.items():
            i = self.node_index.get(node)
            if i is not None:
                self.xy_array[i] = (x * self.scale, y * self.scale)

    def node_at(self, x: float, y: float, radii: np.ndarray, slack: float = 0.0) -> str | None:
        """The visible node under scene point (x, y): the nearest whose disc (radius from
        `radii`, one per node, plus `slack`) holds the point."""
        shown = np.flatnonzero(self.node_shown)
        if not len(shown) or len(radii) != len(self.node_ids):
            return None
        gap = np.hypot(self.xy_array[shown, 0] - x, self.xy_array[shown, 1] - y)
        best = int(np.argmin(gap - radii[shown]))
        return self.node_ids[shown[best]] if gap[best] <= radii[shown[best]] + slack else None

    def edge_at(self, x: float, y: float, tolerance: float) -> Pair | None:
        """The visible edge nearest to scene point (x, y), if within `tolerance` units."""
        shown = np.flatnonzero(self.pair_shown)
        if not len(shown):
            return None
        a = self.xy_array[self.ends[shown, 0]]
        d = self.xy_array[self.ends[shown, 1]] - a
        length2 = np.maximum((d * d).sum(axis=1), 1e-12)
        t = np.clip(((np.array([x, y]) - a) * d).sum(axis=1) / length2, 0.0, 1.0)
        gap = np.hypot(a[:, 0] + t * d[:, 0] - x, a[:, 1] + t * d[:, 1] - y)
        best = int(np.argmin(gap))
        return self.pairs[shown[best]] if gap[best] <= tolerance else None

    def neighbours(self, node: str) -> list[str]:
        """Every node drawn-edge-adjacent to `node` in the whole graph (filters ignored)."""
        i = self.node_index[node]
        ends = self.ends
        other = np.r_[ends[ends[:, 0] == i, 1], ends[ends[:, 1] == i, 0]]
        return sorted(self.node_ids[j] for j in set(other.tolist()))

    def shortest_path(self, a: str, b: str) -> tuple[str, ...] | None:
        """Fewest hops from `a` to `b` over the visible edges (breadth first), or None."""
        adjacency: dict[int, list[int]] = {}
        for u, v in self.ends[self.pair_shown].tolist():
            adjacency.setdefault(u, []).append(v)
            adjacency.setdefault(v, []).append(u)
        start, goal = self.node_index[a], self.node_index[b]
        parent = {start: start}
        queue = deque([start])
        while queue:
            u = queue.popleft()
            if u == goal:
                break
            for v in sorted(adjacency.get(u, ())):
                if v not in parent:
                    parent[v] = u
                    queue.append(v)
        if goal not in parent:
            return None
        path = [goal]
        while path[-1] != start:
            path.append(parent[path[-1]])
        return tuple(self.node_ids[i] for i in reversed(path))

    def path_edges(self, path: Collection[str]) -> list[Pair]:
        nodes = list(path)
        return [pair(u, v) for u, v in itertools.pairwise(nodes)]
