"""GraphML and GEXF: networkx reads back the nodes, edges and attributes that were written."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from rdf_samples import D1, D2, NAMES, snapshots

from kg.rdf.facts import clean
from kg.rdf.formats import export
from kg.rdf.iri import segment
from kg.records import Snapshot

EXPECTED_NODES: dict[str, dict[str, Any]] = {
    "e-1": {"type": "PER", "mentions": 1, "aliases": "Ann | A\\N | Ann\nO'Neil"},
    "e-2": {"type": "ORG", "mentions": 1, "aliases": "Acme"},
    "e-3": {"type": "LOC", "mentions": 2, "aliases": '"Zurich"@en | Zurich'},
    "e-4": {"type": "PER", "mentions": 1, "aliases": ""},  # its D1 mention was rejected
    "e-5": {"type": "DISEASE / illness", "mentions": 1, "aliases": "covid"},
    "e odd/#?id": {"type": "MISC", "mentions": 1, "aliases": "<x>"},
    "e-7": {"type": "PER", "mentions": 1, "aliases": ""},
}
EXPECTED_EDGES: dict[tuple[str, str, str], dict[str, Any]] = {
    ("e-1", "e-2", "Work_For"): {"weight": 2, "confidence": 0.95, "documents": D1},
    ("e-2", "e-3", "OrgBased_In"): {"weight": 1, "confidence": 0.75, "documents": D1},
    ("e-4", "e-3", "Live_In"): {"weight": 1, "confidence": 0.6, "documents": D2},
    ("e-5", "e-4", "has symptom ✓"): {"weight": 1, "confidence": 0.1 + 0.2, "documents": D2},
    ("e-3", "e-3", "Located_In"): {"weight": 1, "confidence": 0.0, "documents": D2},  # NaN
    ("e odd/#?id", "e-7", "Work_For"): {"weight": 1, "confidence": 0.8, "documents": D1},
    ("e-1", "e-2", "founder of"): {"weight": 1, "confidence": 0.4, "documents": D1},
}


def read_back(fmt: str, path: Path) -> nx.MultiDiGraph:
    if fmt == "graphml":
        return nx.read_graphml(path, edge_key_type=str, force_multigraph=True)
    graph = nx.read_gexf(path)
    assert isinstance(graph, nx.MultiDiGraph)
    return graph


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_reads_back_with_counts_and_attributes(
    fmt: str, snap: Snapshot, tmp_path: Path
) -> None:
    out = tmp_path / f"net work #1.{fmt}"
    result = export(snap, fmt, out)
    assert (result.count, result.unit, result.edges) == (7, "nodes", 7)
    graph = read_back(fmt, out)
    assert graph.is_directed()
    if fmt == "graphml":  # edge ids are unique in the file
        assert sorted(k for _, _, k in graph.edges(keys=True)) == [f"r{i}" for i in range(7)]
    assert graph.number_of_nodes() == 7 and graph.number_of_edges() == 7
    for node, expected in EXPECTED_NODES.items():
        data = graph.nodes[segment(node)]
        assert data["label"] == clean(NAMES[node])
        assert data["type"] == expected["type"]
        assert int(data["mentions"]) == expected["mentions"]
        assert data.get("aliases", "") == expected["aliases"]
        assert data["iri"].startswith("urn:skein:project:entity/")
    seen = {}
    ids = {segment(entity): entity for entity in EXPECTED_NODES}
    for head, tail, data in graph.edges(data=True):
        key = (ids[head], ids[tail], data["relation"])
        assert key not in seen
        seen[key] = data
    assert set(seen) == set(EXPECTED_EDGES)
    for key, expected in EXPECTED_EDGES.items():
        data = seen[key]
        assert data["label"] == key[2]
        assert float(data["weight"]) == expected["weight"]
        assert float(data["confidence"]) == pytest.approx(expected["confidence"])
        assert data["documents"] == expected["documents"]


def test_attribute_values_are_plain_types(snap: Snapshot) -> None:
    from kg.rdf.gephi import snapshot_to_network

    graph = snapshot_to_network(snap, "urn:skein:project:")
    values = [v for _, d in graph.nodes(data=True) for v in d.values()]
    values += [v for _, _, d in graph.edges(data=True) for v in d.values()]
    assert values and all(type(v) in (str, int, float) for v in values)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(snap=snapshots())
def test_any_names_read_back(snap: Snapshot) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for fmt in ("graphml", "gexf"):
            out = Path(folder) / f"p.{fmt}"
            result = export(snap, fmt, out)
            graph = _read_any(fmt, out)  # GEXF gives a DiGraph when no edges are parallel
            assert (graph.number_of_nodes(), graph.number_of_edges()) == (
                result.count,
                result.edges,
            )
            for entity in snap.entities:
                data = graph.nodes[segment(entity.id)]
                assert data["label"] == clean(entity.name)
                assert data["type"] == clean(entity.label)
                assert data.get("aliases", "") == clean(" | ".join(entity.aliases))


def _read_any(fmt: str, path: Path) -> nx.Graph:
    return nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
