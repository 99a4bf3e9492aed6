"""Fixtures for the embedding tests: a real project built with the rule-based extractor, and
a tiny model trained on it once per session (copied per test, so tests may change them)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("PYSTOW_HOME", str(Path(__file__).resolve().parents[2] / ".venv" / "pystow"))

from kg.embed.config import TrainConfig
from kg.embed.project import train_project
from kg.embed.storage import embeddings_root
from kg.pipeline import build
from kg.store import Project
from nlp.progress import run

TEXTS = {
    "a.txt": (
        "Mary Jones, who works for Acme Corp., met John Smith of IBM in Boston.\n\n"
        "Acme Corp., based in Boston, hired Peter Brown. Peter Brown works for Acme Corp.\n\n"
        "Jane Doe, who lives in Ohio, works for the Federal Trade Commission.\n"
    ),
    "b.txt": (
        "John Smith, who lives in Boston, works for IBM. IBM, based in Armonk, announced "
        "results.\n\nBill Gates met Mary Jones in Seattle. Microsoft chairman Bill Gates lives "
        "in Seattle.\n\nHarlem in New York is busy. Boston, Massachusetts is cold.\n"
    ),
    "c.txt": (
        "Peter Brown, who lives in Boston, met Jane Doe. The Federal Trade Commission, based in "
        "Washington, fined Microsoft.\n\nJohn Wilkes Booth, who assassinated President Lincoln, "
        "fled. Lincoln lived in Washington.\n"
    ),
}

TINY = TrainConfig(model="TransE", dim=16, epochs=8, batch_size=64, seed=7)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project file built from `TEXTS` and a TransE embedding of it, made once."""
    root = tmp_path_factory.mktemp("embed-project")
    docs = root / "docs"
    docs.mkdir()
    for name, text in TEXTS.items():
        (docs / name).write_text(text, encoding="utf-8")
    path = root / "news.skein"
    with Project.create(path) as project:
        run(build([docs], project, extractor="rules"))
        run(train_project(project, TINY))
    return path


@pytest.fixture
def project_path(built: Path, tmp_path: Path) -> Path:
    """A private copy of the built project and its embeddings."""
    path = tmp_path / built.name
    shutil.copy(built, path)
    shutil.copytree(embeddings_root(built), embeddings_root(path))
    return path


@pytest.fixture
def project(project_path: Path) -> Iterator[Project]:
    with Project.open(project_path, backups=False) as p:
        yield p
