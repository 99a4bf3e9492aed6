"""`skein push` and `skein import-rdf`: the project graph to a shared SPARQL store, and another
tool's RDF into the project as background knowledge (known entities)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from desktop.cli_common import EXIT_CANCELLED, EXIT_ERROR, EXIT_OK, EXIT_USAGE, drive


def _auth(args: argparse.Namespace) -> tuple[str, str] | None:
    if args.user is None:
        if args.password_env is not None:
            raise ValueError("--password-env needs --user")
        return None
    if args.password_env is None:
        raise ValueError("--user needs --password-env VAR (the password is never taken from "
                         "the command line)")
    password = os.environ.get(args.password_env)
    if password is None:
        raise ValueError(f"the environment variable {args.password_env} is not set")
    return args.user, password


def cmd_push(args: argparse.Namespace) -> int:
    from kg.rdf.push import PushError, push
    from kg.store import Project
    from nlp.progress import Cancelled

    if args.endpoint is None and args.update_endpoint is None:
        print("skein push: give --endpoint (Graph Store) or --update-endpoint (or both)",
              file=sys.stderr)
        return EXIT_USAGE
    auth = _auth(args)
    try:
        with Project.open(args.project, backups=False) as project:
            report = drive(lambda cancel: push(
                project, args.endpoint, graph_iri=args.graph,
                update_endpoint=args.update_endpoint, auth=auth, retries=args.retries,
                timeout=args.timeout, cancel=cancel,
            ))
    except PushError as e:
        print(f"skein: {e}", file=sys.stderr)
        return EXIT_ERROR
    except Cancelled:
        print("cancelled: the store may hold the previous graph, or none if an upload "
              "without an update endpoint was cut", file=sys.stderr)
        return EXIT_CANCELLED
    retried = f", {report.retries} retried" if report.retries else ""
    print(f"pushed {report.triples:,} triples ({report.bytes:,} bytes) to graph "
          f"<{report.graph}> at {report.endpoint} by {report.method} in "
          f"{report.seconds:.1f} s ({report.requests} request{'s' * (report.requests != 1)}"
          f"{retried})")
    return EXIT_OK


def _type_map(items: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        iri, sep, label = item.rpartition("=")
        if not sep or not iri.strip() or not label.strip():
            raise ValueError(f"--type wants CLASS_IRI=LABEL, got {item!r}")
        out[iri.strip()] = label.strip()
    return out


def cmd_import_rdf(args: argparse.Namespace) -> int:
    from kg.rdf.background import import_rdf
    from kg.store import Project
    from nlp.progress import Cancelled

    type_map = _type_map(args.type)
    try:
        with Project.open(args.project, backups=False) as project:
            report = drive(lambda cancel: import_rdf(
                project, args.file, format=args.format, type_map=type_map, cancel=cancel,
            ))
    except Cancelled:
        print("cancelled: nothing was imported", file=sys.stderr)
        return EXIT_CANCELLED
    by_type = ", ".join(f"{n:,} {label}" for label, n in report.labels) or "none"
    replaced = f"; replaced {report.replaced:,} from an earlier import" if report.replaced else ""
    print(f"imported {report.entities:,} known entities ({by_type}) from {report.source} "
          f"({report.format}, {report.triples:,} triples) in {report.seconds:.1f} s{replaced}")
    return EXIT_OK


def _positive(value: str) -> float:
    number = float(value)
    if not number > 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return number


def add_commands(sub: Any) -> None:
    from kg.rdf.sources import source_format_names

    p = sub.add_parser(
        "push", help="send the project graph to a shared SPARQL store",
        description="Replace the project's named graph in a SPARQL 1.1 store with the project's "
        "RDF (the union of its graphs: facts plus PROV-O provenance). With --endpoint, a Graph "
        "Store Protocol PUT; with --update-endpoint too, the upload goes to a staging graph "
        "that one update swaps in atomically; with --update-endpoint alone, SPARQL Update "
        "requests. Pushing twice changes nothing.",
    )
    p.add_argument("--project", "-p", required=True)
    p.add_argument("--endpoint", help="Graph Store Protocol URL, e.g. http://host:7878/store")
    p.add_argument("--update-endpoint", help="SPARQL Update URL, e.g. http://host:7878/update")
    p.add_argument("--graph", help="graph IRI (default: the project's, "
                   "urn:skein:project:<id>:graph)")
    p.add_argument("--user", help="user for HTTP basic authentication")
    p.add_argument("--password-env", metavar="VAR",
                   help="environment variable holding the password")
    p.add_argument("--retries", type=int, default=3,
                   help="retries on connection errors and 5xx answers (default 3)")
    p.add_argument("--timeout", type=_positive, default=30.0, help="seconds (default 30)")
    p.set_defaults(func=cmd_push)

    i = sub.add_parser(
        "import-rdf", help="import the entities of an RDF file as background knowledge",
        description="Read another tool's RDF (Turtle, N-Triples, N-Quads, TriG, RDF/XML, "
        "JSON-LD; .gz too) without fetching anything, and store its named entities as known "
        "entities of the project (names from rdfs:label, skos:prefLabel, schema:name, "
        "foaf:name; aliases from skos:altLabel, schema:alternateName, foaf:nick; types mapped "
        "to PER/ORG/LOC/MISC). Importing the same file again replaces its entities.",
    )
    i.add_argument("file")
    i.add_argument("--project", "-p", required=True)
    i.add_argument("--format", "-f", choices=source_format_names(),
                   help="the file's format (default: from its suffix)")
    i.add_argument("--type", action="append", default=[], metavar="CLASS_IRI=LABEL",
                   help="map a class to a Skein type (repeatable), e.g. "
                        "http://example.org/Weapon=WEAPON")
    i.set_defaults(func=cmd_import_rdf)
