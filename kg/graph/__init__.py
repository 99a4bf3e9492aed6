"""The knowledge graph: a façade over the entities and relations of a project.

* `kg.graph.model` - `KnowledgeGraph`: queries, provenance (`evidence`), incremental updates
  per document, observers.
* `kg.graph.reads` - `snapshot_for_document`, to feed `KnowledgeGraph.add_document`.
* `kg.graph.analytics` - centralities, components, communities; `analyse` as long work.
* `kg.graph.layout` - a fast, deterministic 2-D layout (full or incremental) for the GUI.

Importing `kg.graph` loads networkx; `analytics` and `layout` also numpy and scipy. No Qt.
"""

from kg.graph.model import KnowledgeGraph, Observer
from kg.graph.reads import snapshot_for_document
from kg.graph.views import Entity, Evidence, GraphChange, GraphStats, Relation, Span

__all__ = [
    "Entity",
    "Evidence",
    "GraphChange",
    "GraphStats",
    "KnowledgeGraph",
    "Observer",
    "Relation",
    "Span",
    "snapshot_for_document",
]
