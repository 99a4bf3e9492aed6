"""Which resources of another tool's RDF are entities, what they are called and what type they
have in Skein's terms: the vocabulary of the background-knowledge import (`kg.rdf.background`).

Names come from ``skos:prefLabel``, ``rdfs:label``, ``schema:name`` and ``foaf:name`` (in that
order of preference, after language: the preferred languages first, then untagged values,
then the rest); aliases from ``skos:altLabel``, ``schema:alternateName``, ``foaf:nick``,
``skos:hiddenLabel`` and every name value not chosen as the name. Types come from ``rdf:type``
(and Wikidata's ``wdt:P31``) through `STANDARD_TYPES` and Skein's own classes; a caller's type
map wins over both; anything else is ``MISC``. Classes, properties, ontologies and Skein's own
records (documents, mentions, models...) are not entities, and neither is anything the file uses
as a class or a predicate. Everything here is plain strings: no RDF library is needed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
FOAF = "http://xmlns.com/foaf/0.1/"
DBO = "http://dbpedia.org/ontology/"
PROV = "http://www.w3.org/ns/prov#"
ORG = "http://www.w3.org/ns/org#"
VCARD = "http://www.w3.org/2006/vcard/ns#"
SKEIN = "https://skein.dev/ontology#"
WD = "http://www.wikidata.org/entity/"
SCHEMAS = ("http://schema.org/", "https://schema.org/")

NAME, ALIAS, TYPE = "name", "alias", "type"
MAX_NAME = 500
"""Longer literals are descriptions misfiled as labels, not names: they are left out."""


def _schema(*locals_: str) -> tuple[str, ...]:
    return tuple(ns + local for ns in SCHEMAS for local in locals_)


ROLES: dict[str, tuple[str, int]] = {
    SKOS + "prefLabel": (NAME, 0),
    RDFS + "label": (NAME, 1),
    **{iri: (NAME, 2) for iri in _schema("name")},
    FOAF + "name": (NAME, 3),
    SKOS + "altLabel": (ALIAS, 4),
    **{iri: (ALIAS, 5) for iri in _schema("alternateName")},
    FOAF + "nick": (ALIAS, 6),
    SKOS + "hiddenLabel": (ALIAS, 7),
    RDF + "type": (TYPE, 0),
    "http://www.wikidata.org/prop/direct/P31": (TYPE, 0),
}
"""Predicate IRI -> (what its values are, rank: lower is preferred)."""

_PER = (
    *_schema("Person"), FOAF + "Person", DBO + "Person", PROV + "Person", VCARD + "Individual",
    WD + "Q5",
)
_ORG = (
    *_schema("Organization", "Corporation", "GovernmentOrganization", "NGO",
             "NewsMediaOrganization", "EducationalOrganization", "PoliticalParty"),
    FOAF + "Organization", DBO + "Organisation", DBO + "Company", DBO + "GovernmentAgency",
    DBO + "PoliticalParty", ORG + "Organization", ORG + "FormalOrganization",
    PROV + "Organization", VCARD + "Organization",
    WD + "Q43229", WD + "Q4830453", WD + "Q783794", WD + "Q327333", WD + "Q7278",
)
_LOC = (
    *_schema("Place", "Country", "City", "State", "AdministrativeArea", "Landform",
             "LandmarksOrHistoricalBuildings"),
    DBO + "Place", DBO + "Location", DBO + "PopulatedPlace", DBO + "Country", DBO + "City",
    DBO + "Settlement", "http://www.w3.org/2003/01/geo/wgs84_pos#SpatialThing",
    "http://www.w3.org/2003/01/geo/wgs84_pos#Point", "http://www.geonames.org/ontology#Feature",
    "http://www.opengis.net/ont/geosparql#Feature", "http://purl.org/dc/terms/Location",
    WD + "Q515", WD + "Q6256", WD + "Q3624078", WD + "Q2221906", WD + "Q486972",
)
STANDARD_TYPES: dict[str, str] = {
    **{iri: "PER" for iri in _PER},
    **{iri: "ORG" for iri in _ORG},
    **{iri: "LOC" for iri in _LOC},
}
"""Classes of common vocabularies (schema.org, FOAF, DBpedia, W3C org/geo/vCard, PROV,
GeoNames, GeoSPARQL, Wikidata) -> Skein entity type."""

SKEIN_TYPES: dict[str, str] = {
    SKEIN + "Person": "PER",
    SKEIN + "Organization": "ORG",
    SKEIN + "Location": "LOC",
    SKEIN + "Misc": "MISC",
}
"""Skein's own entity classes; a generated ``skein:Type_*`` class takes its ``rdfs:label``."""
GENERATED_CLASS = SKEIN + "Type_"

