"""Query results as plain Python values, and the shared loop that reads them from Oxigraph.

Used both in-process (`kg.query.sparql`) and in the query child process (`kg.query._child`),
so the two paths give the same rows.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

Value = str | int | float | bool | None
"""A result cell: IRIs and other literals as their lexical form, numbers and booleans as
Python numbers and booleans, blank nodes as ``_:id``, unbound as None."""

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = frozenset(
    XSD + t
    for t in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt",
        "unsignedShort", "unsignedByte",
    )
)
_FLOATS = frozenset(XSD + t for t in ("decimal", "double", "float"))
_BOOLEAN = XSD + "boolean"

PREFIXES: dict[str, str] = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": XSD,
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "skein": "https://skein.dev/ontology#",
}
"""Prefixes every query may use without declaring them."""

TRIPLE_COLUMNS = ("subject", "predicate", "object")


@dataclass(frozen=True, slots=True)
class Header:
    kind: str
    columns: tuple[str, ...]


def plain(term: object) -> Value:
    """The plain value of an RDF term (see `Value`)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        lexical = term.value
        try:
            if datatype in _INTEGERS:
                return int(lexical)
            if datatype in _FLOATS:
                return float(lexical)
        except ValueError:
            return lexical
        if datatype == _BOOLEAN:
            return lexical.strip() in ("true", "1")
        return lexical
    return str(term)  # a quoted triple (RDF 1.2)


def execute(
    store: ox.Store,
    text: str,
    kind: str,
    *,
    union: bool,
    bindings: Mapping[str, ox.NamedNode | ox.Literal | ox.BlankNode] | None,
) -> tuple[Header, Iterator[tuple[Value, ...]]]:
    """Run a checked query on `store`; the header and a lazy iterator of its rows."""
    substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
        ox.Variable(k): v for k, v in (bindings or {}).items()
    }
    try:
        result = store.query(
            text, prefixes=PREFIXES, use_default_graph_as_union=union,
            substitutions=substitutions or None,
        )
    except SyntaxError as e:
        raise ValueError(f"invalid SPARQL: {e.msg or e}") from None
    if isinstance(result, ox.QueryBoolean):
        return Header("ask", ("boolean",)), iter([(bool(result),)])
    if isinstance(result, ox.QuerySolutions):
        names = tuple(v.value for v in result.variables)
        return Header("select", names), (tuple(plain(s[n]) for n in names) for s in result)
    triples = (
        (plain(t.subject), plain(t.predicate), plain(t.object)) for t in result
    )
    return Header(kind, TRIPLE_COLUMNS), triples


def take(
    rows: Iterator[tuple[Value, ...]], limit: int | None, stop: threading.Event | None = None
) -> Iterator[tuple[Value, ...] | bool]:
    """The rows, at most `limit`, then True if more were left out (False otherwise); stops
    early, without the flag, once `stop` is set."""
    for count, row in enumerate(rows):
        if stop is not None and stop.is_set():
            return
        if limit is not None and count >= limit:
            yield True
            return
        yield row
    yield False


def term_from_nt(nt: str) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """A term back from its N-Triples form (as `str(term)` writes it)."""
    quads = list(ox.parse(f"<urn:x:s> <urn:x:p> {nt} .", format=ox.RdfFormat.N_TRIPLES))
    if len(quads) != 1:
        raise ValueError(f"not one RDF term: {nt!r}")
    obj = quads[0].object
    if not isinstance(obj, ox.NamedNode | ox.Literal | ox.BlankNode):
        raise ValueError(f"not a plain RDF term: {nt!r}")
    return obj
