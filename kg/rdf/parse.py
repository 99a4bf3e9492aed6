"""Reading RDF bytes back (for re-import) without ever touching the network or the disk.

The bytes are parsed in memory with a fixed base that cannot resolve (`IMPORT_BASE`), so
relative IRIs never become ``file:`` IRIs of the current folder. JSON-LD is checked before
rdflib sees it: a ``@context`` anywhere that is (or lists) a string, which rdflib would fetch,
and any ``@import`` are refused, and no document loader is given. RDF/XML with a ``<!DOCTYPE``
or ``<!ENTITY`` is refused before parsing (no external or expanding entities). Turtle, TriG,
N-Triples and N-Quads have no way to pull other resources in.
"""

from __future__ import annotations

import json
from typing import Any

from rdflib import Dataset

from kg.rdf.formats import get_format

IMPORT_BASE = "https://import.skein.invalid/"
"""Base of relative IRIs in imported data. Hierarchical, because rdflib's Turtle and RDF/XML
parsers cannot resolve against a ``urn:``; ``.invalid`` (RFC 2606) can never resolve, and
nothing is fetched from it anyway."""

_XML_MARKERS = tuple(
    marker.encode(codec)
    for marker in ("<!doctype", "<!entity")
    for codec in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)


def parse_bytes(data: bytes, fmt: str) -> Dataset:
    """Parse `data`, in the registry's RDF format `fmt`, into a new dataset.

    Raises ValueError for a format that is unknown or not RDF, a remote JSON-LD context, an
    XML document type or entity declaration, or data the parser rejects.
    """
    spec = get_format(fmt)
    if spec.rdflib_name is None:
        raise ValueError(f"{fmt} is not an RDF format")
    if spec.name == "jsonld":
        _check_jsonld(data)
    elif spec.name == "xml":
        _check_xml(data)
    ds = Dataset()
    try:
        ds.parse(data=data, format=spec.rdflib_name, publicID=IMPORT_BASE)
    except Exception as exc:  # rdflib raises many types (BadSyntax, SAXParseException...)
        raise ValueError(f"cannot parse {fmt}: {exc}") from exc
    return ds


def _check_xml(data: bytes) -> None:
    lowered = data.lower()
    if any(marker in lowered for marker in _XML_MARKERS):
        raise ValueError("RDF/XML with a DOCTYPE or ENTITY declaration refused")


def _check_jsonld(data: bytes) -> None:
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not JSON: {exc}") from exc
    _refuse_remote(document, "$")


def _refuse_remote(node: Any, where: str) -> None:
    """Walk the JSON tree; refuse string contexts and imports wherever they are."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            _refuse_remote(item, f"{where}[{i}]")
    elif isinstance(node, dict):
        for key, value in node.items():
            here = f"{where}.{key}"
            if key == "@import":
                raise ValueError(f"remote JSON-LD context refused: @import at {here}")
            if key == "@context":
                contexts = value if isinstance(value, list) else [value]
                for ctx in contexts:
                    if isinstance(ctx, str):
                        raise ValueError(f"remote JSON-LD context refused: {ctx!r} at {here}")
            _refuse_remote(value, here)
