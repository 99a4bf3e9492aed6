"""Example SPARQL queries for the query panel, written for Skein's RDF (`kg.rdf.mapping`):
entity descriptions and provenance in the default graph, facts in one named graph per
document. Prefixes ``rdf rdfs xsd owl skos prov dcterms skein`` are predeclared."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NamedQuery:
    name: str
    text: str


EXAMPLES: tuple[NamedQuery, ...] = (
    NamedQuery("Entities by type", """\
# How many entities of each type
SELECT ?type (COUNT(DISTINCT ?entity) AS ?entities)
WHERE {
  ?entity a skein:Entity , ?type .
  FILTER(?type != skein:Entity)
}
GROUP BY ?type
ORDER BY DESC(?entities) ?type
"""),
    NamedQuery("People", """\
# Every person, by name
SELECT ?name ?entity
WHERE { ?entity a skein:Person ; rdfs:label ?name }
ORDER BY ?name
"""),
    NamedQuery("Relations with provenance", """\
# Each relation occurrence with the sentence and document it comes from
SELECT ?head ?relation ?tail ?confidence ?status ?document ?sentence
WHERE {
  ?assertion a skein:Assertion ;
      rdf:subject ?s ; rdf:object ?o ; skein:relationType ?relation ;
      skein:confidence ?confidence ; skein:status ?status ;
      skein:inSentence ?in ; skein:inDocument ?doc .
  ?s rdfs:label ?head .
  ?o rdfs:label ?tail .
  ?in skein:text ?sentence .
  ?doc dcterms:title ?document .
}
ORDER BY DESC(?confidence)
LIMIT 500
"""),
    NamedQuery("Most-mentioned entities", """\
# Entities by number of mentions (click a row to see its mentions in the text)
SELECT ?name ?type (COUNT(?mention) AS ?mentions) ?entity
WHERE {
  ?mention a skein:Mention ; skein:denotes ?entity .
  ?entity rdfs:label ?name ; a ?type .
  FILTER(?type != skein:Entity)
}
GROUP BY ?entity ?name ?type
ORDER BY DESC(?mentions) ?name
LIMIT 50
"""),
    NamedQuery("Documents", """\
# Documents with their status and how many mentions each holds
SELECT ?title ?format ?status (COUNT(DISTINCT ?mention) AS ?mentions) ?doc
WHERE {
  ?doc a skein:Document ; dcterms:title ?title ; skein:format ?format ;
       skein:status ?status .
  OPTIONAL { ?mention a skein:Mention ; skein:inDocument ?doc }
}
GROUP BY ?doc ?title ?format ?status
ORDER BY ?title
"""),
    NamedQuery("Facts per document graph", """\
# The named graph of each document and how many facts it states
SELECT ?title (COUNT(*) AS ?facts)
WHERE {
  GRAPH ?graph { ?s ?p ?o }
  ?graph prov:wasDerivedFrom ?doc .
  ?doc dcterms:title ?title .
}
GROUP BY ?graph ?title
ORDER BY DESC(?facts)
"""),
    NamedQuery("Confirmed by people", """\
# Mentions and relations a person confirmed
SELECT ?person (COUNT(?item) AS ?confirmed)
WHERE { ?item skein:confirmedBy ?who . ?who rdfs:label ?person }
GROUP BY ?person
ORDER BY DESC(?confirmed)
"""),
)
