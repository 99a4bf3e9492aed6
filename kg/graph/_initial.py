"""Starting positions and packing for the layout.

Pivot MDS (Brandes & Pich 2006) places a component: breadth-first distances from a few
well-spread pivots, double-centred, projected on their two main axes. It has none of the
twists a force layout started at random gets stuck in; the forces then only refine.
Components are packed largest first: the largest in the middle, the others on shelves
around it.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components, shortest_path

PIVOTS = 40
SMALL = 12
"""Components up to this size start at random in a disc; larger ones by pivot MDS."""
MARGIN = 1.5
"""Space between packed components, in edge lengths."""


def components(adjacency: sp.csr_array) -> list[np.ndarray]:
    """Node indices of each connected component, largest first (ties: lowest node first)."""
    n = adjacency.shape[0]
    if n == 0:
        return []
    count, labels = connected_components(adjacency, directed=False)
    members = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[members], np.arange(count + 1))
    comps = [members[bounds[c] : bounds[c + 1]] for c in range(count)]
    comps.sort(key=lambda c: (-len(c), int(c[0])))
    return comps


def start(adjacency: sp.csr_array, rng: np.random.Generator) -> np.ndarray:
    """Positions (n x 2) of one connected component at about unit edge length."""
    n = adjacency.shape[0]
    if n <= SMALL:
        angle = rng.uniform(0, 2 * np.pi, n)
        radius = np.sqrt(rng.uniform(0, 1, n)) * np.sqrt(n) * 0.5
        pos = np.column_stack((np.cos(angle), np.sin(angle))) * radius[:, None]
    else:
        pos = _pivot_mds(adjacency, rng)
    return pos + rng.normal(0.0, 0.05, pos.shape)  # no two nodes on the same spot


def _pivot_mds(adjacency: sp.csr_array, rng: np.random.Generator) -> np.ndarray:
    n = adjacency.shape[0]
    k = min(PIVOTS, n)
    pivots = [int(rng.integers(n))]
    dist = np.empty((k, n))
    nearest = np.full(n, np.inf)
    for i in range(k):
        dist[i] = shortest_path(adjacency, unweighted=True, indices=pivots[i])
        nearest = np.minimum(nearest, dist[i])
        if i + 1 < k:
            pivots.append(int(np.argmax(nearest)))
    d2 = dist.T**2  # n x k
    c = -0.5 * (d2 - d2.mean(axis=0) - d2.mean(axis=1, keepdims=True) + d2.mean())
    _, vectors = np.linalg.eigh(c.T @ c)
    pos = c @ vectors[:, ::-1][:, :2]
    rows, cols = sp.triu(adjacency).nonzero()
    length = float(np.mean(np.hypot(*(pos[rows] - pos[cols]).T))) if len(rows) else 1.0
    return pos / max(length, 1e-9)


def pack(pos: np.ndarray, comps: list[np.ndarray]) -> np.ndarray:
    """`pos` with each component (largest first) moved: the first in the middle, the others
    on shelves around it, in a roughly square area centred on the origin."""
    out = pos.copy()
    if not comps:
        return out
    lows = [pos[c].min(axis=0) for c in comps]
    sizes = [pos[c].max(axis=0) - lo + MARGIN for c, lo in zip(comps, lows, strict=True)]
    area = sum(float(s[0] * s[1]) for s in sizes)
    side = max(np.sqrt(area) * 1.15, *(float(s[0]) for s in sizes))
    first = sizes[0]
    hole_lo = np.array([side / 2, side / 2]) - first / 2  # the middle, for the largest
    hole_hi = hole_lo + first
    out[comps[0]] = pos[comps[0]] - lows[0] + hole_lo
    x = y = shelf = 0.0
    for c, lo, size in zip(comps[1:], lows[1:], sizes[1:], strict=True):
        while True:
            if x + size[0] > side and x > 0:
                x, y, shelf = 0.0, y + shelf, 0.0
            if (x < hole_hi[0] and x + size[0] > hole_lo[0]
                    and y < hole_hi[1] and y + size[1] > hole_lo[1]):
                x = float(hole_hi[0])  # past the largest component
                if x + size[0] > side:
                    x, y, shelf = 0.0, y + max(shelf, 1.0), 0.0
                continue
            break
        out[c] = pos[c] - lo + (x, y)
        x += float(size[0])
        shelf = max(shelf, float(size[1]))
    return out - (out.min(axis=0) + out.max(axis=0)) / 2
