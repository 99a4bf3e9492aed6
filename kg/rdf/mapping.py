"""A project `Snapshot` as an RDF dataset: facts in one named graph per document, provenance
(PROV-O) in the default graph.

Layout. Each document's named graph (``<base>graph/<document id>``) holds the facts asserted
from it: the typing and ``rdfs:label`` of every entity it mentions, and one
``entity --skein:worksFor--> entity`` triple per relation. The default graph holds the entity
descriptions (type, ``rdfs:label``, ``skos:altLabel``, ``owl:sameAs`` a known entity's IRI
when given one), the declarations of generated classes
and properties (labels outside the default schemes), and the provenance: documents, sentences
(text, offsets), mentions (span, anchor text, label, confidence, linked entity), one
``skein:Assertion`` per relation occurrence (a reified ``rdf:Statement`` that is a
``prov:Entity``: ``rdf:subject/predicate/object``, head and tail mentions, sentence, document
via ``prov:wasDerivedFrom``, the named graph via ``skein:assertedIn``, confidence, offsets,
status), the models as ``prov:SoftwareAgent`` with a ``prov:Activity`` per model and document
(``prov:wasGeneratedBy``), and the people who confirmed a mention or assertion
(``prov:wasAttributedTo`` a ``prov:Person``, ``skein:confirmedAt`` and, when the time is
ISO 8601, ``prov:generatedAtTime``). Link predictions a person accepted have a named graph
and reified assertions of their own (`kg.rdf.links`).

Why named graphs + PROV-O rather than RDF-star. Quoted triples would let provenance sit on the
fact itself, but RDF-star (RDF 1.2, not yet a Recommendation) is not read by many of the tools
an analyst exports to: rapper (raptor 2) and rdflib 7 both fail on ``<< s p o >>`` with a
syntax error, and RDF/XML, N-Triples/N-Quads 1.1 and JSON-LD 1.1 have no syntax for it at all.
Named graphs are standard RDF 1.1: TriG, N-Quads and JSON-LD keep them, every triples-only
format still carries the facts and the reified assertions (the union), and a fact keeps a plain
``s p o`` shape that any SPARQL engine or reasoner uses directly. One graph per document also
gives graph-level provenance and lets a consumer drop a source's facts at once. The price is a
reified node per occurrence, which is also where per-occurrence evidence (several sentences
stating one fact, each with its own confidence and reviewer) naturally lives.

Only mentions and relations whose status is not ``rejected`` are exported (see `facts`).
Entities are exported as the snapshot shows them: a project's snapshot shows merged entities
as their canonical entity (`kg.resolve.view`), so facts name the canonical IRI and the merged
names are its ``skos:altLabel``s.
Record ids are percent-encoded into IRIs; every name, path and text goes into a literal, with
characters XML 1.0 cannot carry (C0 controls, lone surrogates, U+FFFE/U+FFFF) replaced by
U+FFFD so that every format holds the same data (`kg.rdf.literals`). Confidences are
``xsd:decimal`` (exact from the float's shortest repr; non-finite values are left out), times
``xsd:dateTime`` when ISO 8601.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from kg.rdf.facts import Occurrence, Selection, select
from kg.rdf.iri import DEFAULT_BASE
from kg.rdf.links import link_quads
from kg.rdf.literals import confidence, text, time
from kg.rdf.vocab import (
    DCTERMS,
    ENTITY_CLASSES,
    PROV,
    RELATION_PROPERTIES,
    SKEIN,
    Minter,
    entity_class,
    relation_property,
)
from kg.records import MentionRecord, Snapshot

_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")
"""What a known entity's IRI must look like to be written (it came from an imported file)."""


def bind_prefixes(graph: Graph) -> None:
    for prefix, ns in (
        ("skein", SKEIN),
        ("prov", PROV),
        ("skos", SKOS),
        ("dcterms", DCTERMS),
        ("rdfs", RDFS),
        ("xsd", XSD),
        ("owl", OWL),
    ):
        graph.bind(prefix, ns, override=True)


