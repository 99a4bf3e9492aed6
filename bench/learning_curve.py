"""The learning curve: how fast do an annotator's corrections move F1 in a new domain?

    python bench/learning_curve.py [--rounds 50,100,200,400] [--order uncertainty,random]
        [--eval FILE] [--json] [--model DIR] [--train FILE] [--data DIR] [--epochs N]
        [--replay R] [--max-steps N] [--batch-pieces N] [--seed N] [--device auto]

Starts from the default news model (assets/models/default: PER/ORG/LOC/MISC and the
CoNLL04 relations) and simulates an annotator on SciERC train sentences
(../shared/data/scierc/scierc_train.json, or --train): the "corrections" are the gold
labels of the sentences the review queue picks, either least-sure-first (the current
model's uncertainty, re-scored after every round with the newly trained model) or in a
seeded random order. After each round's cumulative number of corrections the model is
retrained from the starting model with `nlp.model.grow.continue_training` (the label set
grows to SciERC's types and relations under a new annotation-convention id) on the
corrections plus a replay sample of the original training data, and scored on SciERC dev
(or --eval, any SpERT-style JSON file): strict entity and relation micro-F1.

Replay: ``R x corrections`` sentences (default R = 1, "of similar size"), drawn with the
round's seed half from CoNLL-2003 train and half from CoNLL04 train (../shared/data or
--data; a corpus that is missing is skipped with a note), each under its own convention.

The baseline is the starting model on the eval file. A news model knows none of SciERC's
labels, so its F1 there is near 0: that is the honest starting point, not a bug.
Progress goes to stderr; --json prints one JSON object on stdout:
``{"rounds": [{"corrections", "order", "ner_f1", "re_f1", "seconds"}...], "baseline": {...}}``
where "seconds" is the time the retrain took (picking the sentences is not counted).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))

from nlp.progress import Work  # noqa: E402
from nlp.training.examples import Example  # noqa: E402
from nlp.training.readers import read_examples  # noqa: E402

DOMAIN = "corrections"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def drive(work: Work[Any], label: str) -> Any:
    """Run long work, reporting to stderr at most every 15 s."""
    last = time.monotonic()
    while True:
        try:
            step = next(work)
        except StopIteration as stop:
            return stop.value
        now = time.monotonic()
        if now - last > 15:
            last = now
            log(f"  {label}: {step.stage} {step.done}/{step.total} {step.message}")


def replay_pool(data: Path) -> dict[str, list[Example]]:
    from nlp.model.recipe import default_corpora, load_corpus

    pool = {}
    for corpus in default_corpora(data):
        if Path(corpus.train).is_file():
            pool[corpus.name] = load_corpus(corpus.train, corpus.labels)
        else:
            log(f"replay: {corpus.train} is missing; {corpus.name} is not replayed")
    return pool


def replay_sample(pool: dict[str, list[Example]], n: int, seed: int) -> dict[str, list[Example]]:
    """`n` sentences split evenly over the replay corpora."""
    rng = random.Random(seed)  # noqa: S311 -- a data sample, not a secret
    out = {}
    for k, (name, exs) in enumerate(pool.items()):
        share = n // len(pool) + (1 if k < n % len(pool) else 0)
        out[name] = rng.sample(exs, min(share, len(exs)))
    return out


def scores(runtime: Any, examples: list[Example], domain: int) -> dict[str, float]:
    from nlp.model.evaluate import report

    rep = report(runtime, examples, domain)
    return {"ner_f1": round(rep.ner.micro_f1, 4),
            "re_f1": round(rep.re.micro_f1, 4) if rep.re is not None else 0.0}


def curve(args: argparse.Namespace, base: Any, pool: list[Example], evaluation: list[Example],
          replay: dict[str, list[Example]], order_name: str) -> list[dict[str, Any]]:
    from nlp.model.active import order
    from nlp.model.grow import continue_training
    from nlp.model.runtime import Runtime
    from nlp.model.train import TrainConfig

    cfg = TrainConfig(epochs=args.epochs, max_steps=args.max_steps, lr=args.lr,
                      head_lr=args.head_lr, batch_pieces=args.batch_pieces,
                      max_len=base.runtime.max_len, seed=args.seed, device=args.device)
    runtime, domain = base.runtime, 0
    picked: list[int] = []
    rows = []
    for n in args.rounds:
        taken = set(picked)
        rest = [i for i in range(len(pool)) if i not in taken]
        started = time.monotonic()
        ranked = order(order_name, runtime, [pool[i] for i in rest], domain=domain,
                       seed=args.seed)
        picked += [rest[i] for i in ranked[: max(0, n - len(picked))]]
        corrections = [pool[i] for i in picked]
        log(f"[{order_name}] {len(corrections)} corrections picked in "
            f"{time.monotonic() - started:.1f}s; retraining")
        sample = replay_sample(replay, round(args.replay * len(corrections)), args.seed + n)
        started = time.monotonic()
        result = drive(continue_training(base, corrections, sample, cfg, domain=DOMAIN),
                       f"{order_name} {n}")
        seconds = round(time.monotonic() - started, 1)
        runtime = Runtime(result.model, result.tokenizer, result.scheme, max_len=cfg.max_len,
                          device=base.runtime.device)
        domain = result.domains.index(DOMAIN)
        row = {"corrections": len(corrections), "order": order_name,
               **scores(runtime, evaluation, domain), "seconds": seconds}
        log(f"[{order_name}] {row}")
        rows.append(row)
    return rows


def table(out: dict[str, Any], orders: list[str]) -> str:
    by = {(r["order"], r["corrections"]): r for r in out["rounds"]}
    counts = sorted({r["corrections"] for r in out["rounds"]})
    cell = 27
    lines = [" " * 11 + "".join(f"   {o:<{cell}}" for o in orders),
             f"{'corrections':>11}" + f"   {'NER F1':>7} {'RE F1':>7} {'retrain s':>11}"
             * len(orders)]
    lines.append("-" * len(lines[-1]))
    b = out["baseline"]
    lines.append(f"{'0 (start)':>11}" + f"   {b['ner_f1']:7.4f} {b['re_f1']:7.4f} {'-':>11}"
                 * len(orders))
    for n in counts:
        row = f"{n:>11}"
        for o in orders:
            r = by.get((o, n))
            row += (f"   {r['ner_f1']:7.4f} {r['re_f1']:7.4f} {r['seconds']:11.1f}" if r
                    else f"   {'-':>7} {'-':>7} {'-':>11}")
        lines.append(row)
    lines += ["", "Row 0 is the starting model: its labels (news: PER/ORG/LOC/MISC, CoNLL04 "
              "relations) are not", "the eval file's, so F1 near 0 there is expected."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rounds", default="50,100,200,400",
                   help="cumulative corrections after which to retrain")
    p.add_argument("--order", default="uncertainty,random", help="queue orders to compare")
    p.add_argument("--eval", default=str(DATA / "scierc" / "scierc_dev.json"))
    p.add_argument("--json", action="store_true", help="one JSON object on stdout")
    p.add_argument("--model", default=str(ROOT / "assets" / "models" / "default"))
    p.add_argument("--train", default=str(DATA / "scierc" / "scierc_train.json"),
                   help="the sentences the simulated annotator corrects")
    p.add_argument("--data", default=str(DATA), help="where conll2003/ and conll04/ live")
    p.add_argument("--epochs", type=int, default=8)
    p.add_argument("--max-steps", type=int, default=300)
    p.add_argument("--replay", type=float, default=1.0,
                   help="replay sentences per correction (0 = none)")
    p.add_argument("--lr", type=float, default=1e-4)
    p.add_argument("--head-lr", type=float, default=3e-3,
                   help="new layers' learning rate (3e-3 beat 1e-3 at 50 corrections: "
                        "the new labels' rows start silent)")
    p.add_argument("--batch-pieces", type=int, default=512)
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--device", default="auto")
    args = p.parse_args(argv)
    args.rounds = sorted(int(n) for n in args.rounds.split(","))
    orders = [o.strip() for o in args.order.split(",") if o.strip()]

    from nlp.model.active import ORDERS
    from nlp.model.grow import load_base

    unknown = [o for o in orders if o not in ORDERS]
    if unknown:
        p.error(f"unknown order {unknown[0]!r}; choose from {', '.join(ORDERS)}")
    pool, evaluation = read_examples(args.train), read_examples(args.eval)
    replay = replay_pool(Path(args.data)) if args.replay > 0 else {}
    log(f"pool {len(pool)} sentences ({args.train}), eval {len(evaluation)} ({args.eval}), "
        f"replay corpora: {', '.join(f'{k} ({len(v)})' for k, v in replay.items()) or 'none'}")
    base = load_base(args.model, device=args.device)
    out: dict[str, Any] = {"rounds": [], "baseline": scores(base.runtime, evaluation, 0)}
    log(f"baseline (starting model, its own labels): {out['baseline']}")
    for o in orders:
        out["rounds"] += curve(args, base, pool, evaluation, replay, o)
    if args.json:
        print(json.dumps(out))
    else:
        print(table(out, orders))
    return 0


if __name__ == "__main__":
    sys.exit(main())
