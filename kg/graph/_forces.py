"""Force-directed refinement with grid-approximated repulsion (numpy FFT).

Fruchterman-Reingold forces: every pair of nodes repels with k^2 / d (here k = 1), every
edge attracts with d^2 (times its weight). The all-pairs repulsion is a convolution: node
mass is spread on a G x G grid (cloud-in-cell), convolved with the force kernel d / |d|^2
by FFT (zero-padded, so no wrap-around) and read back at each node: one iteration costs
O(n + m + G^2 log G) instead of O(n^2). The grid cannot resolve pairs closer than a cell
or two, so the kernel on the grid fades out below two cells and those close pairs (a k-d
tree finds them) repel exactly.
"""

from __future__ import annotations

from itertools import chain

import numpy as np
from scipy.spatial import cKDTree

from nlp.progress import NEVER, CancelToken, Progress, Work

NEAR = 2.0
"""Pairs closer than this many cells repel exactly (found with a k-d tree)."""
OUTLIERS = 0.005
"""Fraction of nodes on each side (per axis) left off the grid."""


class Repulsion:
    """The repulsive force field of a point set on a `size` x `size` grid."""

    def __init__(self, size: int) -> None:
        self.size = size
        full = 2 * size
        d = np.fft.fftfreq(full, 1.0 / full)  # offsets 0, 1, ..., size-1, -size, ..., -1
        dx, dy = np.meshgrid(d, d, indexing="ij")
        r = np.hypot(dx, dy)
        far = _ramp(r) / np.maximum(r * r, 1e-12)
        self._fx = np.fft.rfft2(dx * far)
        self._fy = np.fft.rfft2(dy * far)

    def __call__(self, pos: np.ndarray) -> np.ndarray:
        """Force on each node of `pos` (n x 2) from all the others. The grid spans all but
        the outermost nodes; those feel the grid's total mass from its centre of mass."""
        size, full = self.size, 2 * self.size
        lo, hi = np.quantile(pos, OUTLIERS, axis=0), np.quantile(pos, 1 - OUTLIERS, axis=0)
        span = max(float((hi - lo).max()) * 1.05, 1e-9)
        lo = (lo + hi) / 2 - span / 2
        h = span / (size - 1.001)
        u = (pos - lo) / h
        inside = np.all((u >= 0) & (u <= size - 1.001), axis=1)
        i = np.clip(np.floor(u).astype(np.intp), 0, size - 2)
        f = np.clip(u - i, 0.0, 1.0)
        corners = []
        for cx, cy in ((0, 0), (1, 0), (0, 1), (1, 1)):
            w = (f[:, 0] if cx else 1 - f[:, 0]) * (f[:, 1] if cy else 1 - f[:, 1])
            corners.append(((i[:, 0] + cx) * full + i[:, 1] + cy, w * inside))
        grid = np.zeros(full * full)
        for idx, w in corners:
            grid += np.bincount(idx, weights=w, minlength=full * full)
        spectrum = np.fft.rfft2(grid.reshape(full, full))
        out = np.zeros_like(pos)
        for axis, kernel in enumerate((self._fx, self._fy)):
            field = np.fft.irfft2(spectrum * kernel, s=(full, full)).ravel()
            out[:, axis] = sum(field[idx] * w for idx, w in corners)
        out /= h
        near = cKDTree(pos).query_pairs(NEAR * h, output_type="ndarray")
        if len(near):
            a, b = near[:, 0], near[:, 1]
            d = pos[a] - pos[b]
            r2 = (d * d).sum(axis=1) + 1e-6
            push = d * ((1.0 - _ramp(np.sqrt(r2) / h)) / r2)[:, None]
            for axis in (0, 1):
                out[:, axis] += np.bincount(a, push[:, axis], len(pos)) - np.bincount(
                    b, push[:, axis], len(pos))
        if not inside.all():
            centre = pos[inside].mean(axis=0) if inside.any() else pos.mean(axis=0)
            d = pos[~inside] - centre
            out[~inside] = d * (inside.sum() / np.maximum((d * d).sum(axis=1), 1e-9))[:, None]
        return out


def _local(pos: np.ndarray, movers: np.ndarray, reach: float) -> np.ndarray:
    """Exact repulsion on `movers` from every node closer than `reach`."""
    found = cKDTree(pos).query_ball_point(pos[movers], reach)
    counts = np.fromiter((len(f) for f in found), np.intp, len(found))
    a = np.repeat(movers, counts)
    b = np.fromiter(chain.from_iterable(found), np.intp, int(counts.sum()))
    a, b = a[a != b], b[a != b]
    d = pos[a] - pos[b]
    push = d / ((d * d).sum(axis=1) + 1e-6)[:, None]
    out = np.zeros_like(pos)
    for axis in (0, 1):
        out[:, axis] = np.bincount(a, push[:, axis], len(pos))
    return out


def _ramp(cells: np.ndarray) -> np.ndarray:
    """Share of the grid in the force at a distance of `cells`: none below one cell, all
    from `NEAR` cells on (smoothly); exact pairs make up the rest."""
    t = np.clip(cells - 1.0, 0.0, NEAR - 1.0) / (NEAR - 1.0)
    return t * t * (3.0 - 2.0 * t)


def grid_size(n: int) -> int:
    """About two cells per node along each side of a layout of `n` nodes at unit spacing."""
    return int(np.clip(2 ** np.ceil(np.log2(max(2.0 * np.sqrt(n), 1.0))), 16, 256))


def refine(
    pos: np.ndarray,
    edges: np.ndarray,
    weights: np.ndarray,
    *,
    iterations: int,
    start: float,
    fixed: np.ndarray | None = None,
    groups: np.ndarray | None = None,
    reach: float | None = None,
    cancel: CancelToken = NEVER,
    stage: str = "layout",
) -> Work[np.ndarray]:
    """Move `pos` (n x 2, changed in place and returned) for `iterations` steps, at most
    `start` far at first, cooling to a tenth. `fixed` nodes do not move; nodes of one
    `groups` label (e.g. a component) move only relative to each other (their mean stays).
    With `reach`, only nodes closer than that repel (local touch-ups: no global pressure)."""
    n = len(pos)
    if n < 2 or iterations <= 0:
        return pos
    repulse = Repulsion(grid_size(n)) if reach is None else None
    movers = np.arange(n) if fixed is None else np.flatnonzero(~fixed)
    u, v = edges[:, 0], edges[:, 1]
    moving = np.ones(n) if fixed is None else (~fixed).astype(float)
    count = None if groups is None else np.bincount(groups).astype(float)
    report = max(1, iterations // 20)
    for step in range(iterations):
        cancel.check()
        force = repulse(pos) if repulse is not None else _local(pos, movers, reach or 1.0)
        if len(edges):
            d = pos[v] - pos[u]
            pull = d * (np.hypot(d[:, 0], d[:, 1]) * weights)[:, None]
            for axis in (0, 1):
                force[:, axis] += np.bincount(u, pull[:, axis], n) - np.bincount(
                    v, pull[:, axis], n)
        temperature = start * (0.1 ** (step / max(1, iterations - 1)))
        length = np.hypot(force[:, 0], force[:, 1])
        scale = np.minimum(length, temperature) / np.maximum(length, 1e-12) * moving
        move = force * scale[:, None]
        if groups is not None and count is not None:
            for axis in (0, 1):
                move[:, axis] -= (np.bincount(groups, move[:, axis]) / count)[groups]
        pos += move
        if step % report == 0:
            yield Progress(step, iterations, "", stage)
    return pos