class _Builder:
    def __init__(self, snap: Snapshot, base: str, same_as: Mapping[str, str]) -> None:
        self.snap = snap
        self.same_as = same_as
        self.iri = Minter(base)
        self.sel: Selection = select(snap)
        self.ds = Dataset()
        bind_prefixes(self.ds)

    def add(self, s: Node, p: Node, o: Node | None) -> None:
        if o is not None:
            self.ds.add((s, p, o))

    def fact(self, document_id: str, s: Node, p: Node, o: Node) -> None:
        self.ds.graph(self.iri.graph(document_id)).add((s, p, o))

    def build(self) -> Dataset:
        for doc in self.snap.documents:
            node = self.iri.document(doc.id)
            for t in (SKEIN.Document, PROV.Entity):
                self.add(node, RDF.type, t)
            self.add(node, SKEIN.contentHash, text(doc.id))
            self.add(node, SKEIN.source, text(doc.source))
            self.add(node, DCTERMS.title, text(doc.title))
            self.add(node, SKEIN["format"], text(doc.format))
            self.add(node, SKEIN.status, text(doc.status))
            if doc.error is not None:
                self.add(node, SKEIN.error, text(doc.error))
        for sent in self.snap.sentences:
            node = self.iri.sentence(sent.id)
            for t in (SKEIN.Sentence, PROV.Entity):
                self.add(node, RDF.type, t)
            self.add(node, SKEIN.inDocument, self.iri.document(sent.document))
            self.add(node, SKEIN["index"], Literal(sent.index))
            self.add(node, SKEIN.start, Literal(sent.start))
            self.add(node, SKEIN.end, Literal(sent.end))
            self.add(node, SKEIN.text, text(sent.text))
        for model in self.snap.models:
            node = self.model(model.id)
            self.add(node, SKEIN.kind, text(model.kind))
            self.add(node, DCTERMS.description, text(model.description))
            self.add(node, SKEIN.createdAt, time(model.created_at))
        self.entities()
        for mention in self.sel.mentions.values():
            self.mention(mention)
        for occ in self.sel.occurrences:
            self.occurrence(occ)
        for ident in sorted(self.named_graphs()):
            graph = self.iri.graph(ident)
            for t in (SKEIN.DocumentGraph, PROV.Entity):
                self.add(graph, RDF.type, t)
            self.add(graph, PROV.wasDerivedFrom, self.iri.document(ident))
        for s, p, o, g in link_quads(self.snap, self.iri):  # accepted link predictions
            (self.ds if g is None else self.ds.graph(g)).add((s, p, o))
        return self.ds

    def named_graphs(self) -> set[str]:
        return {m.document for m in self.sel.mentions.values() if self.sel.entity_of(m)} | {
            o.relation.document for o in self.sel.occurrences if o.is_fact
        }

    def entities(self) -> None:
        for entity in self.sel.entities.values():
            node = self.iri.entity(entity.id)
            cls = entity_class(entity.label)
            self.add(node, RDF.type, SKEIN.Entity)
            self.add(node, RDF.type, cls)
            self.add(node, RDFS.label, text(entity.name))
            for alias in entity.aliases:
                self.add(node, SKOS.altLabel, text(alias))
            known = self.same_as.get(entity.id)
            if known is not None and _ABSOLUTE_IRI.fullmatch(known):
                self.add(node, OWL.sameAs, URIRef(known))
            if entity.label not in ENTITY_CLASSES:
                self.add(cls, RDF.type, RDFS.Class)
                self.add(cls, RDFS.subClassOf, SKEIN.Entity)
                self.add(cls, RDFS.label, text(entity.label))

    def model(self, model_id: str) -> URIRef:
        node = self.iri.model(model_id)
        for t in (SKEIN.Model, PROV.SoftwareAgent):
            self.add(node, RDF.type, t)
        self.add(node, RDFS.label, text(model_id))
        return node

    def person(self, name: str) -> URIRef:
        node = self.iri.person(name)
        self.add(node, RDF.type, PROV.Person)
        self.add(node, RDFS.label, text(name))
        return node

    def generated(
        self,
        node: URIRef,
        document: str,
        conf: float,
        model: str | None,
        status: str,
        confirmed: tuple[str | None, str | None],
    ) -> None:
        """Provenance common to mentions and assertions."""
        doc = self.iri.document(document)
        self.add(node, RDF.type, PROV.Entity)
        self.add(node, SKEIN.inDocument, doc)
        self.add(node, PROV.wasDerivedFrom, doc)
        self.add(node, SKEIN.confidence, confidence(conf))
        self.add(node, SKEIN.status, text(status))
        if model is not None:
            agent, activity = self.model(model), self.iri.extraction(model, document)
            for t in (SKEIN.Extraction, PROV.Activity):
                self.add(activity, RDF.type, t)
            self.add(activity, PROV.used, doc)
            self.add(activity, PROV.wasAssociatedWith, agent)
            self.add(node, PROV.wasGeneratedBy, activity)
            self.add(node, PROV.wasAttributedTo, agent)
        by, at = confirmed
        if by is not None:
            person = self.person(by)
            self.add(node, PROV.wasAttributedTo, person)
            self.add(node, SKEIN.confirmedBy, person)
        if at is not None:
            when = time(at)
            self.add(node, SKEIN.confirmedAt, when)
            if when.datatype == XSD.dateTime:  # PROV requires one; a free-text time stays ours
                self.add(node, PROV.generatedAtTime, when)

    def mention(self, m: MentionRecord) -> None:
        node = self.iri.mention(m.id)
        self.add(node, RDF.type, SKEIN.Mention)
        self.generated(
            node, m.document, m.confidence, m.model, m.status, (m.confirmed_by, m.confirmed_at)
        )
        self.add(node, SKEIN.inSentence, self.iri.sentence(m.sentence))
        self.add(node, SKEIN.start, Literal(m.start))
        self.add(node, SKEIN.end, Literal(m.end))
        self.add(node, SKEIN.anchorText, text(m.text))
        self.add(node, SKEIN.entityType, text(m.label))
        entity = self.sel.entity_of(m)
        if entity is not None:
            ent = self.iri.entity(entity.id)
            self.add(node, SKEIN.denotes, ent)
            self.fact(m.document, ent, RDF.type, entity_class(entity.label))
            self.fact(m.document, ent, RDFS.label, text(entity.name))

    def occurrence(self, occ: Occurrence) -> None:
        rel = occ.relation
        node, prop = self.iri.assertion(rel.id), relation_property(rel.label)
        for t in (SKEIN.Assertion, RDF.Statement):
            self.add(node, RDF.type, t)
        self.generated(
            node,
            rel.document,
            rel.confidence,
            rel.model,
            rel.status,
            (rel.confirmed_by, rel.confirmed_at),
        )
        sentence = self.iri.sentence(rel.sentence)
        self.add(node, SKEIN.inSentence, sentence)
        self.add(node, PROV.wasDerivedFrom, sentence)
        self.add(node, SKEIN.relationType, text(rel.label))
        self.add(node, SKEIN.headMention, self.iri.mention(occ.head.id))
        self.add(node, SKEIN.tailMention, self.iri.mention(occ.tail.id))
        self.add(node, SKEIN.start, Literal(min(occ.head.start, occ.tail.start)))
        self.add(node, SKEIN.end, Literal(max(occ.head.end, occ.tail.end)))
        if rel.label not in RELATION_PROPERTIES:
            self.add(prop, RDF.type, RDF.Property)
            self.add(prop, RDFS.subPropertyOf, SKEIN.relatedTo)
            self.add(prop, RDFS.label, text(rel.label))
        if occ.head_entity is None or occ.tail_entity is None:
            return
        head, tail = self.iri.entity(occ.head_entity.id), self.iri.entity(occ.tail_entity.id)
        self.add(node, RDF.subject, head)
        self.add(node, RDF.predicate, prop)
        self.add(node, RDF.object, tail)
        self.add(node, SKEIN.assertedIn, self.iri.graph(rel.document))
        self.fact(rel.document, head, prop, tail)


def snapshot_to_dataset(
    snap: Snapshot, base: str = DEFAULT_BASE, *, same_as: Mapping[str, str] | None = None
) -> Dataset:
    """The RDF dataset of `snap`: one named graph of facts per document, provenance in the
    default graph. `base` is the IRI prefix of the project's records (ends in ``:``, ``/`` or
    ``#``); raises ValueError otherwise. `same_as` maps entity ids to the IRIs of the known
    entities they are (`kg.resolve.known_links`), written as ``owl:sameAs``."""
    return _Builder(snap, base, same_as or {}).build()


def union_graph(ds: Dataset) -> Graph:
    """All triples of every graph of `ds` in one graph (for triples-only formats)."""
    graph = Graph()
    bind_prefixes(graph)
    for s, p, o, _ in ds.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph
