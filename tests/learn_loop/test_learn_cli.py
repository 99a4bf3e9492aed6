"""`skein models`, `skein reextract` and `skein retrain` on a real project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from learn_loop_data import copy_project

from desktop.cli import main


def test_models_activate_rollback_and_reextract(model_project: Path, tiny_model: Path,
                                                tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    from kg.learn import import_model
    from kg.store import Project

    path = copy_project(model_project, tmp_path)
    with Project.open(path, backups=False) as project:
        import_model(project, tiny_model, "ann", activate_it=False)
    assert main(["models", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["active"] == "v1" and [v["status"] for v in out["versions"]] == [
        "active", "candidate"]
    assert main(["models", str(path), "--activate", "v2", "--user", "ann"]) == 0
    assert "* v2" in capsys.readouterr().out
    assert main(["models", str(path), "--rollback", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["active"] == "v1"
    assert main(["models", str(path), "--delete", "v1", "--user", "ann"]) == 1
    assert "v1 is the active model" in capsys.readouterr().err
    assert main(["models", str(path), "--delete", "v2", "--user", "ann", "--json"]) == 0
    captured = capsys.readouterr()
    assert [v["status"] for v in json.loads(captured.out)["versions"]] == [
        "active", "deleted"]
    assert "deleted v2:" in captured.err and "MB freed" in captured.err
    assert main(["models", str(path), "--activate", "v7"]) == 1
    assert "no model version 'v7'" in capsys.readouterr().err
    assert main(["models", str(path), "--auto-accept", "0.5", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["rule"] == {
        "automatic": True, "max_dev_drop": 0.5, "max_holdout_drop": 0.0}
    assert main(["reextract", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["documents"] == 3 and report["added"] == 0 and report["kept"] > 0
    assert main(["retrain", str(path)]) == 1  # no corrections yet
    assert "no corrections" in capsys.readouterr().err
