"""The dataset layout: facts per document in named graphs, descriptions and provenance in the
default graph, valid IRIs whatever the names, rejected records left out."""

from __future__ import annotations

import re

import pytest
from rdf_samples import D1, D2, D3, NAMES, odd_snapshot
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.rdf.facts import clean
from kg.rdf.mapping import confidence, snapshot_to_dataset, time
from kg.rdf.vocab import (
    ENTITY_CLASSES,
    ONTOLOGY_PATH,
    PROV,
    RELATION_PROPERTIES,
    SKEIN,
    Minter,
    entity_class,
    relation_property,
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*")

IRI = Minter("urn:skein:project:")
# RFC 3987: no spaces, controls or the excluded ASCII; '%' only as a percent-encoding.
VALID_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:(?:[^\x00-\x20<>\"{}|\\^`%\x7f]|%[0-9A-F]{2})*")


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return snapshot_to_dataset(odd_snapshot())


def graph(ds: Dataset, document: str) -> Graph:
    return ds.graph(IRI.graph(document))


def default(ds: Dataset) -> Graph:
    return ds.graph(DATASET_DEFAULT_GRAPH_ID)


def test_one_named_graph_per_document_with_facts(ds: Dataset) -> None:
    names = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert names == {str(DATASET_DEFAULT_GRAPH_ID), str(IRI.graph(D1)), str(IRI.graph(D2))}
    assert len(graph(ds, D3)) == 0  # the failed document asserts nothing


def test_facts_are_plain_triples_in_their_documents_graph(ds: Dataset) -> None:
    e = IRI.entity
    d1 = set(graph(ds, D1).triples((None, None, None)))
    assert (e("e-1"), SKEIN.worksFor, e("e-2")) in d1
    assert (e("e-2"), SKEIN.orgBasedIn, e("e-3")) in d1
    assert (e("e odd/#?id"), SKEIN.worksFor, e("e-7")) in d1
    assert (e("e-1"), RDF.type, SKEIN.Person) in d1
    assert (e("e-1"), RDFS.label, Literal(NAMES["e-1"])) in d1
    d2 = set(graph(ds, D2).triples((None, None, None)))
    assert (e("e-4"), SKEIN.livesIn, e("e-3")) in d2
    assert (e("e-5"), relation_property("has symptom ✓"), e("e-4")) in d2
    assert (e("e-3"), SKEIN.locatedIn, e("e-3")) in d2
    # the facts of one document are not in the other's graph
    assert (e("e-4"), SKEIN.livesIn, e("e-3")) not in d1
    assert not any(p == PROV.wasDerivedFrom for _, p, _ in d1 | d2)


def test_rejected_records_are_not_exported(ds: Dataset) -> None:
    everything = {t for t in ds.quads((None, None, None, None))}
    nodes = {n for s, _, o, _ in everything for n in (s, o)}
    assert not any(p == SKEIN.kills for _, p, _, _ in everything)  # r5 rejected, r7 on m6
    assert IRI.mention(6) not in nodes  # rejected mention
    assert IRI.assertion(5) not in nodes and IRI.assertion(7) not in nodes
    # e-4 is only mentioned in D1 by a rejected mention
    assert (IRI.entity("e-4"), RDF.type, SKEIN.Person) not in graph(ds, D1)


def test_unlinked_relation_is_an_assertion_but_no_fact(ds: Dataset) -> None:
    node = IRI.assertion(6)
    dflt = default(ds)
    assert (node, RDF.type, SKEIN.Assertion) in dflt
    assert (node, SKEIN.tailMention, IRI.mention(7)) in dflt
    assert dflt.value(node, RDF.subject) is None
    assert (IRI.mention(11), SKEIN.denotes, None) not in dflt  # entity missing from snapshot


def test_entity_descriptions_in_the_default_graph(ds: Dataset) -> None:
    dflt, ann = default(ds), IRI.entity("e-1")
    assert set(dflt.objects(ann, RDF.type)) == {SKEIN.Entity, SKEIN.Person}
    assert dflt.value(ann, RDFS.label) == Literal(NAMES["e-1"])
    assert set(dflt.objects(ann, SKOS.altLabel)) == {
        Literal("Ann"),
        Literal("A\\N"),
        Literal("Ann\nO'Neil"),
    }
    # a language-ish name stays a plain string, never a language tag
    paris = dflt.value(IRI.entity("e odd/#?id"), RDFS.label)
    assert paris == Literal('"Paris"@fr') and paris.language is None  # type: ignore[union-attr]
    assert dflt.value(IRI.entity("e-7"), RDFS.label) == Literal("ctrl\ufffdchar\ufffdhere")


def test_documents_keep_paths_in_literals(ds: Dataset) -> None:
    dflt = default(ds)
    assert dflt.value(IRI.document(D1), SKEIN.source) == Literal(
        "/home/ana/My Docs/report #1 (final).pdf"
    )
    assert dflt.value(IRI.document(D2), SKEIN.source) == Literal(
        "C:\\Users\\bob\\notes v2#final.txt"
    )
    assert dflt.value(IRI.document(D3), SKEIN.error) == Literal('bad "xref" \\ table')


def test_every_iri_is_valid(ds: Dataset) -> None:
    iris = {n for q in ds.quads((None, None, None, None)) for n in q if isinstance(n, URIRef)}
    bad = [i for i in iris if not VALID_IRI.fullmatch(i)]
    assert not bad
    assert IRI.entity("a b/c#d?e\n<f>\ud800") == URIRef(
        "urn:skein:project:entity/a%20b%2Fc%23d%3Fe%0A%3Cf%3E%ED%A0%80"
    )


def test_generated_terms_are_declared_ncnames(ds: Dataset) -> None:
    dflt = default(ds)
    cls, prop = entity_class("DISEASE / illness"), relation_property("has symptom ✓")
    assert cls.startswith(str(SKEIN) + "Type_DiseaseIllness_")
    assert prop.startswith(str(SKEIN) + "rel_hasSymptom_")
    assert (cls, RDFS.subClassOf, SKEIN.Entity) in dflt
    assert (prop, RDFS.subPropertyOf, SKEIN.relatedTo) in dflt
    assert dflt.value(prop, RDFS.label) == Literal("has symptom ✓")
    for label in ("", "!!!", "Work For", "work_for", "DOCUMENT", "start", "日本"):
        for term in (entity_class(label), relation_property(label)):
            assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", term.removeprefix(str(SKEIN)))
    assert relation_property("Work For") != relation_property("work_for")
    assert entity_class("DOCUMENT") != SKEIN.Document


def test_every_fixed_term_is_in_the_ontology(ds: Dataset) -> None:
    onto = Graph().parse(ONTOLOGY_PATH, format="turtle")
    declared = set(onto.subjects(RDF.type, None))
    used = {
        n
        for q in ds.quads((None, None, None, None))
        for n in q[:3]
        if isinstance(n, URIRef) and n.startswith(str(SKEIN))
    }
    fixed = {n for n in used if not n.removeprefix(str(SKEIN)).startswith(("Type_", "rel_"))}
    assert fixed - declared == set()
    for term in (*ENTITY_CLASSES.values(), *RELATION_PROPERTIES.values()):
        assert term in declared
    for prop in RELATION_PROPERTIES.values():
        assert (prop, RDF.type, OWL.ObjectProperty) in onto
        assert (prop, RDFS.subPropertyOf, SKEIN.relatedTo) in onto
        assert onto.value(prop, RDFS.domain) in ENTITY_CLASSES.values()
        assert onto.value(prop, RDFS.range) in ENTITY_CLASSES.values()
        assert onto.value(prop, RDFS.comment) is not None
    for cls in ENTITY_CLASSES.values():
        assert (cls, RDFS.subClassOf, SKEIN.Entity) in onto


@pytest.mark.parametrize("base", ["", "relative/", "urn:x", "urn:has space:", "http://x/<y>/"])
def test_a_bad_base_is_refused(base: str) -> None:
    with pytest.raises(ValueError, match="base"):
        snapshot_to_dataset(odd_snapshot(), base)


def test_literal_helpers() -> None:
    from rdflib.namespace import XSD  # not at module level: pytest's collection probes it

    assert confidence(float("nan")) is None and confidence(float("inf")) is None
    assert confidence(1e16) == Literal("10000000000000000.0", datatype=XSD.decimal)
    assert confidence(0.1 + 0.2) == Literal("0.30000000000000004", datatype=XSD.decimal)
    assert time("2025-01-02T03:04:05+00:00").datatype == XSD.dateTime
    assert time("last tuesday") == Literal("last tuesday")
    assert clean("a\x00b\ud800c\ufffed\U0001f600\t\n\r") == "a\ufffdb\ufffdc\ufffdd\U0001f600\t\n\r"
