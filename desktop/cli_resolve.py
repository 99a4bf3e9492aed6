"""`skein resolve`, `skein merge` and `skein split`: entity resolution from the CLI."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import TYPE_CHECKING, Any

from desktop.cli_common import EXIT_CANCELLED, EXIT_OK, drive

if TYPE_CHECKING:
    from kg.resolve.types import Merge
    from kg.store.project import Project


def find_entity(project: Project, ref: str) -> str:
    """The id of the entity `ref` names: an entity id, else an exact name, else an exact
    alias; ValueError when nothing or more than one entity matches."""
    if project.query("SELECT 1 FROM entities WHERE id = ?", (ref,)):
        return ref
    for sql in ("SELECT id, label, name FROM entities WHERE name = ? ORDER BY id",
                "SELECT DISTINCT e.id, e.label, e.name FROM aliases a JOIN entities e"
                " ON e.id = a.entity WHERE a.alias = ? ORDER BY e.id"):
        rows = project.query(sql, (ref,))
        if len(rows) == 1:
            return str(rows[0][0])
        if rows:
            found = ", ".join(f"{i} [{label}] {name!r}" for i, label, name in rows)
            raise ValueError(f"{ref!r} names {len(rows)} entities ({found}): give an id")
    raise ValueError(f"no entity with id or name {ref!r}")


def _names(project: Project) -> dict[str, tuple[str, str]]:
    return {i: (label, name) for i, label, name in project.query(
        "SELECT id, label, name FROM entities")}


def _row(m: Merge, names: dict[str, tuple[str, str]]) -> dict[str, Any]:
    (ml, mn), (cl, cn) = names.get(m.merged, ("?", "?")), names.get(m.canonical, ("?", "?"))
    return {"merged": m.merged, "merged_name": mn, "merged_type": ml,
            "canonical": m.canonical, "canonical_name": cn, "canonical_type": cl,
            "score": m.score, "reason": m.reason, "method": m.method}


def _print_merges(rows: list[dict[str, Any]]) -> None:
    rows = sorted(rows, key=lambda r: (r["canonical_name"].casefold(), r["merged_name"]))
    for r in rows:
        print(f"{r['score']:.2f}  {r['reason']:<18} {r['merged_name']} [{r['merged_type']}]"
              f"  ->  {r['canonical_name']} [{r['canonical_type']}]"
              f"{'  (by a person)' if r['method'] == 'user' else ''}")


def cmd_resolve(args: argparse.Namespace) -> int:
    from kg.resolve import ResolveOptions, resolve
    from kg.store import Project
    from nlp.progress import Cancelled

    options = (ResolveOptions(embeddings=args.embeddings) if args.threshold is None else
               ResolveOptions(embeddings=args.embeddings, embedding_threshold=args.threshold,
                              learn_threshold=False))
    with Project.open(args.project) as project:
        try:
            report = drive(lambda cancel: resolve(project, options=options, cancel=cancel))
        except Cancelled:
            print("cancelled: the merges are as they were", file=sys.stderr)
            return EXIT_CANCELLED
        names = _names(project)
    rows = [_row(m, names) for m in report.merges]
    if args.json:
        print(json.dumps({
            "entities": report.entities, "after": report.after, "merges": rows,
            "by_reason": report.by_reason(), "known": report.known,
            "embedded": report.embedded, "seconds": round(report.seconds, 3),
            "encoder": report.encoder,
            "threshold": report.threshold.to_json() if report.threshold else None,
        }, ensure_ascii=False, indent=1))
        return EXIT_OK
    _print_merges(rows)
    reasons = ", ".join(f"{k} {v}" for k, v in report.by_reason().items())
    print(f"{report.entities} entities -> {report.after} ({len(rows)} merges"
          f"{': ' + reasons if reasons else ''}; {len(report.known)} known) "
          f"in {report.seconds:.2f} s")
    if report.threshold:
        print(report.threshold.describe())
    if report.encoder:
        print(f"note: {report.encoder}; strings only", file=sys.stderr)
    return EXIT_OK


def cmd_merge(args: argparse.Namespace) -> int:
    from kg.resolve import merge
    from kg.store import Project

    with Project.open(args.project) as project:
        a, b = find_entity(project, args.a), find_entity(project, args.b)
        result = merge(project, a, b, args.user)
        names = _names(project)
    _print_merges([_row(m, names) for m in result])
    return EXIT_OK


def cmd_split(args: argparse.Namespace) -> int:
    from kg.resolve import split
    from kg.store import Project

    with Project.open(args.project) as project:
        entity = find_entity(project, args.entity)
        others = split(project, entity, args.user)
        names = _names(project)
    label, name = names[entity]
    print(f"{name} [{label}] is now apart from: "
          + "; ".join(f"{names[o][1]} [{names[o][0]}]" for o in others))
    return EXIT_OK


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (some containers)
        return "user"


def add_commands(sub: Any) -> None:
    r = sub.add_parser("resolve", help="find entities that are one thing and merge them",
                       description="Entity resolution over the whole project: acronyms, "
                       "partial and variant names, known entities, and the encoder for pairs "
                       "the strings leave open. People's merges and splits always win.")
    r.add_argument("--project", "-p", required=True)
    r.add_argument("--json", action="store_true")
    r.add_argument("--embeddings", choices=("compute", "keep", "off"), default="compute",
                   help="compute: ask the encoder (default); keep: keep its earlier merges "
                        "without loading it; off: strings only")
    r.add_argument("--threshold", type=float, default=None,
                   help="similarity the encoder must find to merge, 0.75 to 1; without it, "
                        "0.75 moved by people's merges and splits of pairs the encoder judges")
    r.set_defaults(func=cmd_resolve)

    user = _user()
    m = sub.add_parser("merge", help="say two entities are one thing (kept across rebuilds)")
    m.add_argument("a", help="entity id or exact name")
    m.add_argument("b", help="entity id or exact name")
    m.add_argument("--project", "-p", required=True)
    m.add_argument("--user", default=user, help=f"who decides (default {user})")
    m.set_defaults(func=cmd_merge)

    s = sub.add_parser("split", help="take an entity out of the entities it is merged with")
    s.add_argument("entity", help="entity id or exact name")
    s.add_argument("--project", "-p", required=True)
    s.add_argument("--user", default=user, help=f"who decides (default {user})")
    s.set_defaults(func=cmd_split)
