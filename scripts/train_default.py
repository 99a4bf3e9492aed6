"""Train Skein's default model on CoNLL-2003 + CoNLL04 train splits; tune on dev.

    python scripts/train_default.py [--data ../shared/data] [--out assets/models/default]
        [--epochs 3] [--lr 1e-4] [--head-lr 1e-3] [--max-len 256] [--limit N] [--device auto]
        [--init BUNDLE] [--sample CORPUS=K] [--repeat CORPUS=N] [--storage full-fp16]

The shipped model (skein-news@20261202T224351Z) is four stages, each from the last:
    --epochs 3 --lr 1e-4 --head-lr 1e-3 --seed 13                                   (S1)
    --init S1 --epochs 4 --lr 5e-5 --head-lr 5e-4 --sample conll2003=4 --repeat conll04=3 --seed 13
    --init S2 --epochs 4 --lr 4e-5 --head-lr 4e-4 --sample conll2003=5 --repeat conll04=4 --seed 17
    --init S3 --epochs 3 --lr 3e-5 --head-lr 3e-4 --sample conll2003=8 --repeat conll04=5 --seed 23
then stored with --storage delta-int8 (bundle.json's "stages" records each stage's config),
and its confidences calibrated on dev:
    skein calibrate --model OUT --data conll2003/valid.txt --data conll04/conll04_dev.json

Prints progress to stderr and a JSON summary (dev metrics, seconds) to stdout.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.model.recipe import default_corpora, train_bundle  # noqa: E402
from nlp.model.train import TrainConfig  # noqa: E402
from nlp.model.weights_codec import STORAGES  # noqa: E402


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    p.add_argument("--out", default=str(ROOT / "assets" / "models" / "default"))
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--lr", type=float, default=1e-4)
    p.add_argument("--head-lr", type=float, default=1e-3)
    p.add_argument("--max-len", type=int, default=256)
    p.add_argument("--batch-pieces", type=int, default=1024)
    p.add_argument("--limit", type=int, default=0, help="examples per corpus (smoke runs)")
    p.add_argument("--max-steps", type=int, default=0)
    p.add_argument("--device", default="auto")
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--lora-rank", type=int, default=0,
                   help="train the encoder through LoRA adapters of this rank (0: all of it)")
    p.add_argument("--lora-alpha", type=int, default=16)
    p.add_argument("--ema", type=float, default=0.0,
                   help="keep a moving average of the weights with this decay per step")
    p.add_argument("--relations-only", action="store_true",
                   help="train only the relation classifier (with --init): entities do not "
                        "move; relations are learnt in every annotation convention")
    p.add_argument("--only", default="", help="comma-separated corpus names to train on")
    p.add_argument("--init", default=None, help="continue from this bundle (a second stage)")
    p.add_argument("--sample", action="append", default=[], metavar="CORPUS=K",
                   help="train on every K-th document of CORPUS (a replay sample)")
    p.add_argument("--repeat", action="append", default=[], metavar="CORPUS=N",
                   help="show CORPUS N times per epoch")
    p.add_argument("--storage", default="full-fp16", choices=STORAGES,
                   help="how the bundle stores its weights (nlp.model.weights_codec)")
    args = p.parse_args()
    cfg = TrainConfig(epochs=args.epochs, lr=args.lr, head_lr=args.head_lr,
                      max_len=args.max_len, batch_pieces=args.batch_pieces, device=args.device,
                      seed=args.seed, max_steps=args.max_steps, ema=args.ema,
                      lora_rank=args.lora_rank, lora_alpha=args.lora_alpha,
                      relations_only=args.relations_only)
    corpora = default_corpora(Path(args.data))
    sample = dict(item.split("=") for item in args.sample)
    repeat = dict(item.split("=") for item in args.repeat)
    corpora = [replace(c, sample=int(sample.get(c.name, c.sample)),
                       repeat=int(repeat.get(c.name, c.repeat))) for c in corpora]
    if args.only:
        corpora = [c for c in corpora if c.name in args.only.split(",")]
    started, last = time.monotonic(), 0.0
    work = train_bundle(corpora, Path(args.out), config=cfg, limit=args.limit, init=args.init,
                        storage=args.storage)
    while True:
        try:
            step = next(work)
        except StopIteration as stop:
            summary = stop.value
            break
        now = time.monotonic()
        if step.stage != "train" or now - last > 30:
            last = now
            print(f"[{now - started:7.0f}s] {step.stage} {step.done}/{step.total} {step.message}",
                  file=sys.stderr, flush=True)
    summary.pop("history", None)
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
