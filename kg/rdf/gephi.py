"""Entity networks for Gephi and friends: GraphML and GEXF, written with networkx.

Nodes are entities, with the entity id as in its IRI (percent-encoded where it is not plain) as
node id, and ``label`` (name), ``type`` (entity type), ``mentions`` (exported mentions linked
to it), ``aliases`` (joined with `ALIAS_SEPARATOR`) and ``iri`` (its IRI in the RDF export).
Edges are the relations between entities (see `facts`), aggregated per (head, tail, relation
label) into one edge of a directed multigraph (edge ids ``r0``, ``r1``... unique in the file),
with ``label`` and ``relation`` (the relation label; GEXF reserves an edge's ``type`` for
directed/undirected), ``weight`` (number of occurrences), ``confidence`` (the highest) and
``documents`` (ids of the documents that state it, sorted, joined with ``;``) and
``predicted`` (how many of its occurrences are link predictions a person accepted: no
document, confidence 1). Text is cleaned of what XML cannot hold (`facts.clean`); every value
is a str, int or float.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import BinaryIO

import networkx as nx

from kg.rdf.facts import clean, select
from kg.rdf.formats import Format, Written
from kg.rdf.iri import segment
from kg.rdf.vocab import Minter
from kg.records import Snapshot

ALIAS_SEPARATOR = " | "
DOCUMENT_SEPARATOR = ";"


@dataclass(slots=True)
class _Edge:
    weight: int = 0
    confidence: float = 0.0
    documents: set[str] = field(default_factory=set)
    predicted: int = 0


def snapshot_to_network(snap: Snapshot, base: str) -> nx.MultiDiGraph:
    """The entity network of `snap` (see the module docstring)."""
    sel, iri = select(snap), Minter(base)
    mentions: dict[str, int] = {}
    for mention in sel.mentions.values():
        entity = sel.entity_of(mention)
        if entity is not None:
            mentions[entity.id] = mentions.get(entity.id, 0) + 1
    graph = nx.MultiDiGraph()
    for entity in sel.entities.values():
        graph.add_node(
            segment(entity.id),
            label=clean(entity.name),
            type=clean(entity.label),
            mentions=mentions.get(entity.id, 0),
            aliases=clean(ALIAS_SEPARATOR.join(entity.aliases)),
            iri=str(iri.entity(entity.id)),
        )
    edges: dict[tuple[str, str, str], _Edge] = {}
    for occ in sel.occurrences:
        if occ.head_entity is None or occ.tail_entity is None:
            continue
        rel = occ.relation
        edge = edges.setdefault((occ.head_entity.id, occ.tail_entity.id, rel.label), _Edge())
        edge.weight += 1
        if math.isfinite(rel.confidence):
            edge.confidence = max(edge.confidence, float(rel.confidence))
        edge.documents.add(rel.document)
    for link in snap.links:
        if link.head in sel.entities and link.tail in sel.entities:
            edge = edges.setdefault((link.head, link.tail, link.label), _Edge())
            edge.weight += 1
            edge.predicted += 1
            edge.confidence = 1.0
    for i, ((head, tail, label), edge) in enumerate(sorted(edges.items())):
        graph.add_edge(
            segment(head),
            segment(tail),
            key=f"r{i}",
            label=clean(label),
            relation=clean(label),
            weight=edge.weight,
            confidence=edge.confidence,
            documents=clean(DOCUMENT_SEPARATOR.join(sorted(edge.documents))),
            predicted=edge.predicted,
        )
    return graph


def write_graphml(snap: Snapshot, spec: Format, stream: BinaryIO, base: str) -> Written:
    graph = snapshot_to_network(snap, base)
    nx.write_graphml(graph, stream, encoding="utf-8")
    return Written(graph.number_of_nodes(), "nodes", graph.number_of_edges())


def write_gexf(snap: Snapshot, spec: Format, stream: BinaryIO, base: str) -> Written:
    graph = snapshot_to_network(snap, base)
    nx.write_gexf(graph, stream, encoding="utf-8")
    return Written(graph.number_of_nodes(), "nodes", graph.number_of_edges())
