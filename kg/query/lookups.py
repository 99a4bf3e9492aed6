"""Ready-made SPARQL queries that take values from users.

The query texts are constants; a user's value (a name, a type label, an entity id) is made
into an RDF term (`pyoxigraph.Literal`, or an IRI minted by the vocabulary with its parts
percent-encoded) and bound to a variable through the engine's substitutions, after parsing
(SEP-0007: a substituted variable must be projected, hence the extra columns).
So ``"} ; DROP ALL ; SELECT * {"`` is a name like any other: it can only ever be compared
with labels, never read as SPARQL.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from kg.query.sparql import run_query
from kg.query.store import QueryStore
from kg.rdf.facts import clean
from kg.rdf.iri import segment
from kg.rdf.vocab import entity_class

_ENTITIES_OF_TYPE = """
SELECT ?entity ?name ?class WHERE { ?entity a ?class ; rdfs:label ?name } ORDER BY ?name ?entity
"""
_ENTITIES_NAMED = """
SELECT DISTINCT ?entity ?name ?text WHERE {
  ?entity a skein:Entity ; rdfs:label ?name .
  { ?entity rdfs:label ?text } UNION { ?entity skos:altLabel ?text }
} ORDER BY ?entity
"""
_NEIGHBOURS = """
SELECT DISTINCT ?direction ?property ?other ?name ?graph ?entity WHERE {
  { GRAPH ?graph { ?entity ?property ?other } BIND("out" AS ?direction) }
  UNION
  { GRAPH ?graph { ?other ?property ?entity } BIND("in" AS ?direction) }
  ?other a skein:Entity ; rdfs:label ?name .
} ORDER BY ?name ?property ?graph
"""


@dataclass(frozen=True, slots=True)
class Neighbour:
    direction: str
    """``out`` when the entity is the subject of the fact, ``in`` when the object."""
    property: str
    entity: str
    """IRI of the other entity."""
    name: str
    graph: str
    """The named graph (document) stating the fact."""


def entity_iri(store: QueryStore, entity_id: str) -> str:
    """The IRI of entity `entity_id` in `store` (its id percent-encoded)."""
    return f"{store.base}entity/{segment(entity_id)}"


def entities_of_type(
    store: QueryStore, label: str, *, limit: int | None = None, timeout: float = 30.0
) -> list[tuple[str, str]]:
    """(IRI, name) of the entities of type `label` (``PER``, or any trained label)."""
    result = run_query(
        store, _ENTITIES_OF_TYPE, limit=limit, timeout=timeout,
        bindings={"class": ox.NamedNode(str(entity_class(label)))},
    )
    return [(str(e), str(n)) for e, n, _ in result.rows]


def entities_named(
    store: QueryStore, text: str, *, timeout: float = 30.0
) -> list[tuple[str, str]]:
    """(IRI, canonical name) of the entities whose name or an alias is exactly `text`."""
    result = run_query(
        store, _ENTITIES_NAMED, timeout=timeout, bindings={"text": ox.Literal(clean(text))}
    )
    return [(str(e), str(n)) for e, n, _ in result.rows]


def neighbours(
    store: QueryStore, entity_id: str, *, limit: int | None = None, timeout: float = 30.0
) -> list[Neighbour]:
    """The facts linking entity `entity_id` with other entities, per document graph."""
    result = run_query(
        store, _NEIGHBOURS, limit=limit, timeout=timeout,
        bindings={"entity": ox.NamedNode(entity_iri(store, entity_id))},
    )
    return [Neighbour(*(str(v) for v in row[:5])) for row in result.rows]
