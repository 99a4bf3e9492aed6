"""A fast, deterministic 2-D layout of the entity graph for the GUI.

Full layout: every connected component starts from pivot MDS (`_initial`), the components
are packed side by side, then Fruchterman-Reingold forces with FFT-approximated repulsion
(`_forces`) refine the whole picture. About O((n + m) * iterations), so 10,000 nodes take
seconds where networkx's O(n^2) ``spring_layout`` takes minutes.

Incremental layout (`previous` given): nodes already placed keep their positions; new nodes
start at the mean of their placed neighbours (breadth first, for chains of new nodes; those
with no placed node in reach go to the emptiest of a few random spots) and a short, cool
refinement with local repulsion only settles them there (global pressure would push every
new leaf out to the rim). `pinned` nodes never move (by default every node of `previous`);
the others of `previous` may relax a little. Nodes of `previous` not in the graph are
ignored.

Positions are ``{entity_id: (x, y)}``; a full layout is centred and scaled so that the
largest coordinate is 1 (aspect kept). Incremental results are in `previous`'s frame:
pinned nodes keep their exact coordinates; moved ones beyond +-0.9 are eased into [-1, 1]
(into the square of the largest coordinate of `previous`, should that be larger).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.spatial import cKDTree

from kg.graph._forces import refine
from kg.graph._initial import components, pack, start
from kg.graph.model import KnowledgeGraph, projection
from nlp.progress import NEVER, CancelToken, Progress, Work, mapped, run

Positions = dict[str, tuple[float, float]]


INCREMENTAL_STEPS = 40
REACH = 3.0
"""In incremental layouts only nodes closer than this many edge lengths (or gaps between
neighbouring nodes, when those are shorter) repel."""
BIG = 200
"""Components larger than this are refined on their own; the smaller ones together."""


def iterations_for(n: int) -> int:
    """Refinement steps for a component of `n` nodes (pivot MDS has done the coarse work)."""
    return int(np.clip(30 + 3000 / np.sqrt(max(n, 1)), 50, 250))


def layout(
    graph: KnowledgeGraph | nx.Graph,
    *,
    seed: int = 0,
    iterations: int | None = None,
    previous: Mapping[str, tuple[float, float]] | None = None,
    pinned: Collection[str] | None = None,
    cancel: CancelToken = NEVER,
) -> Work[Positions]:
    """Positions of every entity of `graph` (see the module docstring); long work.

    `iterations` overrides the refinement steps (per component group); `seed` makes the
    result reproducible (same graph, same seed, same machine: same positions)."""
    g = projection(graph) if isinstance(graph, KnowledgeGraph) else graph
    nodes = sorted(g.nodes)
    n = len(nodes)
    if n == 0:
        return {}
    at = {v: i for i, v in enumerate(nodes)}
    pairs = sorted((min(at[u], at[v]), max(at[u], at[v]), w)  # the order the graph was
                   for u, v, w in g.edges(data="weight", default=1) if u != v)  # built in
    edges = np.array([(u, v) for u, v, _ in pairs], dtype=np.intp).reshape(-1, 2)
    weights = 1.0 + np.log(np.array([w for *_, w in pairs], dtype=float))
    rng = np.random.default_rng(seed)
    yield Progress(0, 0, "starting positions", "layout")
    if previous:
        return (yield from _incremental(nodes, edges, weights, previous, pinned, rng,
                                        iterations, cancel))
    pos = yield from _full(edges, weights, n, rng, iterations, cancel)
    pos -= (pos.min(axis=0) + pos.max(axis=0)) / 2
    pos /= max(float(np.abs(pos).max()), 1e-12)
    return {v: (float(pos[i, 0]), float(pos[i, 1])) for i, v in enumerate(nodes)}


def _full(
    edges: np.ndarray, weights: np.ndarray, n: int, rng: np.random.Generator,
    iterations: int | None, cancel: CancelToken,
) -> Work[np.ndarray]:
    adjacency = sp.csr_array(
        (np.ones(2 * len(edges)), (np.r_[edges[:, 0], edges[:, 1]],
                                   np.r_[edges[:, 1], edges[:, 0]])), shape=(n, n))
    comps = components(adjacency)
    pos = np.zeros((n, 2))
    for c in comps:
        if len(c) > 1:
            pos[c] = start(adjacency[c][:, c], rng)
        cancel.check()
    groups = [c for c in comps if len(c) > BIG]
    rest = [c for c in comps if 1 < len(c) <= BIG]
    if rest:
        groups.append(np.concatenate(rest))
    steps = [iterations or iterations_for(len(g)) for g in groups]
    done, total = 0, sum(steps)
    for index, (group, k) in enumerate(zip(groups, steps, strict=True)):
        local = np.full(n, -1)
        local[group] = np.arange(len(group))
        sub = local[edges] if len(edges) else edges
        inside = (sub >= 0).all(axis=1)
        labels = None
        sub_pos = pos[group]
        if rest and index == len(groups) - 1:  # the small components, side by side
            sizes = [len(c) for c in rest]
            parts = np.split(np.arange(len(group)), np.cumsum(sizes)[:-1])
            sub_pos = pack(sub_pos, parts)
            labels = np.repeat(np.arange(len(rest)), sizes)
        work = refine(sub_pos, sub[inside], weights[inside], iterations=k, start=2.0,
                      groups=labels, cancel=cancel)
        pos[group] = yield from _offset(work, done, total)
        done += k
    return pack(pos, comps)


def _offset(work: Work[np.ndarray], done: int, total: int) -> Work[np.ndarray]:
    """`work`'s steps as part of `total` steps, `done` of which went before."""
    return mapped(work, lambda step: Progress(done + step.done, total, step.message, "layout"))


