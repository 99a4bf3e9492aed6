"""Every RDF format of the registry: export, parse back, same graphs; independent parsers agree."""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from rdf_samples import D1, D2, assert_same_dataset, named_graphs, snapshots
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.rdf.formats import FORMATS, export
from kg.rdf.mapping import snapshot_to_dataset, union_graph
from kg.rdf.parse import parse_bytes
from kg.records import Snapshot

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*")

RDF_FORMATS = [name for name, spec in FORMATS.items() if spec.is_rdf]
OXIGRAPH = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}


def _graph_name(ident: str, base: str = "urn:skein:project:") -> str:
    return f"{base}graph/{ident}"


def assert_round_trip(snap: Snapshot, fmt: str, out: Path) -> None:
    expected = snapshot_to_dataset(snap)
    result = export(snap, fmt, out)
    back = parse_bytes(out.read_bytes(), fmt)
    if FORMATS[fmt].keeps_graphs:
        assert_same_dataset(expected, back)
        assert result.count == sum(1 for _ in back.quads((None, None, None, None)))
    else:
        union = union_graph(expected)
        assert isomorphic(union, back.graph(DATASET_DEFAULT_GRAPH_ID))
        assert sorted(named_graphs(back)) == [str(DATASET_DEFAULT_GRAPH_ID)]
        assert result.count == len(union)


def test_the_registry_lists_six_rdf_formats() -> None:
    assert RDF_FORMATS == ["turtle", "nt", "jsonld", "xml", "trig", "nquads"]


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_export_parses_back_isomorphic(fmt: str, snap: Snapshot, tmp_path: Path) -> None:
    out = tmp_path / f"my project #1{FORMATS[fmt].suffix}"
    assert_round_trip(snap, fmt, out)
    back = parse_bytes(out.read_bytes(), fmt)
    if FORMATS[fmt].keeps_graphs:  # one named graph per document with facts, + the default
        assert sorted(named_graphs(back)) == sorted(
            [str(DATASET_DEFAULT_GRAPH_ID), _graph_name(D1), _graph_name(D2)]
        )


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_an_empty_project_exports(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"empty{FORMATS[fmt].suffix}"
    result = export(Snapshot((), (), (), (), (), ()), fmt, out)
    assert result.count == 0 and result.bytes == out.stat().st_size
    if FORMATS[fmt].is_rdf:
        assert len(parse_bytes(out.read_bytes(), fmt)) == 0


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_rapper_accepts_the_export(fmt: str, snap: Snapshot, tmp_path: Path, rapper: str) -> None:
    syntax = FORMATS[fmt].rapper_syntax
    if syntax is None:
        pytest.skip(f"rapper (raptor2) has no {fmt} parser")
    out = tmp_path / f"export{FORMATS[fmt].suffix}"
    result = export(snap, fmt, out)
    done = subprocess.run(
        [rapper, "-i", syntax, "-c", str(out)], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stderr
    assert "error" not in done.stderr.lower() and "warning" not in done.stderr.lower()
    counted = re.search(r"returned (\d+) (triple|statement)", done.stderr)
    assert counted is not None and int(counted.group(1)) == result.count, done.stderr


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_oxigraph_reads_the_same_graphs(fmt: str, snap: Snapshot, tmp_path: Path) -> None:
    """A second, independent parser (Rust) sees the same quads in the same graphs."""
    out = tmp_path / f"export{FORMATS[fmt].suffix}"
    export(snap, fmt, out)
    quads = list(ox.parse(path=str(out), format=OXIGRAPH[fmt]))
    back = parse_bytes(out.read_bytes(), fmt)
    ours: dict[str, int] = {}
    for _, _, _, g in back.quads((None, None, None, None)):
        name = "" if g is None or g == DATASET_DEFAULT_GRAPH_ID else str(g)
        ours[name] = ours.get(name, 0) + 1
    theirs: dict[str, int] = {}
    for quad in quads:
        graph = quad.graph_name
        name = "" if isinstance(graph, ox.DefaultGraph) else str(graph.value)
        theirs[name] = theirs.get(name, 0) + 1
    assert theirs == ours


def test_the_ontology_parses(rapper: str) -> None:
    path = Path(__file__).resolve().parents[2] / "assets" / "ontology" / "skein.ttl"
    assert len(Graph().parse(path, format="turtle")) > 100
    done = subprocess.run(
        [rapper, "-q", "-i", "turtle", "-c", str(path)], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stderr


# --- property: arbitrary names and labels survive every RDF format ------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(snap=snapshots())
def test_any_names_and_labels_round_trip(snap: Snapshot) -> None:
    """Turtle and TriG as asked, and the other RDF formats too: they are as cheap."""
    with tempfile.TemporaryDirectory() as folder:
        for fmt in RDF_FORMATS:
            assert_round_trip(snap, fmt, Path(folder) / f"p{FORMATS[fmt].suffix}")
