"""How the graph view looks, without Qt: node sizes from a centrality, node colours by type or
community, and which labels fit on screen.

Registries (`SIZE_METRICS`, `COLOUR_MODES`) name the choices the toolbar offers; the view
looks them up by key, never by an if/elif chain.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from desktop.state.colours import label_colour

R_MIN, R_MAX = 5.0, 22.0
"""Node radius range in scene units (a full layout is `scene_scale` units from the centre)."""

SIZE_METRICS: dict[str, str] = {
    "degree": "Degree",
    "pagerank": "PageRank",
    "betweenness": "Betweenness",
    "mentions": "Mentions",
}
"""Score name -> what the toolbar calls it. Scores come from `kg.graph.analytics`."""

COMMUNITY_COLOURS = (
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#edc948",
    "#76b7b2", "#ff9da7", "#9c755f", "#86bc86", "#d37295", "#a0cbe8",
)
"""The twelve largest communities get these (mid-tone: readable on light and dark)."""
OTHER_COMMUNITY = "#9a9a9a"


def _by_type(label: str, community: int, dark: bool) -> str:
    # the pastel (light-theme) highlight colours: a dark canvas shows them best too, and a
    # node keeps the colour its type has in the document view's light theme
    return label_colour(label, dark=False)


def _by_community(label: str, community: int, dark: bool) -> str:
    if 0 <= community < len(COMMUNITY_COLOURS):
        return COMMUNITY_COLOURS[community]
    return OTHER_COMMUNITY


COLOUR_MODES: dict[str, tuple[str, Callable[[str, int, bool], str]]] = {
    "type": ("Entity type", _by_type),
    "community": ("Community", _by_community),
}
"""Mode -> (what the toolbar calls it, colour(label, community index, dark) -> ``#rrggbb``)."""


def node_colour(mode: str, label: str, community: int, *, dark: bool = False) -> str:
    return COLOUR_MODES[mode][1](label, community, dark)


def scene_scale(nodes: int) -> float:
    """Scene units per layout unit: about 45 units between neighbouring nodes at any size."""
    return max(160.0, 22.0 * math.sqrt(max(nodes, 1)))


def radii(scores: Mapping[str, float], nodes: Sequence[str]) -> list[float]:
    """A radius per node of `nodes`: the square root of its score over the largest score
    (area follows the score), mapped to [R_MIN, R_MAX]; all R_MIN when no score is above 0."""
    values = [max(float(scores.get(n, 0.0)), 0.0) for n in nodes]
    values = [v if math.isfinite(v) else 0.0 for v in values]
    top = max(values, default=0.0)
    if top <= 0:
        return [R_MIN] * len(nodes)
    return [R_MIN + (R_MAX - R_MIN) * math.sqrt(v / top) for v in values]


@dataclass(frozen=True, slots=True)
class LabelBox:
    """A candidate label on screen: its node and the rectangle it would take (pixels)."""

    node: str
    x: float
    y: float
    width: float
    height: float

    def overlaps(self, other: LabelBox, gap: float = 2.0) -> bool:
        return not (self.x + self.width + gap <= other.x or other.x + other.width + gap <= self.x
                    or self.y + self.height + gap <= other.y
                    or other.y + other.height + gap <= self.y)


def place_labels(boxes: Sequence[LabelBox], forced: int = 0) -> list[str]:
    """The nodes whose labels to draw: in the order given (most important first), each one
    that does not overlap a label already placed. The first `forced` (selected, hovered) are
    always drawn."""
    placed: list[LabelBox] = []
    for i, box in enumerate(boxes):
        if i < forced or not any(box.overlaps(p) for p in placed):
            placed.append(box)
    return [b.node for b in placed]
