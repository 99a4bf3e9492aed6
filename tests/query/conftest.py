"""Fixtures of the query tests: one small real project (rule-based build), built once."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from query_samples import DOCS, write_docs

from kg.pipeline import build
from kg.query.store import QueryStore, load_index
from kg.records import Snapshot
from kg.store import Project
from kg.store.reads import snapshot
from nlp.progress import run


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed project file holding DOCS."""
    folder = tmp_path_factory.mktemp("query")
    docs = write_docs(folder / "docs", DOCS)
    with Project.create(folder / "p.skein") as project:
        run(build([docs], project, extractor="rules"))
    return folder / "p.skein"


@pytest.fixture
def project_path(built: Path, tmp_path: Path) -> Path:
    """A copy of the built project that a test may change."""
    target = tmp_path / "p.skein"
    shutil.copyfile(built, target)
    return target


@pytest.fixture(scope="session")
def snap(built: Path) -> Snapshot:
    with Project.open(built, backups=False) as project:
        return snapshot(project)


@pytest.fixture(scope="session")
def index(built: Path) -> Iterator[QueryStore]:
    """The on-disk query index of the built project."""
    with Project.open(built, backups=False) as project:
        store = load_index(project)
    yield store


@pytest.fixture(scope="session")
def odd() -> Snapshot:
    """The RDF tests' snapshot of awkward names, ids and labels."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "rdf"))
    try:
        from rdf_samples import odd_snapshot
    finally:
        sys.path.pop(0)
    return odd_snapshot()
