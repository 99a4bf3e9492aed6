"""Accepted link predictions in every export: the fact in its own named graph, a reified
assertion with PROV provenance (the embedding model, the person), same quads in the index."""

from __future__ import annotations

import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import networkx as nx
import pytest
from rdf_samples import BOB, CONFIRMED_AT, DANA, LINK_MODEL, linked_snapshot
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF

from kg.rdf.formats import FORMATS, export
from kg.rdf.mapping import snapshot_to_dataset
from kg.rdf.parse import parse_bytes
from kg.rdf.vocab import ONTOLOGY_PATH, PROV, SKEIN, Minter, relation_property
from kg.records import Snapshot

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*")
IRI = Minter("urn:skein:project:")
RDF_FORMATS = [name for name, spec in FORMATS.items() if spec.is_rdf]


@pytest.fixture(scope="module")
def linked() -> Snapshot:
    return linked_snapshot()


@pytest.fixture(scope="module")
def ds(linked: Snapshot) -> Dataset:
    return snapshot_to_dataset(linked)


def test_the_fact_is_in_the_link_graph_with_a_reified_assertion(ds: Dataset) -> None:
    e = IRI.entity
    links = set(ds.graph(IRI.link_graph()))
    assert links == {(e("e-4"), SKEIN.worksFor, e("e-2")),
                     (e("e-7"), relation_property("has symptom ✓"), e("e odd/#?id"))}
    dflt = ds.graph(DATASET_DEFAULT_GRAPH_ID)
    node = IRI.link("e-4", "Work_For", "e-2")
    for t in (SKEIN.Assertion, SKEIN.AcceptedLink, RDF.Statement, PROV.Entity):
        assert (node, RDF.type, t) in dflt
    assert (dflt.value(node, RDF.subject), dflt.value(node, RDF.predicate),
            dflt.value(node, RDF.object)) == (e("e-4"), SKEIN.worksFor, e("e-2"))
    assert dflt.value(node, SKEIN.assertedIn) == IRI.link_graph()
    assert (IRI.link_graph(), RDF.type, SKEIN.LinkGraph) in dflt
    assert dflt.value(node, SKEIN.score).toPython() == Decimal("-2.75")  # type: ignore[union-attr]
    assert dflt.value(node, SKEIN.inSentence) is None  # no sentence states it
    # the link to an entity the snapshot lacks is left out
    assert not list(dflt.triples((IRI.link("e-1", "Kill", "e-missing"), None, None)))


def test_provenance_names_the_embedding_model_and_the_person(ds: Dataset) -> None:
    rows = list(ds.query("""
        PREFIX skein: <https://skein.dev/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?model ?kind ?who ?when ?score WHERE {
          ?a a skein:AcceptedLink ; skein:score ?score ; prov:wasGeneratedBy ?run ;
             prov:wasAttributedTo ?agent ; skein:confirmedBy ?person ;
             prov:generatedAtTime ?when .
          ?run a skein:LinkPrediction, prov:Activity ; prov:wasAssociatedWith ?agent .
          ?agent a prov:SoftwareAgent ; rdfs:label ?model ; skein:kind ?kind .
          ?person a prov:Person ; rdfs:label ?who .
          ?a prov:wasAttributedTo ?person .
        }"""))
    assert len(rows) == 1
    model, kind, who, when, score = (v.toPython() for v in rows[0])  # type: ignore[union-attr]
    assert (model, kind, who, score) == (LINK_MODEL, "embedding", DANA, Decimal("-2.75"))
    assert when.isoformat() == CONFIRMED_AT
    dflt = ds.graph(DATASET_DEFAULT_GRAPH_ID)
    other = IRI.link("e-7", "has symptom ✓", "e odd/#?id")
    assert dflt.value(other, SKEIN.confirmedAt) == Literal("last tuesday")
    assert dflt.value(other, SKEIN.confirmedBy) == IRI.person(BOB)
    assert dflt.value(other, PROV.wasGeneratedBy) is None


def test_every_term_is_in_the_ontology(ds: Dataset) -> None:
    declared = set(Graph().parse(ONTOLOGY_PATH, format="turtle").subjects(RDF.type, None))
    used = {n for q in ds.quads((None, None, None, None)) for n in q[:3]
            if isinstance(n, URIRef) and n.startswith(str(SKEIN))
            and not n.removeprefix(str(SKEIN)).startswith(("Type_", "rel_"))}
    assert used - declared == set()


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_every_format_round_trips_and_rapper_agrees(fmt: str, linked: Snapshot,
                                                    tmp_path: Path) -> None:
    from test_roundtrip import assert_round_trip

    out = tmp_path / f"linked{FORMATS[fmt].suffix}"
    assert_round_trip(linked, fmt, out)
    back = parse_bytes(out.read_bytes(), fmt)
    fact = (IRI.entity("e-4"), SKEIN.worksFor, IRI.entity("e-2"))
    assert fact in {(s, p, o) for s, p, o, _ in back.quads((None, None, None, None))}
    rapper, syntax = shutil.which("rapper"), FORMATS[fmt].rapper_syntax
    if rapper is not None and syntax is not None:
        done = subprocess.run([rapper, "-i", syntax, "-c", str(out)], capture_output=True,
                              text=True, timeout=30)
        assert done.returncode == 0 and "error" not in done.stderr.lower(), done.stderr


def test_the_index_holds_the_same_quads(linked: Snapshot) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "query"))
    from test_nquads import actual, expected

    assert actual(linked) == expected(linked)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_gephi_networks_carry_accepted_links(fmt: str, linked: Snapshot,
                                              tmp_path: Path) -> None:
    from kg.rdf.gephi import snapshot_to_network
    from kg.rdf.iri import segment

    graph = snapshot_to_network(linked, "urn:skein:project:")
    found = [d for u, v, d in graph.edges(data=True)
             if (u, v) == (segment("e-4"), segment("e-2")) and d["relation"] == "Work_For"]
    assert found == [{"label": "Work_For", "relation": "Work_For", "weight": 1,
                      "confidence": 1.0, "documents": "", "predicted": 1}]
    out = tmp_path / f"net.{fmt}"
    result = export(linked, fmt, out)
    back = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
    assert back.number_of_edges() == result.edges == graph.number_of_edges()
