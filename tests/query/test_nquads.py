"""The index holds exactly the export's dataset (`kg.rdf.mapping.snapshot_to_dataset`)."""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from rdflib import Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from kg.query.nquads import to_nquads
from kg.query.store import QueryStore
from kg.rdf.mapping import snapshot_to_dataset
from kg.records import Snapshot

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "rdf"))
from rdf_samples import snapshots

sys.path.pop(0)

BASE = "urn:skein:project:0123:"
pytestmark = pytest.mark.filterwarnings("ignore:Dataset.default_context:DeprecationWarning")


def _term(node: Node) -> ox.NamedNode | ox.Literal:
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    assert isinstance(node, Literal), node
    if node.language:
        return ox.Literal(str(node), language=node.language)
    if node.datatype:
        return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
    return ox.Literal(str(node))


def expected(snap: Snapshot) -> set[ox.Quad]:
    out = set()
    for graph in snapshot_to_dataset(snap, BASE).graphs():
        name = graph.identifier
        target = ox.DefaultGraph() if name == DATASET_DEFAULT_GRAPH_ID else ox.NamedNode(str(name))
        out.update(ox.Quad(_term(s), _term(p), _term(o), target) for s, p, o in graph)
    return out


def actual(snap: Snapshot) -> set[ox.Quad]:
    return set(ox.parse(to_nquads(snap, BASE), format=ox.RdfFormat.N_QUADS))


def test_same_quads_as_the_export_on_awkward_records(odd: Snapshot) -> None:
    assert actual(odd) == expected(odd)
    assert len(QueryStore.from_snapshot(odd, BASE)) == len(expected(odd))


def test_same_quads_as_the_export_on_a_real_project(snap: Snapshot) -> None:
    assert actual(snap) == expected(snap)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(snap=snapshots())
def test_same_quads_as_the_export_on_any_text(snap: Snapshot) -> None:
    assert actual(snap) == expected(snap)