def compute_layout(graph: KnowledgeGraph | nx.Graph, **options: object) -> Positions:
    """`layout` driven to its end (no progress)."""
    return run(layout(graph, **options))  # type: ignore[arg-type]


def _incremental(
    nodes: list[str],
    edges: np.ndarray,
    weights: np.ndarray,
    previous: Mapping[str, tuple[float, float]],
    pinned: Collection[str] | None,
    rng: np.random.Generator,
    iterations: int | None,
    cancel: CancelToken,
) -> Work[Positions]:
    n = len(nodes)
    known = np.array([v in previous for v in nodes])
    fixed = known if pinned is None else np.array([v in pinned and v in previous
                                                   for v in nodes])
    old = np.array([previous.get(v, (0.0, 0.0)) for v in nodes], dtype=float)
    scale = _frame_scale(old, known, edges)
    pos = old * scale
    placed = known.copy()
    neighbours: list[list[int]] = [[] for _ in range(n)]
    for u, v in edges:
        neighbours[u].append(v)
        neighbours[v].append(u)
    frontier = [i for i in range(n) if not placed[i]]
    while frontier:  # breadth first out of the placed part
        ready = [i for i in frontier if any(placed[j] for j in neighbours[i])]
        if not ready:
            break
        for i in ready:
            near = [j for j in neighbours[i] if placed[j]]
            pos[i] = pos[near].mean(axis=0) + rng.normal(0.0, 0.3, 2)
        placed[ready] = True
        frontier = [i for i in frontier if not placed[i]]
    if frontier:  # no placed neighbour anywhere: in the emptiest of a few random spots
        pos[frontier] = _empty_spots(pos[placed], len(frontier), scale, rng)
    cancel.check()
    steps = 0 if fixed.all() else iterations or INCREMENTAL_STEPS
    reach = REACH
    if known.sum() > 1:  # where nodes sit closer than edges are long, so does the reach
        gap = cKDTree(pos[known]).query(pos[known], 2)[0][:, 1]
        reach = min(REACH, REACH * max(float(np.median(gap)), 1e-3))
    pos = yield from refine(pos, edges, weights, iterations=steps, start=0.5, fixed=fixed,
                            reach=reach, cancel=cancel)
    bound = max(1.0, float(np.abs(old[known]).max()) if known.any() else 1.0)
    pos = _squash(pos / scale / bound) * bound
    return {v: previous[v] if fixed[i] else (float(pos[i, 0]), float(pos[i, 1]))
            for i, v in enumerate(nodes)}


def _squash(xy: np.ndarray, knee: float = 0.9) -> np.ndarray:
    """Coordinates beyond +-`knee` eased into [-1, 1] (smoothly, keeping their order), so
    nodes pushed out of the frame do not pile up on its edge."""
    over = np.maximum(np.abs(xy) - knee, 0.0)
    eased = (1.0 - knee) * -np.expm1(-over / (1.0 - knee))
    return np.where(over > 0, np.sign(xy) * (knee + eased), xy)


def _empty_spots(taken: np.ndarray, count: int, scale: float, rng: np.random.Generator
                 ) -> np.ndarray:
    """`count` spots in the frame ([-scale, scale] squared), each the one of 16 random
    candidates farthest from `taken`."""
    candidates = rng.uniform(-scale, scale, (count, 16, 2))
    if not len(taken):
        return candidates[:, 0]
    gap, _ = cKDTree(taken).query(candidates.reshape(-1, 2))
    best = gap.reshape(count, 16).argmax(axis=1)
    return candidates[np.arange(count), best]


def _frame_scale(old: np.ndarray, known: np.ndarray, edges: np.ndarray) -> float:
    """Internal units per unit of `previous`'s frame: edges of the known part at length 1."""
    both = known[edges[:, 0]] & known[edges[:, 1]] if len(edges) else np.zeros(0, bool)
    if both.any():
        d = old[edges[both, 0]] - old[edges[both, 1]]
        length = float(np.median(np.hypot(d[:, 0], d[:, 1])))
        if length > 1e-9:
            return 1.0 / length
    return max(float(np.sqrt(len(old))) / 2, 1.0)  # as a full layout of this many nodes
