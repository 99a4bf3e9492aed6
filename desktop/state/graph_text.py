"""Texts of the graph view's side panel, made from the state (plain text: show with
Qt.PlainText or in item views, which never read HTML)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from desktop.state.graph_style import SIZE_METRICS
from desktop.state.graph_visible import Pair, pair

if TYPE_CHECKING:
    from desktop.state.graph_state import GraphState
    from kg.graph import Evidence

_HELP = ("Click a node to see its mentions in the text, an edge for the sentences it comes "
         "from. Ctrl+click a second node, then right-click › Shortest path. Drag to pan, "
         "wheel or +/- to zoom, 0 to fit.")


def hint(state: GraphState) -> str:
    """What the side panel says when no edge is selected."""
    if state.data is None:
        return "The graph is loading…" if state.stale else "No graph."
    if not state.selected:
        return _HELP
    if len(state.selected) == 2:
        a, b = (state.entity(n).name for n in state.selected)
        lines = [f"Selected: {a} and {b}"]
        if state.path:
            names = " → ".join(state.entity(n).name for n in state.path)
            lines.append(f"Path: {names}")
        else:
            lines.append("Right-click › Shortest path to highlight the path between them.")
        return "\n".join(lines)
    return node_text(state, state.selected[-1])


def node_text(state: GraphState, node: str) -> str:
    """A node's details: name, type, mentions, aliases, its scores, whether it is pinned."""
    e = state.entity(node)
    lines = [e.name, f"{e.label} · {e.mentions} mention{'s' * (e.mentions != 1)} in "
             f"{len(e.documents)} document{'s' * (len(e.documents) != 1)}"]
    if e.aliases:
        lines.append("also: " + ", ".join(e.aliases[:5]))
    lines.append(" · ".join(f"{label} {state.score(node, key):.3g}"
                            for key, label in SIZE_METRICS.items()))
    if node in state.pinned:
        lines.append("pinned")
    return "\n".join(lines)


def links(state: GraphState, node: str) -> list[tuple[Pair, str]]:
    """The shown edges at `node`, each with a line naming its relation labels (arrow out or
    in, how many) and the other entity; most relations first. Clicking one selects the edge."""
    if state.data is None:
        return []
    f, graph = state.filters, state.data.graph
    found: dict[Pair, list[str]] = {}
    for r in graph.relations(entity=node):
        other = r.tail if r.head == node else r.head
        edge = pair(node, other)
        if other != node and state.visible.edge_visible(edge) \
                and r.confidence >= f.min_confidence \
                and (f.document is None or r.document == f.document):
            found.setdefault(edge, []).append(("→ " if r.head == node else "← ") + r.label)
    rows = []
    for edge, labels in found.items():
        other = edge[1] if edge[0] == node else edge[0]
        kinds = ", ".join(f"{k} ×{labels.count(k)}" if labels.count(k) > 1 else k
                          for k in sorted(set(labels)))
        rows.append((edge, f"{kinds}  {state.entity(other).name}", len(labels)))
    rows.sort(key=lambda row: (-row[2], row[1]))
    return [(edge, text) for edge, text, _ in rows]


def edge_title(state: GraphState, evidence: Sequence[Evidence]) -> str:
    """``A — Work_For → B`` and how many relations (sentences) support the edge."""
    if state.selected_edge is None:
        return ""
    a, b = state.selected_edge
    names = {a: state.entity(a).name, b: state.entity(b).name}
    arrows = sorted({f"{names[e.head.entity]} — {e.label} → {names[e.tail.entity]}"
                     if e.head and e.tail and e.head.entity in names and e.tail.entity in names
                     else f"{names[a]} — {e.label} — {names[b]}" for e in evidence})
    count = sum(not e.predicted for e in evidence)
    shown = "\n".join(arrows[:4]) if arrows else f"{names[a]} — {names[b]}"
    accepted = sum(e.predicted for e in evidence)
    also = f" (and {accepted} accepted link prediction{'s' * (accepted != 1)})" if accepted else ""
    return f"{shown}\n{count} sentence{'s' * (count != 1)} state{'s' * (count == 1)} it{also}:"


def evidence_text(ev: Evidence) -> str:
    """One evidence row: the document and label, the sentence, who or what said it; for an
    accepted link prediction, the embedding model, its score, who accepted it and when."""
    if ev.predicted:
        score = f" · score {ev.score:.3f}" if ev.score is not None else ""
        return (f"accepted link prediction · {ev.label}\n{ev.model or 'embedding model'}"
                f"{score}\naccepted by {ev.confirmed_by} at {ev.confirmed_at}")
    sentence = " ".join(ev.sentence_text.split()) or "(sentence not available)"
    who = ev.model or "added by a person"
    line = f"{who} · confidence {ev.confidence:.2f}"
    if ev.confirmed_by:
        line += f" · confirmed by {ev.confirmed_by}"
    if ev.status != "suggested":
        line += f" · {ev.status}"
    title = " ".join((ev.document_title or ev.document_source or ev.document).split())
    return f"{title} · {ev.label}\n{sentence}\n{line}"
