"""Confidence calibration: the Platt fit, ECE, judging predictions, the bundle record, and
`skein calibrate` / `skein evaluate` on the shipped model with real CoNLL04 dev sentences."""

from __future__ import annotations

import json
import math
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nlp.model.calibration import (
    Calibration,
    Platt,
    cross_fitted,
    ece,
    fit_platt,
    judge,
    reliability,
)
from nlp.model.runtime import Prediction
from nlp.training.examples import Example, RelLabel, SpanLabel

ROOT = Path(__file__).resolve().parents[2]
CONLL04_DEV = ROOT.parent / "shared" / "data" / "conll04" / "conll04_dev.json"
DEFAULT = ROOT / "assets" / "models" / "default"


def overconfident(n: int, seed: int = 5) -> list[tuple[float, bool]]:
    """Outcomes drawn with probability sigmoid(z), reported as sigmoid(3 z)."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        z = rng.gauss(1.0, 1.5)
        out.append((1 / (1 + math.exp(-3 * z)), rng.random() < 1 / (1 + math.exp(-z))))
    return out


def test_platt_undoes_overconfidence_and_keeps_the_order() -> None:
    data = overconfident(4000)
    fit = fit_platt(data)
    assert fit.a == pytest.approx(1 / 3, abs=0.05) and abs(fit.b) < 0.15
    assert ece(data) > 0.08
    assert ece([(fit(c), r) for c, r in data]) < 0.02
    assert ece(cross_fitted(data)) < 0.03  # fitted on one half, measured on the other
    raw = sorted(c for c, _ in data)
    mapped = [fit(c) for c in raw]
    assert mapped == sorted(mapped)


def test_nothing_to_learn_gives_the_identity() -> None:
    assert fit_platt([]) == Platt()
    assert fit_platt([(0.9, True), (0.6, True)]) == Platt()
    assert Platt()(0.73) == pytest.approx(0.73)


def test_reliability_bins_and_ece() -> None:
    judged = [(0.95, True), (0.95, False), (0.15, False), (0.15, False)]
    assert reliability(judged) == [(2, 0.15, 0.0), (2, 0.95, 0.5)]
    assert ece(judged) == pytest.approx((2 * 0.15 + 2 * 0.45) / 4)


def test_judge_is_strict_for_spans_types_and_relation_arguments() -> None:
    ex = Example(doc_id="d", index=0, tokens=("Ann", "Lee", "lives", "in", "Rome"),
                 entities=(SpanLabel(0, 2, "PER"), SpanLabel(4, 5, "LOC")),
                 relations=(RelLabel(0, 1, "Live_In"),))
    pred = Prediction([(0, 2, "PER", 0.9), (4, 5, "ORG", 0.8), (2, 3, "MISC", 0.4)],
                      [(0, 1, "Live_In", 0.7), (0, 1, "Work_For", 0.6)])
    ents, rels = judge([ex], [pred])
    assert ents == [(0.9, True), (0.8, False), (0.4, False)]
    # Live_In to an ORG span is not the gold relation (its tail's type is wrong)
    assert rels == [(0.7, False), (0.6, False)]
    right = Prediction([(0, 2, "PER", 0.9), (4, 5, "LOC", 0.8)], [(0, 1, "Live_In", 0.7)])
    assert judge([ex], [right])[1] == [(0.7, True)]


def test_calibration_json_round_trip_and_refusal() -> None:
    cal = Calibration({1: Platt(0.5, -0.4)}, {0: Platt(0.25, -0.7)}, {"entity": {}})
    back = Calibration.from_json(json.loads(json.dumps(cal.to_json())))
    assert back.entity_conf(1, 0.99) == pytest.approx(cal.entity_conf(1, 0.99))
    assert back.relation_conf(0, 0.9) == pytest.approx(Platt(0.25, -0.7)(0.9))
    assert back.entity_conf(0, 0.99) == 0.99  # no map for that domain: raw
    with pytest.raises(ValueError, match="unknown calibration method"):
        Calibration.from_json({"method": "isotonic"})


def skein(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desktop.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=600,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin",
                               "HOME": str(cwd)})


@pytest.mark.slow
@pytest.mark.skipif(not CONLL04_DEV.is_file() or not (DEFAULT / "bundle.json").is_file(),
                    reason="needs ../shared/data/conll04 and the shipped default model")
def test_calibrate_then_evaluate_the_shipped_model(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    rows = json.loads(CONLL04_DEV.read_text(encoding="utf-8"))
    dev = tmp_path / "dev.json"
    dev.write_text(json.dumps(rows[:120]), encoding="utf-8")
    model = tmp_path / "model"
    shutil.copytree(DEFAULT, model)
    (model / "bundle.json").write_text(json.dumps(
        {k: v for k, v in json.loads((model / "bundle.json").read_text()).items()
         if k != "calibration"}), encoding="utf-8")

    def evaluate() -> dict[str, object]:
        out = skein("evaluate", "--model", str(model), "--data", str(dev), "--json",
                    "--device", "cpu", cwd=tmp_path)
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)

    from nlp.model.extractor import TransformerExtractor

    raw = evaluate()
    assert raw["confidence"]["calibrated"] is False
    assert TransformerExtractor(model).info.description.endswith(", raw confidences")
    fitted = skein("calibrate", "--model", str(model), "--data", str(dev), "--device", "cpu",
                   cwd=tmp_path)
    assert fitted.returncode == 0, fitted.stderr
    assert "entity   conll04" in fitted.stdout and "relation conll2003" in fitted.stdout
    meta = json.loads((model / "bundle.json").read_text())
    assert set(meta["calibration"]["entity"]) == {"1"}  # CoNLL04's own convention
    assert set(meta["calibration"]["relation"]) == {"0", "1"}  # read in both
    after = evaluate()
    assert after["confidence"]["calibrated"] is True
    assert "confidences calibrated on dev" in TransformerExtractor(model).info.description
    assert after["ner"] == raw["ner"] and after["re"] == raw["re"]  # only the numbers move
    for head in ("entity", "relation"):
        assert after["confidence"][head]["ece"] < raw["confidence"][head]["ece"]

    no_relations = tmp_path / "no_relations.json"
    no_relations.write_text(json.dumps([{**r, "relations": []} for r in rows[:40]]),
                            encoding="utf-8")
    out = skein("evaluate", "--model", str(model), "--data", str(no_relations), "--json",
                "--device", "cpu", cwd=tmp_path)
    relation = json.loads(out.stdout)["confidence"]["relation"]
    assert relation["ece"] is None and relation["note"] == "the data has no relations to judge"

    meta["calibration"]["method"] = "magic"
    (model / "bundle.json").write_text(json.dumps(meta), encoding="utf-8")
    broken = skein("evaluate", "--model", str(model), "--data", str(dev), cwd=tmp_path)
    assert broken.returncode != 0
    assert "bundle.json: bad calibration (unknown calibration method 'magic')" in broken.stderr


def test_a_grown_model_inherits_the_maps_by_domain_name() -> None:
    from nlp.model.grow import inherited_calibration

    meta = {"domains": [{"name": "conll2003"}, {"name": "conll04"}],
            "calibration": {"method": "platt", "entity": {"0": [0.5, -0.3], "1": [0.4, -0.4]},
                            "relation": {"1": [0.2, -0.8]}, "info": {"entity": {}}}}
    got = inherited_calibration(meta, "base@1", ["conll04", "project"])
    assert got == {"method": "platt", "entity": {"0": [0.4, -0.4]},
                   "relation": {"0": [0.2, -0.8]}, "info": {"inherited_from": "base@1"}}
    assert Calibration.from_json(got).entity_conf(0, 0.9) == pytest.approx(Platt(0.4, -0.4)(0.9))
    assert inherited_calibration({"domains": ["x"]}, "base@1", ["x"]) is None
