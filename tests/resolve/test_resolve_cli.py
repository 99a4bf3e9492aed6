"""`skein resolve`, `skein merge` and `skein split` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.cli import main
from kg.pipeline import build
from kg.store import Project
from nlp.progress import run

TEXT = ("The Department of Justice (DOJ) met Dr. Helen Park in Boston. Park praised the DOJ.\n\n"
        "Washington is a city. George Washington was a president.")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(TEXT, encoding="utf-8")
    path = tmp_path / "p.skein"
    with Project.create(path) as p:
        run(build([tmp_path / "docs"], p, extractor="rules"))
    return path


def test_resolve_prints_merges_with_score_and_reason(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["resolve", "--project", str(project), "--embeddings", "off", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    rows = {(r["merged_name"], r["canonical_name"]): r for r in data["merges"]}
    assert rows[("DOJ", "Department of Justice")]["reason"] == "defined-acronym"
    assert rows[("Park", "Helen Park")]["score"] == 0.9
    assert data["after"] == data["entities"] - len(data["merges"])
    assert data["by_reason"] == {"defined-acronym": 1, "partial-name": 1}

    assert main(["resolve", "--project", str(project), "--embeddings", "off"]) == 0
    out = capsys.readouterr().out
    assert "0.97  defined-acronym    DOJ [ORG]  ->  Department of Justice [ORG]" in out
    assert "2 merges: defined-acronym 1, partial-name 1" in out


def test_merge_and_split_by_name_or_id(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Project.open(project) as p:
        ids = {name: (eid, label) for eid, label, name in p.query(
            "SELECT id, label, name FROM entities")}
    assert main(["split", "--project", str(project), "Park", "--user", "ann"]) == 0
    assert "Park [PER] is now apart from: Helen Park [PER]" in capsys.readouterr().out
    assert main(["merge", "--project", str(project), "Boston", ids["DOJ"][0],
                 "--user", "ann"]) == 0
    out = capsys.readouterr().out
    assert "(by a person)" in out and "Boston" in out
    with Project.open(project) as p:
        actions = [a for (a,) in p.query("SELECT action FROM corrections ORDER BY id")]
        assert actions == ["entity-split", "entity-merge"]
    # an unknown name, a split of an entity merged with nothing
    assert main(["split", "--project", str(project), "Nobody"]) == 1
    assert "no entity" in capsys.readouterr().err
    assert main(["split", "--project", str(project), "George Washington"]) == 1
    assert "not merged" in capsys.readouterr().err
