"""A `Snapshot` as N-Quads text, quad for quad the dataset `kg.rdf.mapping` builds.

Building the rdflib `Dataset` of a large project costs tens of microseconds per triple and a
lot of memory; the query index only needs the quads, which Oxigraph parses far faster from
N-Quads than Python can make term objects. This module writes the same quads as
`snapshot_to_dataset` (same IRIs, literals, datatypes and graphs; a test compares the two on
awkward snapshots), in chunks of lines so that a caller can load, report progress and check a
cancel token between chunks. Duplicate lines are left in: the store keeps a set of quads.

Keep it in step with `kg.rdf.mapping`: a change there must be made here too (the equality test
fails otherwise).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from functools import lru_cache

from kg.rdf.facts import Occurrence, clean, select
from kg.rdf.iri import check_base, segment
from kg.rdf.links import link_quads
from kg.rdf.vocab import (
    ENTITY_CLASSES,
    RELATION_PROPERTIES,
    Minter,
    entity_class,
    relation_property,
)
from kg.records import MentionRecord, Snapshot

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_SKEIN = "https://skein.dev/ontology#"
_PROV = "http://www.w3.org/ns/prov#"
_DCT = "http://purl.org/dc/terms/"

TYPE = f"<{_RDF}type>"
LABEL = f"<{_RDFS}label>"
ENTITY = f"<{_SKEIN}Entity>"
PROV_ENTITY = f"<{_PROV}Entity>"
_DATETIME = f"^^<{_XSD}dateTime>"
_DECIMAL = f"^^<{_XSD}decimal>"
_INTEGER = f"^^<{_XSD}integer>"

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def sk(local: str) -> str:
    return f"<{_SKEIN}{local}>"


def pv(local: str) -> str:
    return f"<{_PROV}{local}>"


def text(value: str) -> str:
    """A plain string literal (cleaned like `kg.rdf.mapping.text`)."""
    return '"' + clean(value).translate(_ESCAPES) + '"'


def integer(value: int) -> str:
    return f'"{int(value)}"{_INTEGER}'


@lru_cache(maxsize=4096)
def time(value: str) -> str:
    """``xsd:dateTime`` when `value` is ISO 8601, else a plain literal (as `mapping.time`)."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return text(value)
    return f'"{parsed.isoformat()}"{_DATETIME}'


def confidence(value: float) -> str | None:
    number = float(value)
    if not math.isfinite(number):
        return None
    lexical = format(Decimal(repr(number)), "f")
    return f'"{lexical if "." in lexical else lexical + ".0"}"{_DECIMAL}'


@lru_cache(maxsize=1024)
def class_of(label: str) -> str:
    return f"<{entity_class(label)}>"


@lru_cache(maxsize=1024)
def property_of(label: str) -> str:
    return f"<{relation_property(label)}>"


