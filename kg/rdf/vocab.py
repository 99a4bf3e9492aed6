"""Skein's RDF vocabulary: namespaces, the default label schemes' terms, and how project records
and unknown labels become IRIs.

Every IRI minted here is valid whatever the input: record ids and labels are percent-encoded
(or hashed) before they reach an IRI, and names only ever go into literals. Terms for labels
outside the default schemes are generated under the Skein namespace with a readable part and a
short hash, so they are stable across exports, never collide with a declared term, and are XML
NCNames (RDF/XML can only write predicates whose local part is one).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from rdflib import Namespace, URIRef

from kg.rdf.iri import check_base, segment

SKEIN = Namespace("https://skein.dev/ontology#")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCTERMS = Namespace("http://purl.org/dc/terms/")

ONTOLOGY_PATH = Path(__file__).resolve().parents[2] / "assets" / "ontology" / "skein.ttl"
"""The OWL ontology that declares every fixed term below."""

ENTITY_CLASSES: dict[str, URIRef] = {
    "PER": SKEIN.Person,
    "ORG": SKEIN.Organization,
    "LOC": SKEIN.Location,
    "MISC": SKEIN.Misc,
}
"""Entity type label (default CoNLL scheme) -> class."""

RELATION_PROPERTIES: dict[str, URIRef] = {
    "Work_For": SKEIN.worksFor,
    "Kill": SKEIN.kills,
    "OrgBased_In": SKEIN.orgBasedIn,
    "Live_In": SKEIN.livesIn,
    "Located_In": SKEIN.locatedIn,
}
"""Relation label (default CoNLL04 scheme) -> object property."""

_WORDS = re.compile(r"[A-Za-z0-9]+")


def _generated(prefix: str, label: str, *, capitalise: bool) -> URIRef:
    words = _WORDS.findall(label)
    if capitalise:
        readable = "".join(w[:1].upper() + w[1:].lower() for w in words)
    else:
        readable = "".join(
            (w.lower() if i == 0 else w[:1].upper() + w[1:].lower()) for i, w in enumerate(words)
        )
    digest = hashlib.sha256(label.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return SKEIN[f"{prefix}{readable}_{digest}" if readable else f"{prefix}{digest}"]


def entity_class(label: str) -> URIRef:
    """The class of an entity type label; labels outside the default scheme get a generated
    ``skein:Type_<Readable>_<hash>`` class (declared in the export as a subclass of Entity)."""
    known = ENTITY_CLASSES.get(label)
    return known if known is not None else _generated("Type_", label, capitalise=True)


def relation_property(label: str) -> URIRef:
    """The property of a relation label; labels outside the default scheme get a generated
    ``skein:rel_<readable>_<hash>`` property (declared in the export under skein:relatedTo)."""
    known = RELATION_PROPERTIES.get(label)
    return known if known is not None else _generated("rel_", label, capitalise=False)


class Minter:
    """Mints the IRIs of one project's records under `base`."""

    def __init__(self, base: str) -> None:
        self.base = check_base(base)

    def _iri(self, kind: str, *parts: str | int) -> URIRef:
        return URIRef(self.base + kind + "/" + "/".join(segment(p) for p in parts))

    def entity(self, entity_id: str) -> URIRef:
        return self._iri("entity", entity_id)

    def document(self, document_id: str) -> URIRef:
        return self._iri("document", document_id)

    def graph(self, document_id: str) -> URIRef:
        """The named graph of facts asserted from one document."""
        return self._iri("graph", document_id)

    def sentence(self, sentence_id: int) -> URIRef:
        return self._iri("sentence", sentence_id)

    def mention(self, mention_id: int) -> URIRef:
        return self._iri("mention", mention_id)

    def assertion(self, relation_id: int) -> URIRef:
        return self._iri("assertion", relation_id)

    def model(self, model_id: str) -> URIRef:
        return self._iri("model", model_id)

    def extraction(self, model_id: str, document_id: str) -> URIRef:
        """The activity of one model extracting from one document."""
        return self._iri("extraction", model_id, document_id)

    def person(self, name: str) -> URIRef:
        return self._iri("person", name)

    def link_graph(self) -> URIRef:
        """The named graph of the accepted link predictions' facts."""
        return self._iri("graph", "accepted-links")

    def link(self, head: str, label: str, tail: str) -> URIRef:
        """An accepted link prediction (one per triple)."""
        return self._iri("link", head, label, tail)

    def prediction(self, model_id: str) -> URIRef:
        """The activity of one embedding model predicting links."""
        return self._iri("prediction", model_id)
