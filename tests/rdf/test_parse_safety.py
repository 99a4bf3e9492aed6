"""Re-importing RDF never reaches the network: remote JSON-LD contexts and XML entities are
refused before any parser runs."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kg.rdf.formats import export
from kg.rdf.parse import IMPORT_BASE, parse_bytes
from kg.records import Snapshot

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*")

NETWORK_EVENTS = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "urllib.Request"}
_watch: dict[str, Any] = {"on": False, "seen": []}


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _watch["on"] and event in NETWORK_EVENTS:
        _watch["seen"].append((event, args))
        raise RuntimeError(f"network access during a parse: {event} {args!r}")


sys.addaudithook(_audit)  # audit hooks cannot be removed; it only acts while _watch["on"]


@pytest.fixture
def no_network() -> Iterator[list[tuple[str, Any]]]:
    """Fail (and block) any socket or urllib use while the test body runs."""
    _watch["seen"] = []
    _watch["on"] = True
    try:
        yield _watch["seen"]
    finally:
        _watch["on"] = False


REMOTE = "https://example.invalid/context.jsonld"
REMOTE_DOCUMENTS = {
    "top-level string": {"@context": REMOTE, "@id": "urn:x:s", "urn:x:p": "v"},
    "string in a list": {"@context": [{"x": "urn:x:"}, REMOTE], "@id": "urn:x:s", "x:p": "v"},
    "nested node": {
        "@context": {"x": "urn:x:"},
        "@graph": [{"@id": "urn:x:s", "x:p": {"@context": REMOTE, "@id": "urn:x:o"}}],
    },
    "scoped context": {
        "@context": {"p": {"@id": "urn:x:p", "@context": REMOTE}},
        "@id": "urn:x:s",
        "p": {"@id": "urn:x:o"},
    },
    "@import": {"@context": {"@import": REMOTE, "x": "urn:x:"}, "@id": "urn:x:s", "x:p": "v"},
    "in a list at the top": [{"@context": REMOTE, "@id": "urn:x:s", "urn:x:p": "v"}],
}


@pytest.mark.parametrize("name", list(REMOTE_DOCUMENTS))
def test_remote_jsonld_context_is_refused_without_network(
    name: str, no_network: list[tuple[str, Any]]
) -> None:
    data = json.dumps(REMOTE_DOCUMENTS[name]).encode()
    with pytest.raises(ValueError, match="remote JSON-LD context refused"):
        parse_bytes(data, "jsonld")
    assert no_network == []


def test_the_guard_is_what_stops_the_fetch(no_network: list[tuple[str, Any]]) -> None:
    """Without parse_bytes' check, rdflib would fetch the context: the audit hook sees it."""
    from rdflib import Dataset

    data = json.dumps(REMOTE_DOCUMENTS["top-level string"])
    with pytest.raises(Exception):  # noqa: B017 - whatever rdflib makes of the blocked fetch
        Dataset().parse(data=data, format="json-ld")
    assert no_network, "rdflib did not try the network; this test proves nothing"
    no_network.clear()


def test_inline_context_and_our_own_export_parse_offline(
    snap: Snapshot, tmp_path: Path, no_network: list[tuple[str, Any]]
) -> None:
    inline = {"@context": {"x": "urn:x:"}, "@id": "x:s", "x:p": "v"}
    assert len(parse_bytes(json.dumps(inline).encode(), "jsonld")) == 1
    out = tmp_path / "p.jsonld"
    export(snap, "jsonld", out)
    assert sum(1 for _ in parse_bytes(out.read_bytes(), "jsonld").quads()) > 100
    assert no_network == []


XXE = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:x="urn:x:">
  <rdf:Description rdf:about="urn:x:s"><x:p>&xxe;</x:p></rdf:Description>
</rdf:RDF>
"""


@pytest.mark.parametrize("codec", ["utf-8", "utf-16"])
@pytest.mark.parametrize("doc", [XXE, XXE.replace("DOCTYPE", "doctype")])
def test_xml_with_doctype_or_entities_is_refused(
    doc: str, codec: str, no_network: list[tuple[str, Any]]
) -> None:
    data = doc.replace('"1.0"?>', f'"1.0" encoding="{codec}"?>').encode(codec)
    with pytest.raises(ValueError, match="DOCTYPE or ENTITY"):
        parse_bytes(data, "xml")


def test_relative_iris_resolve_against_a_fixed_base() -> None:
    ds = parse_bytes(b"<s> <urn:x:p> <o> .", "turtle")
    (s, _, o, _), *_ = ds.quads()
    assert str(s) == IMPORT_BASE + "s" and str(o) == IMPORT_BASE + "o"


@pytest.mark.parametrize(
    ("data", "fmt", "message"),
    [
        (b"<a> <b> .", "nt", "cannot parse nt"),
        (b"{not json", "jsonld", "not JSON"),
        (b"<x/>", "graphml", "not an RDF format"),
        (b"", "n3", "known formats: turtle, nt, jsonld, xml, trig, nquads, graphml, gexf"),
    ],
)
def test_bad_input_is_a_value_error(data: bytes, fmt: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_bytes(data, fmt)
