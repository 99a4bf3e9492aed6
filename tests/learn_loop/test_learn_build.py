"""Builds extract with the project's active model version, and follow a switch back."""

from __future__ import annotations

from pathlib import Path

from kg.learn import DEFAULT, active_version, rollback
from kg.pipeline import build
from kg.store import Project
from nlp.progress import run


def _new_document(folder: Path, name: str) -> Path:
    """A document unlike any other (the project knows documents by content)."""
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(f"Maria Lopez of {name} works for Acme Corporation in Boston.\n",
                    encoding="utf-8")
    return path


def test_build_extracts_with_the_active_version_and_its_rollback(project: Project,
                                                                  tmp_path: Path) -> None:
    active = active_version(project)
    assert active is not None
    first = run(build([_new_document(tmp_path / "a", "one.txt")], project,
                      extractor="transformer"))
    assert first.added and first.model == active.model_id

    rollback(project, "tester", to=DEFAULT)
    assert active_version(project) is None
    second = run(build([_new_document(tmp_path / "b", "two.txt")], project,
                       extractor="transformer"))
    assert second.added and second.model != active.model_id
    assert second.model.startswith("skein-news@")  # the bundled default model


def test_a_named_model_wins_over_the_active_version(project: Project, tmp_path: Path) -> None:
    active = active_version(project)
    assert active is not None
    report = run(build([_new_document(tmp_path / "c", "three.txt")], project,
                       extractor="transformer", extractor_options={"model": "default"}))
    assert report.model != active.model_id
