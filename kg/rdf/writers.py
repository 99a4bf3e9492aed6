"""RDF writers for the format registry: the dataset of a snapshot, serialized with rdflib, and
JSON-LD written here (see `dataset_to_jsonld`)."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any, BinaryIO

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF
from rdflib.term import Node

from kg.rdf.formats import Format, Written
from kg.rdf.mapping import snapshot_to_dataset, union_graph
from kg.records import Snapshot


def write_rdf(snap: Snapshot, spec: Format, stream: BinaryIO, base: str) -> Written:
    """Serialize `snap` as `spec` to `stream`: the whole dataset where the format keeps named
    graphs, else the union of its graphs."""
    if spec.rdflib_name is None:
        raise ValueError(f"{spec.name} is not an RDF format")
    ds = snapshot_to_dataset(snap, base, same_as=dict(snap.same_as))
    if not spec.keeps_graphs:
        graph = union_graph(ds)
        graph.serialize(destination=stream, format=spec.rdflib_name, encoding="utf-8")
        return Written(len(graph), "triples")
    quads = sum(1 for _ in ds.quads((None, None, None, None)))
    if spec.name == "jsonld":
        document = dataset_to_jsonld(ds)
        stream.write(json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8"))
    else:
        ds.serialize(destination=stream, format=spec.rdflib_name, encoding="utf-8")
    return Written(quads, "quads")


def dataset_to_jsonld(ds: Dataset) -> list[dict[str, Any]]:
    """`ds` as expanded JSON-LD: the default graph's node objects at the top level, each named
    graph as ``{"@id": name, "@graph": [...]}``; every IRI in full, every literal as
    ``{"@value": lexical form, "@type" | "@language": ...}``.

    Written here rather than by rdflib, whose serializer drops an empty-string value next to
    another value of the same property and wraps a dataset's default graph in a graph object
    without ``@id`` (which JSON-LD processors such as oxigraph read as a blank-node graph).
    Expanded form has no ``@context`` at all: nothing to fetch, no compact-IRI ambiguity.
    """
    top = _nodes(ds.graph(DATASET_DEFAULT_GRAPH_ID))
    for graph in sorted(ds.graphs(), key=lambda g: str(g.identifier)):
        if graph.identifier != DATASET_DEFAULT_GRAPH_ID and len(graph):
            top.append({"@id": _ref(graph.identifier), "@graph": _nodes(graph)})
    return top


def _ref(node: Node) -> str:
    return f"_:{node}" if isinstance(node, BNode) else str(node)


def _value(node: Node) -> dict[str, str]:
    if not isinstance(node, Literal):
        return {"@id": _ref(node)}
    value = {"@value": str(node)}
    if node.language:
        value["@language"] = node.language
    elif node.datatype is not None:
        value["@type"] = str(node.datatype)
    return value


def _nodes(graph: Graph) -> list[dict[str, Any]]:
    subjects: dict[Node, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for s, p, o in sorted(graph.triples((None, None, None)), key=lambda t: [n.n3() for n in t]):
        if p == RDF.type and isinstance(o, URIRef):
            subjects[s]["@type"].append(str(o))
        else:
            subjects[s][str(p)].append(_value(o))
    return [{"@id": _ref(s), **props} for s, props in subjects.items()]
