"""`skein retrain`, `skein models` and `skein reextract`: the learning loop on the CLI."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from desktop.cli_common import EXIT_CANCELLED, EXIT_ERROR, EXIT_OK, drive

if TYPE_CHECKING:
    from kg.learn import ModelVersion


def _user(args: argparse.Namespace) -> str:
    return str(args.user or getpass.getuser())


def _f1(x: float | None) -> str:
    return "  -  " if x is None else f"{100 * x:5.1f}"


def _version_json(v: ModelVersion, active: str) -> dict[str, Any]:
    return {**{k: getattr(v, k) for k in ("version", "model_id", "parent", "created_at",
                                          "corrections", "status", "seconds", "note")},
            "path": str(v.path), "scores": asdict(v.scores), "active": v.version == active}


def cmd_retrain(args: argparse.Namespace) -> int:
    from kg.learn import LearnError, RetrainConfig, retrain
    from kg.store import Project
    from nlp.progress import Cancelled

    d = RetrainConfig()
    cfg = RetrainConfig(epochs=args.epochs, max_steps=args.steps, replay=args.replay,
                        replay_data=args.replay_data, device=args.device, accept=args.accept,
                        seed=args.seed, dev=d.dev)
    try:
        with Project.open(args.project) as project:
            result = drive(lambda cancel: retrain(project, cfg, user=_user(args),
                                                  cancel=cancel))
    except Cancelled:
        print("cancelled: no model version was saved", file=sys.stderr)
        return EXIT_CANCELLED
    except LearnError as e:
        print(f"skein: {e}", file=sys.stderr)
        return EXIT_ERROR
    v, s = result.version, result.version.scores
    if args.json:
        print(json.dumps({**_version_json(v, v.version if result.activated else ""),
                          "activated": result.activated, "counts": dict(result.counts),
                          "replay": result.replay, "replay_source": result.replay_source,
                          "seconds": round(result.seconds, 1)}, indent=1))
        return EXIT_OK
    c = result.counts
    print(f"saved {v.version} ({v.model_id}) from {v.parent} in {result.seconds:.0f} s")
    print(f"  corrections: {c.get('train', 0)} sentences to train on, {c.get('holdout', 0)} "
          f"held out ({c.get('reviewed', 0)} reviewed, {c.get('partial', 0)} partial; "
          f"{c.get('entities', 0)} entities, {c.get('rejected_spans', 0)} rejected spans, "
          f"{c.get('relations', 0)} relations, {c.get('rejected_relations', 0)} rejected)")
    print(f"  replay: {result.replay} sentences ({result.replay_source})")
    print(f"  holdout F1 ({s.holdout_sentences} sentences): old {_f1(s.holdout_old)}  "
          f"new {_f1(s.holdout_new)}")
    if s.dev_sentences:
        print(f"  dev F1 ({s.dev_sentences} sentences): old {_f1(s.dev_old)}  "
              f"new {_f1(s.dev_new)}")
    if result.activated:
        print(f"  {v.version} is now active: run `skein reextract {args.project}` to update "
              "the suggestions")
    else:
        print(f"  not active: `skein models {args.project} --activate {v.version}` to use it")
    return EXIT_OK


def cmd_models(args: argparse.Namespace) -> int:
    from kg.learn import (
        DEFAULT,
        AcceptRule,
        LearnError,
        accept_rule,
        activate,
        active_version,
        delete_version,
        list_versions,
        rollback,
        set_accept_rule,
    )
    from kg.store import Project

    try:
        with Project.open(args.project, backups=False) as project:
            if args.activate:
                activate(project, args.activate, _user(args))
            elif args.rollback is not None:
                rollback(project, _user(args), args.rollback or None)
            elif args.delete:
                freed = delete_version(project, args.delete, _user(args))
                print(f"deleted {args.delete}: {freed / 1e6:.1f} MB freed (its record stays)",
                      file=sys.stderr)
            if args.auto_accept is not None:
                set_accept_rule(project, AcceptRule(automatic=args.auto_accept >= 0,
                                                    max_dev_drop=max(0.0, args.auto_accept)),
                                _user(args))
            current = active_version(project)
            versions = list_versions(project)
            rule = accept_rule(project)
    except LearnError as e:
        print(f"skein: {e}", file=sys.stderr)
        return EXIT_ERROR
    active = current.version if current else DEFAULT
    if args.json:
        print(json.dumps({"active": active, "rule": asdict(rule),
                          "versions": [_version_json(v, active) for v in versions]}, indent=1))
        return EXIT_OK
    print(f"active: {active}{'' if current else ' (the bundled default model)'}")
    print("  version  status     parent   corr  holdout old→new   dev old→new   created")
    for v in versions:
        s = v.scores
        mark = "*" if v.version == active else " "
        print(f"{mark} {v.version:<8} {v.status:<10} {v.parent or '-':<8} {v.corrections:>4}  "
              f"{_f1(s.holdout_old)}→{_f1(s.holdout_new)}     {_f1(s.dev_old)}→{_f1(s.dev_new)}"
              f"   {v.created_at[:19]}")
    print(f"automatic acceptance: {'on' if rule.automatic else 'off'}"
          + (f" (holdout may not drop; dev may drop {rule.max_dev_drop} points)"
             if rule.automatic else ""))
    return EXIT_OK


def cmd_reextract(args: argparse.Namespace) -> int:
    from kg.learn import LearnError, reextract
    from kg.store import Project

    try:
        with Project.open(args.project) as project:
            r = drive(lambda cancel: reextract(project, cancel=cancel))
    except LearnError as e:
        print(f"skein: {e}", file=sys.stderr)
        return EXIT_ERROR
    if args.json:
        print(json.dumps(asdict(r), indent=1))
    else:
        print(f"{r.documents} documents with {r.model}: {r.added} suggestions added, "
              f"{r.removed} removed, {r.kept} kept; {r.untouched} decided mentions untouched; "
              f"relations {r.relations_added} added, {r.relations_removed} removed, "
              f"{r.relations_kept} kept")
    if r.cancelled:
        print("cancelled: documents finished before the cancel are updated", file=sys.stderr)
        return EXIT_CANCELLED
    return EXIT_OK


def add_commands(sub: Any) -> None:
    from kg.learn import RetrainConfig

    d = RetrainConfig()
    r = sub.add_parser(
        "retrain", help="train a new model version on the project's corrections",
        description="Train a new model version from the project's active model and its "
        "corrections (plus a replay sample so old knowledge is kept), score the old and new "
        "model on held-out corrections, and save it beside the project "
        "(<project>.models/<version>/). It becomes active only with --accept or when the "
        "project's automatic-acceptance rule says so. Ctrl-C cancels; nothing is saved then.")
    r.add_argument("project")
    r.add_argument("--epochs", type=int, default=d.epochs)
    r.add_argument("--steps", type=int, default=d.max_steps,
                   help=f"at most this many training steps (default {d.max_steps}; 0: no cap)")
    r.add_argument("--replay-data", metavar="DIR",
                   help="folder with the original corpora (conll2003/, conll04/) to replay; "
                        "without it the model's own predictions on uncorrected sentences are")
    r.add_argument("--replay", type=int, default=d.replay,
                   help=f"replay sentences (default {d.replay})")
    r.add_argument("--device", default=d.device, help="auto (GPU when present), cpu, cuda")
    r.add_argument("--seed", type=int, default=d.seed)
    r.add_argument("--accept", action="store_true", help="make the new version active")
    r.add_argument("--user", help="who decides (default: the login name)")
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=cmd_retrain)

    m = sub.add_parser("models", help="the project's model versions; activate, roll back "
                       "or delete",
                       description="List the project's model versions with their held-out "
                       "and dev scores; switch versions (then run `skein reextract`).")
    m.add_argument("project")
    what = m.add_mutually_exclusive_group()
    what.add_argument("--activate", metavar="VERSION", help="v1, v2, ... or 'default'")
    what.add_argument("--rollback", nargs="?", const="", metavar="VERSION",
                      help="back to the version active before (or to VERSION)")
    what.add_argument("--delete", metavar="VERSION",
                      help="delete a version that is not active (its bundle; the record "
                           "stays for provenance)")
    m.add_argument("--auto-accept", type=float, metavar="MAX_DEV_DROP",
                   help="take new versions automatically when the holdout F1 does not drop "
                        "and the dev F1 drops at most MAX_DEV_DROP points; negative: off")
    m.add_argument("--user", help="who decides (default: the login name)")
    m.add_argument("--json", action="store_true")
    m.set_defaults(func=cmd_models)

    x = sub.add_parser("reextract", help="update suggestions with the active model version",
                       description="Read every document again with the active model version: "
                       "its suggestions replace the old model's open ones; accepted, added "
                       "and rejected mentions and relations and reviewed sentences stay.")
    x.add_argument("project")
    x.add_argument("--json", action="store_true")
    x.set_defaults(func=cmd_reextract)
