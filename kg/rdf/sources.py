"""Reading another tool's RDF file as a stream of quads, safely.

Formats are a registry (`SOURCE_FORMATS`): a name (the export registry's, so ``turtle``, ``nt``,
``nquads``, ``trig``, ``xml``, ``jsonld``), a few aliases, the file suffixes that pick it and
pyoxigraph's parser. A ``.gz`` file is read through gzip and named by the suffix under it.

Only the file's bytes are read: nothing is fetched, ever. Oxigraph's parsers read the file
object incrementally, so N-Triples, N-Quads, Turtle, TriG and RDF/XML stream in constant memory.
RDF/XML is first scanned, block by block, for a ``<!DOCTYPE`` or ``<!ENTITY`` (Oxigraph would
expand internal entities: a billion-laughs file would blow up) and refused if it has one.
JSON-LD is checked by `kg.rdf.parse`'s guard, which refuses any remote ``@context`` and any
``@import`` before a parser sees the data; that guard needs the whole JSON tree, so JSON-LD is
read whole and limited to `MAX_JSONLD_BYTES` (convert larger files to N-Triples). Relative IRIs
resolve against `kg.rdf.parse.IMPORT_BASE`, which can never resolve.
"""

from __future__ import annotations

import contextlib
import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, cast

if TYPE_CHECKING:
    import pyoxigraph as ox

# pyoxigraph and kg.rdf.parse (rdflib) are imported where a file is opened: the CLI builds its
# parser from this registry, and `skein --help` should not pay for an RDF library.
MAX_JSONLD_BYTES = 64 * 2**20
SCAN_BLOCK = 2**20
"""Bytes read at a time when scanning RDF/XML for a document type declaration."""


class RdfImportError(ValueError):
    """An RDF file cannot be imported; the message names the file and the reason."""


@dataclass(frozen=True, slots=True)
class SourceFormat:
    name: str
    title: str
    parser: str
    """The `pyoxigraph.RdfFormat` member that parses it."""
    suffixes: tuple[str, ...]
    aliases: tuple[str, ...] = ()

    def rdf_format(self) -> ox.RdfFormat:
        import pyoxigraph

        found: ox.RdfFormat = getattr(pyoxigraph.RdfFormat, self.parser)
        return found


SOURCE_FORMATS: dict[str, SourceFormat] = {
    f.name: f
    for f in (
        SourceFormat("turtle", "Turtle", "TURTLE", (".ttl", ".turtle"), ("ttl",)),
        SourceFormat("nt", "N-Triples", "N_TRIPLES", (".nt", ".ntriples"),
                     ("ntriples", "n-triples")),
        SourceFormat("nquads", "N-Quads", "N_QUADS", (".nq", ".nquads"), ("nq", "n-quads")),
        SourceFormat("trig", "TriG", "TRIG", (".trig",)),
        SourceFormat("xml", "RDF/XML", "RDF_XML", (".rdf", ".owl", ".xml", ".rdfxml"),
                     ("rdfxml", "rdf/xml", "rdf", "owl")),
        SourceFormat("jsonld", "JSON-LD", "JSON_LD", (".jsonld", ".json"), ("json-ld", "json")),
    )
}
"""Every importable RDF format, by name."""


def source_format_names() -> tuple[str, ...]:
    return tuple(SOURCE_FORMATS)


def _is_gzip(path: Path) -> bool:
    return path.suffix.lower() == ".gz"


def resolve_format(path: Path, name: str | None) -> SourceFormat:
    """The format called `name` (or one of its aliases), else the one `path`'s suffix names."""
    if name is not None:
        wanted = name.strip().lower()
        for spec in SOURCE_FORMATS.values():
            if wanted == spec.name or wanted in spec.aliases:
                return spec
        raise RdfImportError(
            f"{path}: unknown RDF format {name!r}; known formats: {', '.join(SOURCE_FORMATS)}")
    inner = path.with_suffix("") if _is_gzip(path) else path
    suffix = inner.suffix.lower()
    for spec in SOURCE_FORMATS.values():
        if suffix in spec.suffixes:
            return spec
    raise RdfImportError(
        f"{path}: cannot tell the RDF format from the suffix {suffix or '(none)'!r}; "
        f"name it (one of {', '.join(SOURCE_FORMATS)})")


@dataclass
class Source:
    """An open RDF file: its quads, in file order, and how far the reading has got."""

    quads: Iterator[ox.Quad]
    raw: BinaryIO
    size: int

    def position(self) -> int:
        """Bytes of the file (compressed, for a ``.gz``) read so far."""
        try:
            return min(self.raw.tell(), self.size)
        except (OSError, ValueError):
            return 0


def _scan_xml(stream: BinaryIO, path: Path) -> None:
    """Refuse RDF/XML that declares a document type or entities, wherever it does."""
    from kg.rdf.parse import _XML_MARKERS

    keep = max(len(m) for m in _XML_MARKERS) - 1
    tail = b""
    while block := stream.read(SCAN_BLOCK):
        window = (tail + block).lower()
        if any(marker in window for marker in _XML_MARKERS):
            raise RdfImportError(
                f"{path}: RDF/XML with a DOCTYPE or ENTITY declaration refused "
                "(entities could expand without limit)")
        tail = window[-keep:]


@contextlib.contextmanager
def open_source(path: Path, spec: SourceFormat) -> Iterator[Source]:
    """Open `path` for streaming in format `spec`, after the format's safety checks.

    Raises RdfImportError for a file that cannot be read or is refused; parse errors surface
    while the quads are read (SyntaxError from pyoxigraph)."""
    import pyoxigraph

    from kg.rdf.parse import IMPORT_BASE, _check_jsonld

    try:
        size = max(path.stat().st_size, 1)
        raw = open(path, "rb")  # noqa: SIM115 - closed by the `with` right below
    except OSError as e:
        raise RdfImportError(f"{path}: cannot read ({e.strerror or e})") from None
    with raw:
        stream = cast(BinaryIO, gzip.GzipFile(fileobj=raw, mode="rb")) if _is_gzip(path) else raw
        try:
            if spec.name == "xml":
                _scan_xml(stream, path)
                stream.seek(0)
            if spec.name == "jsonld":
                data = stream.read(MAX_JSONLD_BYTES + 1)
                if len(data) > MAX_JSONLD_BYTES:
                    raise RdfImportError(
                        f"{path}: JSON-LD over {MAX_JSONLD_BYTES // 2**20} MB is not imported "
                        "(it has to be read whole to check its contexts); convert it to "
                        "N-Triples or N-Quads")
                try:
                    _check_jsonld(data)
                except ValueError as e:
                    raise RdfImportError(f"{path}: {e}") from None
                quads = pyoxigraph.parse(data, format=spec.rdf_format(), base_iri=IMPORT_BASE)
            else:
                quads = pyoxigraph.parse(stream, format=spec.rdf_format(),
                                         base_iri=IMPORT_BASE)
        except (OSError, EOFError) as e:  # gzip.BadGzipFile is an OSError
            raise RdfImportError(f"{path}: cannot read ({e})") from None
        yield Source(iter(quads), raw, size)
