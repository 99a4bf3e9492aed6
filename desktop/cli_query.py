"""`skein query` and `skein search`: SPARQL and name search over a project from the CLI."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from desktop.cli_common import EXIT_CANCELLED, EXIT_OK, drive


def _query_text(arg: str) -> str:
    if arg == "-":
        return sys.stdin.read()
    if arg.startswith("@"):
        return Path(arg[1:]).read_text(encoding="utf-8")
    return arg


def cmd_query(args: argparse.Namespace) -> int:
    from kg.query.output import render
    from kg.query.sparql import run_query
    from kg.query.store import open_index
    from kg.store import Project
    from nlp.progress import Cancelled

    text = _query_text(args.sparql)
    try:
        with Project.open(args.project, backups=False) as project:
            store = drive(lambda cancel: open_index(project, cancel=cancel))
    except Cancelled:
        print("cancelled: the query index was not built", file=sys.stderr)
        return EXIT_CANCELLED
    result = run_query(
        store, text, timeout=args.timeout, limit=args.limit, union=args.union
    )
    sys.stdout.write(render(result, args.format))
    return EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    from kg.query.search import SearchIndex, search
    from kg.store import Project
    from kg.store.reads import snapshot

    with Project.open(args.project, backups=False) as project:
        snap = snapshot(project)
    types = set(args.type) if args.type else None
    hits = search(SearchIndex.of(snap), args.text, types=types, limit=args.limit)
    if args.json:
        print(json.dumps([asdict(h) for h in hits], ensure_ascii=False, indent=1))
        return EXIT_OK
    if not hits:
        print("no entity matches", file=sys.stderr)
        return EXIT_OK
    for h in hits:
        alias = f"  (as {h.matched_alias!r})" if h.matched_alias else ""
        print(f"{h.name}  [{h.label}]  {h.mentions} mention{'s' * (h.mentions != 1)}"
              f"  {h.entity_id}{alias}")
    return EXIT_OK


def _positive(value: str) -> float:
    number = float(value)
    if not number > 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return number


def add_commands(sub: Any) -> None:
    q = sub.add_parser(
        "query", help="run a read-only SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE)",
        description="Run a read-only SPARQL query on the project's RDF (the export's dataset: "
        "provenance in the default graph, facts in one named graph per document: use "
        "GRAPH ?g { ... } or --union). Prefixes rdf rdfs xsd owl skos prov dcterms skein are "
        "predeclared. SERVICE, LOAD, FROM and updates are refused.",
    )
    q.add_argument("sparql", help="the query; '-' reads it from stdin, '@FILE' from a file")
    q.add_argument("--project", "-p", required=True)
    q.add_argument("--format", "-f", default="table", choices=("table", "json", "csv"))
    q.add_argument("--timeout", type=_positive, default=30.0, help="seconds (default 30)")
    q.add_argument("--limit", type=int, default=None, help="at most N rows")
    q.add_argument("--union", action="store_true",
                   help="the default graph is the union of all graphs (use DISTINCT)")
    q.set_defaults(func=cmd_query)

    s = sub.add_parser("search", help="find entities by name or alias (prefixes, any case "
                       "or accents)")
    s.add_argument("text")
    s.add_argument("--project", "-p", required=True)
    s.add_argument("--type", action="append", default=[], metavar="LABEL",
                   help="only entities of this type (repeatable), e.g. PER")
    s.add_argument("--limit", type=int, default=20)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_search)
