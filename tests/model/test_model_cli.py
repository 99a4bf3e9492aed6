"""`skein train` then `skein evaluate --json` on files the model has never seen."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SPERT = [
    {"tokens": ["Ana", "Lopez", "works", "for", "Hooli", "in", "Lima", "."],
     "entities": [{"type": "Peop", "start": 0, "end": 2}, {"type": "Org", "start": 4, "end": 5},
                  {"type": "Loc", "start": 6, "end": 7}],
     "relations": [{"type": "Work_For", "head": 0, "tail": 1},
                   {"type": "OrgBased_In", "head": 1, "tail": 2}],
     "orig_id": i}
    for i in range(8)
]
CONLL = "-DOCSTART- -X- -X- O\n\n" + "".join(
    "Ana NNP B-NP B-PER\nLopez NNP I-NP I-PER\nvisited VBD B-VP O\nLima NNP B-NP B-LOC\n"
    ". . O O\n\n" for _ in range(4)
)


def skein(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desktop.cli", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=600)


def test_train_then_evaluate_json(tmp_path: Path) -> None:
    (tmp_path / "tiny.json").write_text(json.dumps(SPERT))
    (tmp_path / "tiny.conll").write_text(CONLL)
    out = skein("train", "--data", "tiny.json", "--out", "m", "--max-steps", "3",
                "--map", "Peop=PER", "--map", "Org=ORG", "--map", "Loc=LOC",
                "--device", "cpu", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["model_id"].startswith("skein-custom@")
    assert sorted(p.name for p in (tmp_path / "m").iterdir()) == [
        "bundle.json", "weights.safetensors"]

    for data in ("tiny.json", "tiny.conll"):
        res = skein("evaluate", "--model", "m", "--data", data, "--json", "--device", "cpu",
                    cwd=tmp_path)
        assert res.returncode == 0, res.stderr
        report = json.loads(res.stdout)
        assert 0.0 <= report["ner"]["micro_f1"] <= 1.0
        assert set(report["ner"]["per_type"]) >= {"PER", "LOC"}
        assert "micro_f1" in report["re"] and "per_type" in report["re"]
        assert 0.0 <= report["token_accuracy"] <= 1.0
    table = skein("evaluate", "--model", "m", "--data", "tiny.json", "--device", "cpu",
                  cwd=tmp_path)
    assert "micro" in table.stdout and "Work_For" in table.stdout


def test_evaluate_refuses_a_folder_with_a_pickle(tmp_path: Path) -> None:
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "model.pkl").write_bytes(b"\x80\x04.")
    (tmp_path / "d.json").write_text(json.dumps(SPERT))
    res = skein("evaluate", "--model", "m", "--data", "d.json", cwd=tmp_path)
    assert res.returncode == 1
    assert "model.pkl" in res.stderr and "Traceback" not in res.stderr


def test_train_with_lora_then_tune(tmp_path: Path) -> None:
    (tmp_path / "tiny.json").write_text(json.dumps(SPERT))
    out = skein("train", "--data", "tiny.json", "--out", "m", "--max-steps", "2",
                "--lora-rank", "4", "--lora-alpha", "8", "--storage", "lora",
                "--device", "cpu", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    meta = json.loads((tmp_path / "m" / "bundle.json").read_text())
    assert meta["storage"]["kind"] == "lora" and meta["storage"]["rank"] == 4
    assert meta["config"]["lora"] == {"rank": 4, "alpha": 8,
                                      "targets": ["query", "value", "dense"]}
    refused = skein("train", "--data", "tiny.json", "--out", "x", "--storage", "lora",
                    cwd=tmp_path)
    assert refused.returncode == 2 and "--lora-rank" in refused.stderr

    res = skein("tune", "--data", "tiny.json", "--trials", "2", "--max-steps", "1",
                "--lora-ranks", "0,2", "--device", "cpu", "--json", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    report = json.loads(res.stdout)
    assert [t["number"] for t in report["trials"]] == [0, 1]
    assert report["best"]["score"] == max(t["score"] for t in report["trials"])
    assert report["best_config"]["lr"] == report["best"]["params"]["lr"]
    table = skein("tune", "--data", "tiny.json", "--trials", "1", "--max-steps", "1",
                  "--device", "cpu", cwd=tmp_path)
    assert table.returncode == 0, table.stderr
    assert "head_lr" in table.stdout and "skein train --data tiny.json --lr" in table.stdout
