"""Which relations may be predicted, and between which entity types: read from the ontology.

Predictions are only offered for the ontology's relation properties (``skein:worksFor`` is
``Work_For``, ...), and only from an entity of the property's ``rdfs:domain`` type to one of
its ``rdfs:range`` type: a ``Live_In`` is always a person in a location.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from kg.rdf.vocab import ENTITY_CLASSES, ONTOLOGY_PATH, RELATION_PROPERTIES


@dataclass(frozen=True, slots=True)
class RelationType:
    label: str
    """The relation label as the store holds it, e.g. ``Work_For``."""
    head: str
    """Entity type of the head (domain), e.g. ``PER``."""
    tail: str
    """Entity type of the tail (range), e.g. ``ORG``."""


def ontology_relations(path: Path = ONTOLOGY_PATH) -> tuple[RelationType, ...]:
    """Every relation the ontology declares with an entity-type domain and range, by label."""
    return _read(str(path))


@functools.lru_cache(maxsize=4)
def _read(path: str) -> tuple[RelationType, ...]:
    graph = Graph()
    graph.parse(data=Path(path).read_bytes(), format="turtle")
    label_of_class = {iri: label for label, iri in ENTITY_CLASSES.items()}
    out = []
    for label, prop in sorted(RELATION_PROPERTIES.items()):
        head = _only(graph, prop, RDFS.domain, label_of_class)
        tail = _only(graph, prop, RDFS.range, label_of_class)
        if head is not None and tail is not None:
            out.append(RelationType(label, head, tail))
    return tuple(out)


def _only(graph: Graph, prop: URIRef, kind: URIRef, labels: dict[URIRef, str]) -> str | None:
    found = {labels[o] for o in graph.objects(prop, kind) if isinstance(o, URIRef) and o in labels}
    return found.pop() if len(found) == 1 else None