class _Writer:
    def __init__(self, snap: Snapshot, base: str) -> None:
        self.snap = snap
        self.base = check_base(base)
        self.sel = select(snap)
        self.lines: list[str] = []

    def iri(self, kind: str, *parts: str | int) -> str:
        return "<" + self.base + kind + "/" + "/".join(segment(p) for p in parts) + ">"

    def add(self, s: str, p: str, o: str | None) -> None:
        if o is not None:
            self.lines.append(f"{s} {p} {o} .\n")

    def fact(self, document: str, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o} {self.iri('graph', document)} .\n")

    def take(self) -> str:
        out = "".join(self.lines)
        self.lines.clear()
        return out

    def chunks(self, size: int) -> Iterator[str]:
        """The whole dataset, as N-Quads text of about `size` lines a chunk."""
        for doc in self.snap.documents:
            node = self.iri("document", doc.id)
            self.add(node, TYPE, sk("Document"))
            self.add(node, TYPE, PROV_ENTITY)
            self.add(node, sk("contentHash"), text(doc.id))
            self.add(node, sk("source"), text(doc.source))
            self.add(node, f"<{_DCT}title>", text(doc.title))
            self.add(node, sk("format"), text(doc.format))
            self.add(node, sk("status"), text(doc.status))
            if doc.error is not None:
                self.add(node, sk("error"), text(doc.error))
        for sent in self.snap.sentences:
            node = self.iri("sentence", sent.id)
            self.add(node, TYPE, sk("Sentence"))
            self.add(node, TYPE, PROV_ENTITY)
            self.add(node, sk("inDocument"), self.iri("document", sent.document))
            self.add(node, sk("index"), integer(sent.index))
            self.add(node, sk("start"), integer(sent.start))
            self.add(node, sk("end"), integer(sent.end))
            self.add(node, sk("text"), text(sent.text))
            if len(self.lines) >= size:
                yield self.take()
        for model in self.snap.models:
            node = self.model(model.id)
            self.add(node, sk("kind"), text(model.kind))
            self.add(node, f"<{_DCT}description>", text(model.description))
            self.add(node, sk("createdAt"), time(model.created_at))
        self.entities()
        yield self.take()
        for mention in self.sel.mentions.values():
            self.mention(mention)
            if len(self.lines) >= size:
                yield self.take()
        for occ in self.sel.occurrences:
            self.occurrence(occ)
            if len(self.lines) >= size:
                yield self.take()
        graphs = {m.document for m in self.sel.mentions.values() if self.sel.entity_of(m)}
        graphs |= {o.relation.document for o in self.sel.occurrences if o.is_fact}
        for ident in sorted(graphs):
            graph = self.iri("graph", ident)
            self.add(graph, TYPE, sk("DocumentGraph"))
            self.add(graph, TYPE, PROV_ENTITY)
            self.add(graph, pv("wasDerivedFrom"), self.iri("document", ident))
        for s, p, o, g in link_quads(self.snap, Minter(self.base)):  # few: rdflib terms do
            graph_part = "" if g is None else f" {g.n3()}"
            self.lines.append(f"{s.n3()} {p.n3()} {o.n3()}{graph_part} .\n")
        yield self.take()

    def entities(self) -> None:
        for entity in self.sel.entities.values():
            node = self.iri("entity", entity.id)
            cls = class_of(entity.label)
            self.add(node, TYPE, ENTITY)
            self.add(node, TYPE, cls)
            self.add(node, LABEL, text(entity.name))
            for alias in entity.aliases:
                self.add(node, f"<{_SKOS}altLabel>", text(alias))
            if entity.label not in ENTITY_CLASSES:
                self.add(cls, TYPE, f"<{_RDFS}Class>")
                self.add(cls, f"<{_RDFS}subClassOf>", ENTITY)
                self.add(cls, LABEL, text(entity.label))

    def model(self, model_id: str) -> str:
        node = self.iri("model", model_id)
        self.add(node, TYPE, sk("Model"))
        self.add(node, TYPE, pv("SoftwareAgent"))
        self.add(node, LABEL, text(model_id))
        return node

    def generated(
        self,
        node: str,
        document: str,
        conf: float,
        model: str | None,
        status: str,
        confirmed: tuple[str | None, str | None],
    ) -> None:
        doc = self.iri("document", document)
        self.add(node, TYPE, PROV_ENTITY)
        self.add(node, sk("inDocument"), doc)
        self.add(node, pv("wasDerivedFrom"), doc)
        self.add(node, sk("confidence"), confidence(conf))
        self.add(node, sk("status"), text(status))
        if model is not None:
            agent, activity = self.model(model), self.iri("extraction", model, document)
            self.add(activity, TYPE, sk("Extraction"))
            self.add(activity, TYPE, pv("Activity"))
            self.add(activity, pv("used"), doc)
            self.add(activity, pv("wasAssociatedWith"), agent)
            self.add(node, pv("wasGeneratedBy"), activity)
            self.add(node, pv("wasAttributedTo"), agent)
        by, at = confirmed
        if by is not None:
            person = self.iri("person", by)
            self.add(person, TYPE, pv("Person"))
            self.add(person, LABEL, text(by))
            self.add(node, pv("wasAttributedTo"), person)
            self.add(node, sk("confirmedBy"), person)
        if at is not None:
            when = time(at)
            self.add(node, sk("confirmedAt"), when)
            if when.endswith(_DATETIME):
                self.add(node, pv("generatedAtTime"), when)

    def mention(self, m: MentionRecord) -> None:
        node = self.iri("mention", m.id)
        self.add(node, TYPE, sk("Mention"))
        self.generated(
            node, m.document, m.confidence, m.model, m.status, (m.confirmed_by, m.confirmed_at)
        )
        self.add(node, sk("inSentence"), self.iri("sentence", m.sentence))
        self.add(node, sk("start"), integer(m.start))
        self.add(node, sk("end"), integer(m.end))
        self.add(node, sk("anchorText"), text(m.text))
        self.add(node, sk("entityType"), text(m.label))
        entity = self.sel.entity_of(m)
        if entity is not None:
            ent = self.iri("entity", entity.id)
            self.add(node, sk("denotes"), ent)
            self.fact(m.document, ent, TYPE, class_of(entity.label))
            self.fact(m.document, ent, LABEL, text(entity.name))

    def occurrence(self, occ: Occurrence) -> None:
        rel = occ.relation
        node, prop = self.iri("assertion", rel.id), property_of(rel.label)
        self.add(node, TYPE, sk("Assertion"))
        self.add(node, TYPE, f"<{_RDF}Statement>")
        self.generated(
            node, rel.document, rel.confidence, rel.model, rel.status,
            (rel.confirmed_by, rel.confirmed_at),
        )
        sentence = self.iri("sentence", rel.sentence)
        self.add(node, sk("inSentence"), sentence)
        self.add(node, pv("wasDerivedFrom"), sentence)
        self.add(node, sk("relationType"), text(rel.label))
        self.add(node, sk("headMention"), self.iri("mention", occ.head.id))
        self.add(node, sk("tailMention"), self.iri("mention", occ.tail.id))
        self.add(node, sk("start"), integer(min(occ.head.start, occ.tail.start)))
        self.add(node, sk("end"), integer(max(occ.head.end, occ.tail.end)))
        if rel.label not in RELATION_PROPERTIES:
            self.add(prop, TYPE, f"<{_RDF}Property>")
            self.add(prop, f"<{_RDFS}subPropertyOf>", sk("relatedTo"))
            self.add(prop, LABEL, text(rel.label))
        if occ.head_entity is None or occ.tail_entity is None:
            return
        head = self.iri("entity", occ.head_entity.id)
        tail = self.iri("entity", occ.tail_entity.id)
        self.add(node, f"<{_RDF}subject>", head)
        self.add(node, f"<{_RDF}predicate>", prop)
        self.add(node, f"<{_RDF}object>", tail)
        self.add(node, sk("assertedIn"), self.iri("graph", rel.document))
        self.fact(rel.document, head, prop, tail)


def nquad_chunks(snap: Snapshot, base: str, *, size: int = 200_000) -> Iterator[str]:
    """The dataset of `snap` (as `snapshot_to_dataset(snap, base)`) as N-Quads text, in chunks
    of about `size` lines. ValueError for a bad `base`."""
    return _Writer(snap, base).chunks(size)


def to_nquads(snap: Snapshot, base: str) -> str:
    """The whole dataset of `snap` as one N-Quads string."""
    return "".join(nquad_chunks(snap, base))
