"""Export formats, as a registry: a name maps to a file suffix, a media type and a writer
(``"module:function"``, imported only when that format is used).

RDF formats: ``trig`` and ``nquads`` keep the dataset as it is (default graph of provenance +
one named graph per document). ``jsonld`` keeps it too, as expanded JSON-LD: the default
graph's nodes at the top level, each named graph as ``{"@id": graph, "@graph": [...]}``, full
IRIs and no ``@context`` at all (nothing remote, ever); rdflib and oxigraph read it back as the
same dataset. ``turtle``, ``nt`` and ``xml`` hold triples only and get the union of all graphs
(the facts and the reified assertions that carry their provenance). ``graphml`` and ``gexf``
are entity-relation networks for Gephi and the like (see `kg.rdf.gephi`).

Every export is written atomically: to a temporary file in the target's folder, fsynced, then
renamed over the target, so a reader never sees half a file and a failed export leaves the old
file as it was.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, NamedTuple

from kg.rdf.iri import DEFAULT_BASE, check_base
from kg.records import Snapshot


class Written(NamedTuple):
    """What a writer wrote: `items` of `unit`, and edges for graph formats."""

    items: int
    unit: str
    edges: int = 0


Writer = Callable[[Snapshot, "Format", BinaryIO, str], Written]


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    suffix: str
    media_type: str
    writer: str
    """``"module:function"`` taking (snapshot, format, binary stream, IRI base) -> Written."""
    rdflib_name: str | None = None
    """The rdflib serializer/parser plugin; None for non-RDF formats."""
    keeps_graphs: bool = False
    """Whether the format keeps named graphs (else an RDF export is the union of all graphs)."""
    rapper_syntax: str | None = None
    """rapper's ``-i`` name for this syntax, where raptor has a parser for it."""

    @property
    def is_rdf(self) -> bool:
        return self.rdflib_name is not None

    def load_writer(self) -> Writer:
        module, _, function = self.writer.partition(":")
        found: Writer = getattr(importlib.import_module(module), function)
        return found


_RDF_WRITER = "kg.rdf.writers:write_rdf"

FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("turtle", ".ttl", "text/turtle", _RDF_WRITER, "turtle", False, "turtle"),
        Format("nt", ".nt", "application/n-triples", _RDF_WRITER, "nt", False, "ntriples"),
        Format("jsonld", ".jsonld", "application/ld+json", _RDF_WRITER, "json-ld", True),
        Format("xml", ".rdf", "application/rdf+xml", _RDF_WRITER, "xml", False, "rdfxml"),
        Format("trig", ".trig", "application/trig", _RDF_WRITER, "trig", True, "trig"),
        Format("nquads", ".nq", "application/n-quads", _RDF_WRITER, "nquads", True, "nquads"),
        Format("graphml", ".graphml", "application/graphml+xml", "kg.rdf.gephi:write_graphml"),
        Format("gexf", ".gexf", "application/gexf+xml", "kg.rdf.gephi:write_gexf"),
    )
}
"""Every export format, by name."""


def format_names() -> tuple[str, ...]:
    return tuple(FORMATS)


def get_format(name: str) -> Format:
    """The format called `name`; ValueError naming the known ones otherwise."""
    try:
        return FORMATS[name]
    except KeyError:
        raise ValueError(
            f"unknown export format {name!r}; known formats: {', '.join(FORMATS)}"
        ) from None


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    format: str
    count: int
    """Triples (triples-only formats), quads (trig, nquads, jsonld) or nodes (graph formats)."""
    unit: str
    """``triples``, ``quads`` or ``nodes``."""
    edges: int
    """Edges of a graph format; 0 for RDF."""
    bytes: int


def export(snap: Snapshot, fmt: str, out: Path, *, base: str = DEFAULT_BASE) -> ExportResult:
    """Write `snap` to `out` in format `fmt`, atomically; `base` prefixes the records' IRIs.
    ValueError for an unknown format or a bad base."""
    spec = get_format(fmt)
    check_base(base)
    writer = spec.load_writer()
    out = Path(out)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as stream:
            written = writer(snap, spec, stream, base)
            stream.flush()
            os.fsync(stream.fileno())
        tmp.chmod(0o644)
        tmp.replace(out)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    _fsync_dir(out.parent)
    return ExportResult(
        path=out,
        format=spec.name,
        count=written.items,
        unit=written.unit,
        edges=written.edges,
        bytes=out.stat().st_size,
    )


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable where the platform allows opening a directory."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
