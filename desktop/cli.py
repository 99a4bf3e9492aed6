"""`skein`: the command line. It drives exactly the core functions the GUI drives.

Qt is imported only when the window is opened; `skein build/export/info` never load it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from desktop.cli_common import EXIT_CANCELLED, EXIT_ERROR, EXIT_OK, drive
from desktop.cli_embed import add_commands as add_embed_commands
from desktop.cli_learn import add_commands as add_learn_commands
from desktop.cli_model import add_commands as add_model_commands
from desktop.cli_query import add_commands as add_query_commands
from desktop.cli_rdf import add_commands as add_rdf_commands
from desktop.cli_resolve import add_commands as add_resolve_commands


def _parse_passwords(items: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        name, sep, secret = item.partition("=")
        if sep and name:
            out[str(Path(name).resolve()) if os.sep in name else name] = secret
        else:
            out["*"] = item
    return out


def cmd_build(args: argparse.Namespace) -> int:
    from kg.pipeline import build
    from kg.store import Project

    path = Path(args.project)
    with Project.open(path) if path.exists() else Project.create(path) as project:
        report = drive(lambda cancel: build(
            args.paths, project, extractor=args.extractor, timeout=args.timeout,
            passwords=_parse_passwords(args.password), cancel=cancel,
        ))
        for _path, reason in report.failed:
            print(f"failed: {reason}", file=sys.stderr)
        print(f"{len(report.added)} added, {len(report.replaced)} replaced, "
              f"{len(report.unchanged)} unchanged, {len(report.failed)} failed "
              f"(extractor: {report.model})")
        if report.cancelled:
            print("cancelled: documents finished before the cancel are kept", file=sys.stderr)
            return EXIT_CANCELLED
    return EXIT_OK


def cmd_info(args: argparse.Namespace) -> int:
    from kg.store import Project
    from kg.store.reads import documents

    with Project.open(args.project, backups=False) as project:
        counts = project.counts()
        docs = documents(project)
        if args.json:
            print(json.dumps({"counts": counts, "documents": [
                {"source": d.source, "title": d.title, "format": d.format, "status": d.status,
                 "error": d.error} for d in docs]}, indent=2))
            return EXIT_OK
        print(f"project: {project.path}")
        for key in ("documents", "failed", "sentences", "mentions", "entities", "relations",
                    "models", "corrections"):
            print(f"  {key:<12} {counts[key]:>8}")
        for d in docs:
            line = f"  [{d.status:<9}] {d.format:<8} {Path(d.source).name}"
            print(line + (f"  — {d.error}" if d.error else ""))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from kg.rdf.formats import export
    from kg.resolve.known import export_snapshot
    from kg.store import Project

    with Project.open(args.project, backups=False) as project:
        base = f"urn:skein:project:{project.project_id}:"
        result = export(export_snapshot(project), args.format, Path(args.out), base=base)
    print(f"wrote {result.path} ({args.format}, {result.bytes} bytes)")
    return EXIT_OK


def _can_show_window() -> bool:
    if os.environ.get("QT_QPA_PLATFORM") or not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def cmd_app(args: argparse.Namespace) -> int:
    from desktop.sample import ensure_sample_project

    project = Path(args.project) if args.project else drive(ensure_sample_project)
    if not _can_show_window():
        print("no display to open a window on (DISPLAY is not set); the project holds:",
              file=sys.stderr)
        return cmd_info(argparse.Namespace(project=project, json=False))
    try:
        from desktop.qt.app import run_app
    except ImportError as e:  # the GUI is not installed (or no Qt libraries)
        print(f"the desktop window is unavailable ({e}); showing the project instead",
              file=sys.stderr)
        return cmd_info(argparse.Namespace(project=project, json=False))
    return run_app(project, show_graph=not args.project)  # the sample: text and graph


def _parser() -> argparse.ArgumentParser:
    from kg.rdf.formats import format_names

    p = argparse.ArgumentParser(prog="skein", description=__doc__)
    p.add_argument("--version", action="version", version="skein 0.1.0")
    sub = p.add_subparsers(dest="command")

    b = sub.add_parser("build", help="ingest documents, extract, link and store them")
    b.add_argument("paths", nargs="+", help="files or folders (folders are read recursively)")
    b.add_argument("--project", "-p", required=True, help="project file (created if missing)")
    b.add_argument("--extractor", default="default",
                   help="extraction backend: default (the trained model, or the rule-based "
                        "baseline when no model is installed), transformer, rules")
    b.add_argument("--password", action="append", default=[], metavar="[FILE=]SECRET",
                   help="password for encrypted PDFs (for FILE, or for all)")
    b.add_argument("--timeout", type=float, default=60.0, help="seconds allowed per file")
    b.set_defaults(func=cmd_build)

    i = sub.add_parser("info", help="counts and document status of a project")
    i.add_argument("--project", "-p", required=True)
    i.add_argument("--json", action="store_true")
    i.set_defaults(func=cmd_info)

    e = sub.add_parser("export", help="export the knowledge graph")
    e.add_argument("--project", "-p", required=True)
    e.add_argument("--format", "-f", required=True, choices=format_names())
    e.add_argument("--out", "-o", required=True)
    e.set_defaults(func=cmd_export)

    a = sub.add_parser("app", help="open the desktop app (default: the sample project)")
    a.add_argument("project", nargs="?")
    a.set_defaults(func=cmd_app)
    add_model_commands(sub)
    add_query_commands(sub)
    add_resolve_commands(sub)
    add_rdf_commands(sub)
    add_embed_commands(sub)
    add_learn_commands(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    from kg.store import ProjectError
    from nlp.documents import DocumentError
    from nlp.model.bundle import BundleError
    from nlp.model.encoder import EncoderError

    args = _parser().parse_args(argv)
    if args.command is None:
        args = _parser().parse_args(["app"])
    try:
        return int(args.func(args))
    except (ProjectError, DocumentError, BundleError, EncoderError, ValueError, OSError) as e:
        print(f"skein: {e}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("\nskein: interrupted", file=sys.stderr)
        return EXIT_CANCELLED


if __name__ == "__main__":
    sys.exit(main())
