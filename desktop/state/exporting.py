"""Exporting the project's graph from the GUI: the choices the export dialog offers and the
long work it runs (`kg.rdf.formats.export`, as ``skein export`` does, with the same IRI base).
No Qt."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.rdf.formats import ExportResult, Format
    from kg.rdf.push import PushReport
    from kg.store import Project
    from nlp.progress import CancelToken, Work

FORMAT_TITLES = {
    "turtle": "Turtle", "nt": "N-Triples", "jsonld": "JSON-LD", "xml": "RDF/XML",
    "trig": "TriG", "nquads": "N-Quads", "graphml": "GraphML (Gephi, yEd)",
    "gexf": "GEXF (Gephi)",
}


def formats() -> list[Format]:
    """Every registered export format (RDF first, then graph formats), in registry order."""
    from kg.rdf.formats import FORMATS

    return sorted(FORMATS.values(), key=lambda f: not f.is_rdf)


def describe(fmt: Format) -> str:
    """One line on what a format keeps."""
    if not fmt.is_rdf:
        return "Entities as nodes, relations as edges, for graph tools."
    if fmt.keeps_graphs:
        return "RDF dataset: provenance in the default graph, one named graph per document."
    return "RDF triples: the union of all graphs (facts and their reified provenance)."


def title(fmt: Format) -> str:
    return f"{FORMAT_TITLES.get(fmt.name, fmt.name)} ({fmt.suffix})"


def with_suffix(path: Path, fmt: Format) -> Path:
    """`path` with `fmt`'s suffix when it has another known export suffix or none."""
    from kg.rdf.formats import FORMATS

    known = {f.suffix for f in FORMATS.values()}
    if path.suffix.lower() in known or not path.suffix:
        return path.with_suffix(fmt.suffix)
    return path


def export_work(project: Project, fmt: str, out: Path, cancel: CancelToken) -> Work[ExportResult]:
    """Long work: read one snapshot of `project` and write it to `out` in format `fmt`
    (atomically: a failed export leaves the old file as it was)."""
    from kg.query.store import project_base
    from kg.rdf.formats import export, get_format
    from kg.resolve.known import export_snapshot
    from nlp.progress import Progress

    get_format(fmt)  # an unknown name fails before anything is read
    yield Progress(0, 2, "reading the project", "export")
    snap = export_snapshot(project)
    cancel.check()
    yield Progress(1, 2, f"writing {out.name}", "export")
    result = export(snap, fmt, out, base=project_base(project))
    yield Progress(2, 2, "done", "export")
    return result


def summary(result: ExportResult) -> str:
    """``Wrote 1,234 triples (56.7 kB) to graph.ttl``."""
    size = result.bytes
    shown = f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.1f} kB" if size >= 1e3 \
        else f"{size} bytes"
    edges = f" and {result.edges:,} edges" if result.edges else ""
    return f"Wrote {result.count:,} {result.unit}{edges} ({shown}) to {result.path.name}"


# -- pushing to a SPARQL store (kg.rdf.push, where this build has it) ---------------------------
PUSH_MODULE = "kg.rdf.push"


def push_available() -> bool:
    """Whether `kg.rdf.push` is part of this build (the dialog offers pushing only then)."""
    import importlib.util

    return importlib.util.find_spec(PUSH_MODULE) is not None


def push_work(
    project: Project, endpoint: str | None, update_endpoint: str | None,
    auth: tuple[str, str] | None, cancel: CancelToken,
) -> Work[PushReport]:
    """Long work: replace the project's graph in a SPARQL store (`kg.rdf.push.push`: a Graph
    Store endpoint, an update endpoint, or both)."""
    from kg.rdf.push import push

    return (yield from push(project, endpoint or None, update_endpoint=update_endpoint or None,
                            auth=auth, cancel=cancel))


def push_summary(report: PushReport) -> str:
    """``Pushed 1,234 triples to graph <g> at <url> (graph-store, 0.4 s)``."""
    return (f"Pushed {report.triples:,} triples to graph <{report.graph}> at "
            f"{report.endpoint} ({report.method}, {report.seconds:.1f} s)")
