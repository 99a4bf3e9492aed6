"""bench/label_consistency.py on two tiny SpERT files whose disagreements are known."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def sentence(tokens: str, *entities: tuple[str, int, int]) -> dict[str, Any]:
    return {"tokens": tokens.split(),
            "entities": [{"type": t, "start": s, "end": e} for t, s, e in entities],
            "relations": []}


def write(path: Path, sentences: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps(sentences), encoding="utf-8")
    return path


def test_counts_what_dev_reads_against_train(tmp_path: Path) -> None:
    train = write(tmp_path / "train.json", [
        sentence("She lives in Paris .", ("Loc", 3, 4)),
        sentence("Paris is big .", ("Loc", 0, 1)),
        sentence("Paris said no .", ("Peop", 0, 1)),          # usual reading stays Loc
        sentence("He went to Boston , Mass .", ("Loc", 3, 4), ("Loc", 5, 6)),
        sentence("He went to Lima , Peru .", ("Loc", 3, 6)),
    ])
    dev = write(tmp_path / "dev.json", [
        sentence("We saw Paris .", ("Loc", 2, 3)),            # agrees
        sentence("Paris again .", ("Org", 0, 1)),              # another type
        sentence("Paris , at last ."),                         # dev leaves it unlabelled
        sentence("Near Paris Hilton Hotel .", ("Org", 1, 4)),  # inside a longer entity
        sentence("Rome , Italy .", ("Loc", 0, 1), ("Loc", 2, 3)),
    ])
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "label_consistency.py"), "--train", str(train),
         "--dev", str(dev), "--json"], capture_output=True, text=True, timeout=120, check=True)
    out = json.loads(proc.stdout)
    assert out["dev_entities"] == 5
    assert out["dev_occurrences_checked"] == 3  # the three Paris not inside an entity
    assert out["disagreements"] == {"another type": 1, "dev leaves it unlabelled": 1}
    assert out["disagreements_total"] == 2
    assert out["city_state"] == {"train": {"joined": 1, "split": 1},
                                 "dev": {"joined": 0, "split": 1}}
