"""`GraphState`: what the graph view shows and what the user asked of it. No Qt.

It holds one `GraphData` (graph, analytics, layout, search index; computed by the worker),
its `VisibleGraph` (arrays, filters applied) and the user's choices: filters (entity types,
minimum relation confidence, one document), hidden, revealed and pinned nodes, the selection
(up to two nodes, or one edge), the shortest path between the two selected nodes, the
hovered node, the size metric and the colour mode. Views observe `changed` with an aspect
(`DATA`: new data or positions, `VISIBLE`, `STYLE`, `SELECTION`, `HOVER`, `FOCUS`: centre
on `focus`) and render; user intent comes back as method calls. The confidence filter acts on
relations only: an entity stays when its relations are filtered out.

Clicking a node shows its mentions in the document view through `ProjectState` (as the
mentions panel does); clicking an edge lists its evidence (`KnowledgeGraph.evidence`).
Merging and splitting entities: `graph_resolve`; side-panel texts: `graph_text`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from desktop.state import graph_style as style
from desktop.state.events import Event
from desktop.state.graph_data import GraphData, Positions, load_work, relayout_work
from desktop.state.graph_visible import Filters, Pair, VisibleGraph, pair

if TYPE_CHECKING:
    import networkx as nx

    from desktop.state.project_state import ProjectState
    from kg.graph import Entity, Evidence
    from nlp.progress import CancelToken, Work

DATA, VISIBLE, STYLE, SELECTION, FOCUS, HOVER = (
    "data", "visible", "style", "selection", "focus", "hover")


class GraphState:
    """The graph view's state for one open project (see the module docstring)."""

    def __init__(self, project_state: ProjectState) -> None:
        self.project_state = project_state
        self.data: GraphData | None = None
        self.visible = VisibleGraph()
        self.changed: Event[[str]] = Event()
        self.stale = True
        """The project changed since `data` was computed (or nothing was loaded yet)."""
        self.filters = Filters()
        self.pinned: set[str] = set()
        self.selected: tuple[str, ...] = ()
        """Up to two node ids, the most recently picked last."""
        self.selected_edge: Pair | None = None
        self.path: tuple[str, ...] = ()
        self.hovered: str | None = None
        self.focus: str | None = None
        """The node the view should centre on (after a search)."""
        self.size_by = "degree"
        self.colour_by = "type"
        self.label_count = 40
        """How many of the most central visible nodes are offered a label."""
        self.message = ""
        """A short note about the last request (no path, no match...), plain text; a view
        shows it once and clears it."""
        self._turn: dict[str, int] = {}

    # -- loading ------------------------------------------------------------------------------
    def load_work(self, cancel: CancelToken) -> Work[GraphData]:
        """Long work: the project's graph data (nodes keep their place where they had one)."""
        previous = self.visible.positions() if self.data is not None else None
        return load_work(self.project_state.project, previous=previous, cancel=cancel)

    def set_data(self, data: GraphData) -> None:
        """Show `data` (from `load_work`); choices about nodes that are gone are dropped."""
        self.data, self.stale = data, False
        self.visible = VisibleGraph(data)
        known = set(self.visible.node_index)
        f = self.filters
        self.filters = replace(f, revealed=f.revealed & known, hidden=f.hidden & known)
        self.visible.apply(self.filters)
        self.pinned &= known
        self.selected = tuple(n for n in self.selected if self.visible.is_visible(n))
        if self.selected_edge is not None and not self.visible.edge_visible(self.selected_edge):
            self.selected_edge = None
        self.path, self.hovered = (), None
        self.changed.emit(DATA)

    def relayout_input(self) -> nx.Graph:
        """The visible nodes and edges as a weighted networkx graph for `relayout_work`
        (built on the thread that owns the state; the worker gets it for itself)."""
        import networkx as nx

        v = self.visible
        g = nx.Graph()
        g.add_nodes_from(v.visible_nodes())
        for u, w in v.visible_edges():
            g.add_edge(u, w, weight=int(v.pair_count[v.pair_index[(u, w)]]))
        return g

    def relayout_work(self, g: nx.Graph, cancel: CancelToken) -> Work[Positions]:
        previous = self.visible.positions() if self.pinned else None
        return relayout_work(g, previous=previous, pinned=frozenset(self.pinned), cancel=cancel)

    def set_positions(self, layout: Positions) -> None:
        self.visible.move(layout)
        self.changed.emit(DATA)

    # -- reading ------------------------------------------------------------------------------
    def entity(self, node: str) -> Entity:
        assert self.data is not None
        return self.data.graph.entity(node)

    def entity_types(self) -> list[str]:
        """Entity types in the graph, the default ones first."""
        from desktop.state.project_state import ENTITY_TYPES

        present = set(self.visible.labels)
        return [t for t in ENTITY_TYPES if t in present] + sorted(present - set(ENTITY_TYPES))

    def score(self, node: str, metric: str | None = None) -> float:
        if self.data is None:
            return 0.0
        return float(self.data.scores[metric or self.size_by].get(node, 0.0))

    def radii(self) -> list[float]:
        """A radius per node of `visible.node_ids`, from the chosen metric."""
        scores = self.data.scores[self.size_by] if self.data is not None else {}
        return style.radii(scores, self.visible.node_ids)

    def colour(self, node: str) -> str:
        community = self.data.communities.get(node, -1) if self.data is not None else -1
        return style.node_colour(self.colour_by, self.visible.label(node), community,
                                 dark=self.project_state.dark)

    def label_candidates(self, within: tuple[float, float, float, float] | None = None
                         ) -> tuple[list[str], int]:
        """Nodes offered a label, most important first, and how many must show (hovered,
        selected, on the path); then the `label_count` most central visible ones by the size
        metric, then by mentions (inside the scene box ``(left, top, right, bottom)`` when
        given: zooming in shows more names)."""
        v = self.visible
        must = list(dict.fromkeys(n for n in (self.hovered, *self.selected, *self.path)
                                  if n is not None and v.is_visible(n)))
        if self.data is None or not len(v):
            return must, len(must)
        mask = v.node_shown.copy()
        if within is not None:
            left, top, right, bottom = within
            x, y = v.xy_array[:, 0], v.xy_array[:, 1]
            mask &= (x >= left) & (x <= right) & (y >= top) & (y <= bottom)
        index = np.flatnonzero(mask)
        scores, mentions = self.data.scores[self.size_by], self.data.scores["mentions"]
        values = np.array([scores.get(v.node_ids[i], 0.0) for i in index], dtype=float)
        counts = np.array([mentions.get(v.node_ids[i], 0.0) for i in index], dtype=float)
        order = np.lexsort((-counts, -values))  # ties (isolated nodes): most mentioned first
        top_k = index[order[: self.label_count + len(must)]]
        ranked = [v.node_ids[i] for i in top_k]
        return must + [n for n in ranked if n not in must][: self.label_count], len(must)

    # -- filters ------------------------------------------------------------------------------
    def set_types(self, types: Collection[str] | None) -> None:
        self._filter(replace(self.filters,
                             types=frozenset(types) if types is not None else None))

    def set_min_confidence(self, value: float) -> None:
        self._filter(replace(self.filters, min_confidence=float(value)))

    def set_document(self, document: str | None) -> None:
        self._filter(replace(self.filters, document=document))

    def hide(self, node: str) -> None:
        self.pinned.discard(node)
        f = self.filters
        self._filter(replace(f, hidden=f.hidden | {node}, revealed=f.revealed - {node}))

    def show_all(self) -> None:
        """Forget hidden and revealed nodes (the filters stay)."""
        self._filter(replace(self.filters, hidden=frozenset(), revealed=frozenset()))

    def expand(self, node: str) -> list[str]:
        """Show every neighbour of `node` (whatever the filters); the ones that were not shown."""
        near = self.visible.neighbours(node)
        new = [n for n in near if not self.visible.is_visible(n)]
        self.message = f"{len(new)} more shown" if new else "all its neighbours were shown"
        f = self.filters
        self._filter(replace(f, revealed=f.revealed | set(near) | {node},
                             hidden=f.hidden - set(near) - {node}))
        return new

    def _filter(self, f: Filters) -> None:
        self.filters = f
        self.visible.apply(f)
        self.selected = tuple(n for n in self.selected if self.visible.is_visible(n))
        if self.selected_edge is not None and not self.visible.edge_visible(self.selected_edge):
            self.selected_edge = None
        if self.path and not all(self.visible.is_visible(n) for n in self.path):
            self.path = ()
        self.changed.emit(VISIBLE)

    def pin(self, node: str, pinned: bool = True) -> None:
        """Pinned nodes keep their place when the layout is run again."""
        (self.pinned.add if pinned else self.pinned.discard)(node)
        self.changed.emit(SELECTION)

    # -- style --------------------------------------------------------------------------------
    def set_size_by(self, metric: str) -> None:
        if metric not in style.SIZE_METRICS:
            raise ValueError(f"unknown size metric {metric!r}")
        self.size_by = metric
        self.changed.emit(STYLE)

    def set_colour_by(self, mode: str) -> None:
        if mode not in style.COLOUR_MODES:
            raise ValueError(f"unknown colour mode {mode!r}")
        self.colour_by = mode
        self.changed.emit(STYLE)

    # -- selection ----------------------------------------------------------------------------
    def select(self, node: str | None, *, add: bool = False) -> None:
        """Select `node` (None: clear); `add` keeps the last selected one too (two at most)."""
        if node is None:
            self.selected = ()
        elif add and self.selected and self.selected[-1] != node:
            self.selected = (self.selected[-1], node)
        else:
            self.selected = (node,)
        self.selected_edge, self.path = None, ()
        self.changed.emit(SELECTION)

    def select_edge(self, edge: Pair | None) -> None:
        self.selected_edge = pair(*edge) if edge is not None else None
        self.selected, self.path = (), ()
        self.changed.emit(SELECTION)

    def hover(self, node: str | None) -> None:
        if node != self.hovered:
            self.hovered = node
            self.changed.emit(HOVER)

    def shortest_path(self) -> tuple[str, ...]:
        """The fewest-hops path between the two selected nodes over the visible edges (it is
        highlighted); () with a `message` when there is none."""
        if len(self.selected) != 2:
            self.message = "select two entities (Ctrl+click the second) for a path"
            return ()
        a, b = self.selected
        found = self.visible.shortest_path(a, b)
        self.path = found or ()
        names = f"{self.entity(a).name} and {self.entity(b).name}"
        self.message = (f"path of {len(found) - 1} step{'s' * (len(found) != 2)}" if found
                        else f"no path between {names} among the shown relations")
        self.changed.emit(SELECTION)
        return self.path

    def search(self, text: str) -> str | None:
        """Select, show and centre the entity best matching `text`; None if none does."""
        from kg.query.search import search

        if self.data is None or not text.strip():
            return None
        hits = [h for h in search(self.data.search, text, limit=50)
                if h.entity_id in self.visible.node_index]
        if not hits:
            self.message = f"no entity matches {text.strip()!r}"
            self.changed.emit(SELECTION)
            return None
        node = hits[0].entity_id
        if not self.visible.is_visible(node):
            f = self.filters
            self._filter(replace(f, revealed=f.revealed | {node}, hidden=f.hidden - {node}))
        self.message = ""
        self.select(node)
        self.focus = node
        self.changed.emit(FOCUS)
        return node

    def evidence(self) -> list[Evidence]:
        """The sentences behind the selected edge (relations passing the filters), surest
        first."""
        if self.data is None or self.selected_edge is None:
            return []
        a, b = self.selected_edge
        f, graph = self.filters, self.data.graph
        found = [graph.evidence(r.id) for r in graph.relations(entity=a)
                 if {r.head, r.tail} == {a, b} and r.confidence >= f.min_confidence
                 and (f.document is None or r.document == f.document)]
        found.sort(key=lambda e: (-e.confidence, e.relation))
        return found

    # -- the document view --------------------------------------------------------------------
    def show_mentions(self, node: str) -> bool:
        """Show the next mention of `node` in the document view (cycling through them)."""
        if self.data is None:
            return False
        mentions = self.data.graph.mentions_of(node)
        if not mentions:
            return False
        turn = self._turn.get(node, -1) + 1
        self._turn[node] = turn
        m = mentions[turn % len(mentions)]
        return self._show_mention(m.document, m.id)

    def show_evidence(self, evidence: Evidence) -> bool:
        """Show the head mention of `evidence` (its sentence) in the document view."""
        head = evidence.head or evidence.tail
        return head is not None and self._show_mention(evidence.document, head.mention)

    def _show_mention(self, document: str, mention: int) -> bool:
        ps = self.project_state
        if ps.selected is None or ps.selected.id != document:
            ps.select(document)
        index = next((i for i, m in enumerate(ps.mentions) if m.id == mention), None)
        if index is None:
            return False
        ps.focus_mention(index)
        return True
