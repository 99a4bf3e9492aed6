"""bench/learning_curve.py end to end on tiny files: a tiny model, a tiny pool and eval set
of a new domain, a tiny replay corpus (CoNLL04-style), two rounds of random order."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from learning_data import gadgets, news

from nlp.training.examples import Example

ROOT = Path(__file__).resolve().parents[2]
TO_CONLL04 = {"PER": "Peop", "ORG": "Org", "LOC": "Loc"}


def spert(examples: list[Example], path: Path, labels: dict[str, str] | None = None) -> Path:
    labels = labels or {}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([
        {"tokens": list(ex.tokens),
         "entities": [{"type": labels.get(e.label, e.label), "start": e.start, "end": e.end}
                      for e in ex.entities],
         "relations": [{"type": r.label, "head": r.head, "tail": r.tail} for r in ex.relations],
         "orig_id": ex.doc_id}
        for ex in examples]))
    return path


def test_learning_curve_smoke(tiny_bundle: Path, tmp_path: Path) -> None:
    pool = spert(gadgets(20, 21), tmp_path / "pool.json")
    evaluation = spert(gadgets(6, 22), tmp_path / "eval.json")
    data = tmp_path / "data"  # only CoNLL04 is there: CoNLL-2003 is skipped with a note
    spert(news(10, 23), data / "conll04" / "conll04_train.json", TO_CONLL04)
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "learning_curve.py"), "--rounds", "4,8",
         "--order", "random", "--eval", str(evaluation), "--model", str(tiny_bundle),
         "--train", str(pool), "--data", str(data), "--replay", "0.5", "--epochs", "3",
         "--max-steps", "4", "--batch-pieces", "256", "--device", "cpu", "--json"],
        capture_output=True, text=True, timeout=540, env=env, check=False)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) == {"rounds", "baseline"}
    assert set(out["baseline"]) == {"ner_f1", "re_f1"}
    assert out["baseline"]["re_f1"] == 0.0  # the starting model has no "Tested" relation
    assert [(r["corrections"], r["order"]) for r in out["rounds"]] == [(4, "random"),
                                                                       (8, "random")]
    for r in out["rounds"]:
        assert set(r) == {"corrections", "order", "ner_f1", "re_f1", "seconds"}
        assert 0.0 <= r["ner_f1"] <= 1.0 and 0.0 <= r["re_f1"] <= 1.0 and r["seconds"] > 0
    assert "conll2003" in proc.stderr and "conll04 (10)" in proc.stderr