NOT_ENTITIES = frozenset({
    RDFS + "Class", RDFS + "Datatype", RDF + "Property", RDF + "Statement", OWL + "Class",
    OWL + "ObjectProperty", OWL + "DatatypeProperty", OWL + "AnnotationProperty",
    OWL + "Ontology", OWL + "Restriction", SKOS + "ConceptScheme",
    PROV + "Activity", PROV + "SoftwareAgent",
    *(SKEIN + local for local in ("Document", "Sentence", "Mention", "Assertion", "Model",
                                  "Extraction", "DocumentGraph")),
})
"""Classes whose instances are schema or Skein records, never entities."""

_LABEL_RANK = {"PER": 0, "ORG": 1, "LOC": 2, "MISC": 4}


@dataclass(frozen=True, slots=True)
class Known:
    """One known entity, as stored in the project's ``known_entities`` table."""

    iri: str
    label: str
    name: str
    aliases: tuple[str, ...]


class Resource:
    """What the import has seen of one subject: its name candidates and its types."""

    __slots__ = ("names", "types")

    def __init__(self) -> None:
        self.names: list[tuple[int, int, int, str]] = []
        """(is alias, language rank, predicate rank, value) for each name or alias literal."""
        self.types: set[str] = set()

    def add_name(self, role: str, rank: int, value: str, language: str | None,
                 preferred: tuple[str, ...]) -> None:
        value = " ".join(value.split())
        if value and len(value) <= MAX_NAME:
            self.names.append((role == ALIAS, language_rank(language, preferred), rank, value))

    def name(self) -> str | None:
        names = [n for n in self.names if not n[0]]
        return min(names)[3] if names else None

    def aliases(self, name: str) -> tuple[str, ...]:
        seen = {name}
        out: list[str] = []
        for *_, value in sorted(self.names):
            if value not in seen:
                seen.add(value)
                out.append(value)
        return tuple(out)


def language_rank(language: str | None, preferred: tuple[str, ...]) -> int:
    """0 for a preferred language (``en`` matches ``en-GB``), 1 for no tag, 2 for others."""
    if not language:
        return 1
    tag = language.lower()
    return 0 if any(tag == p or tag.startswith(p + "-") for p in preferred) else 2


def skein_label(types: Iterable[str], type_map: Mapping[str, str],
                class_labels: Mapping[str, str]) -> str | None:
    """The Skein type of a resource of these `types`: the caller's map first, then Skein's own
    classes, then `STANDARD_TYPES` (PER before ORG before LOC where they disagree); ``MISC`` when
    none applies; None when it is a schema or Skein record (`NOT_ENTITIES`) and nothing else."""
    ordered = sorted(types)
    for tiers in (type_map, SKEIN_TYPES):
        for t in ordered:
            if t in tiers:
                return tiers[t]
    for t in ordered:
        if t.startswith(GENERATED_CLASS) and t in class_labels:
            return class_labels[t]
    found = sorted((STANDARD_TYPES[t] for t in ordered if t in STANDARD_TYPES),
                   key=lambda label: _LABEL_RANK.get(label, 3))
    if found:
        return found[0]
    if any(t in NOT_ENTITIES for t in ordered):
        return None
    return "MISC"


def skolem(label: str, name: str, aliases: tuple[str, ...]) -> str:
    """A stable IRI for a blank-node entity: blank node ids differ from parse to parse, so the
    IRI is made from what the entity says (type, name, aliases), the same in every format."""
    text = "\x1f".join((label, name, *aliases))
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"urn:skein:known:{digest}"
