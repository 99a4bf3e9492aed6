"""The analytic view of a `RecordIndex`: a networkx multigraph kept in step with it.

`AnalyticView.apply` brings the nodes and edges of the affected entities and relations to
what the records say (see `kg.graph.model` for the rules) and reports the difference.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from kg.graph._index import REJECTED, Affected, RecordIndex
from kg.graph.views import PREDICTED, TEXT, GraphChange

Attrs = dict[str, Any]
_Edge = tuple[str, str, Attrs]


class AnalyticView:
    def __init__(self) -> None:
        self.g: nx.MultiDiGraph = nx.MultiDiGraph()
        self.ends: dict[int, tuple[str, str]] = {}
        """relation id -> (head entity, tail entity) of its edge"""

    def apply(self, idx: RecordIndex, affected: Affected) -> GraphChange:
        g, ends = self.g, self.ends
        nodes_before = {e: dict(g.nodes[e]) if e in g else None for e in affected.entities}
        edges_before = {r: self.edge(r) for r in affected.relations}
        wanted = {r: _wanted_edge(idx, r) for r in affected.relations}
        for rid, want in wanted.items():
            have = ends.get(rid)
            if have is not None and (want is None or want[:2] != have):
                g.remove_edge(*have, key=rid)
                del ends[rid]
        for eid in affected.entities:
            attrs = _wanted_node(idx, eid)
            if attrs is not None:
                g.add_node(eid)
                g.nodes[eid].clear()
                g.nodes[eid].update(attrs)
            elif eid in g:
                # no edge can be left here while the index is consistent; kept safe anyway
                for u, v, rid in [*g.in_edges(eid, keys=True), *g.out_edges(eid, keys=True)]:
                    edges_before.setdefault(rid, self.edge(rid))
                    if g.has_edge(u, v, rid):
                        g.remove_edge(u, v, key=rid)
                    ends.pop(rid, None)
                g.remove_node(eid)
        for rid, want in wanted.items():
            if want is not None:
                u, v, attrs = want
                g.add_edge(u, v, key=rid)
                g.edges[u, v, rid].clear()
                g.edges[u, v, rid].update(attrs)
                ends[rid] = (u, v)
        nodes_after = {e: dict(g.nodes[e]) if e in g else None for e in nodes_before}
        edges_after = {r: self.edge(r) for r in edges_before}
        return GraphChange(*_split(nodes_before, nodes_after),
                           *_split(edges_before, edges_after))

    def edge(self, rid: int) -> _Edge | None:
        """(head, tail, attributes) of relation `rid`'s edge, None when it has none."""
        have = self.ends.get(rid)
        return None if have is None else (*have, dict(self.g.edges[(*have, rid)]))


def _wanted_node(idx: RecordIndex, eid: str) -> Attrs | None:
    rec, live = idx.entities.get(eid), idx.live.get(eid)
    if rec is None or not live:
        return None
    docs = sorted({idx.mentions[m].document for m in live})
    return {"name": rec.name, "label": rec.label, "aliases": rec.aliases,
            "mentions": len(live), "documents": tuple(docs)}


def _wanted_edge(idx: RecordIndex, rid: int) -> _Edge | None:
    if rid < 0:
        return _wanted_link(idx, rid)
    r = idx.relations.get(rid)
    if r is None or r.status == REJECTED:
        return None
    head, tail = idx.entity_of(r.head), idx.entity_of(r.tail)
    if head is None or tail is None:
        return None
    hm, tm = idx.mentions[r.head], idx.mentions[r.tail]
    return head, tail, {
        "label": r.label, "confidence": r.confidence, "status": r.status, "model": r.model,
        "document": r.document, "sentence": r.sentence, "head_mention": r.head,
        "tail_mention": r.tail, "head_span": (hm.start, hm.end),
        "tail_span": (tm.start, tm.end), "confirmed_by": r.confirmed_by,
        "confirmed_at": r.confirmed_at, "kind": TEXT, "score": None,
    }


def _wanted_link(idx: RecordIndex, rid: int) -> _Edge | None:
    """An accepted link prediction: an edge while both its entities are nodes."""
    link = idx.links.get(rid)
    if link is None or _wanted_node(idx, link.head) is None \
            or _wanted_node(idx, link.tail) is None:
        return None
    return link.head, link.tail, {
        "label": link.label, "confidence": 1.0, "status": "accepted", "model": link.model,
        "document": "", "sentence": -1, "head_mention": -1, "tail_mention": -1,
        "head_span": (0, 0), "tail_span": (0, 0), "confirmed_by": link.confirmed_by,
        "confirmed_at": link.confirmed_at, "kind": PREDICTED, "score": link.score,
    }


def _split(before: dict[Any, Any], after: dict[Any, Any]) -> tuple[frozenset[Any], ...]:
    """(added, removed, updated) keys between two states (None = absent)."""
    added = frozenset(k for k in before if before[k] is None and after[k] is not None)
    removed = frozenset(k for k in before if before[k] is not None and after[k] is None)
    updated = frozenset(k for k in before if before[k] is not None
                        and after[k] is not None and before[k] != after[k])
    return added, removed, updated
