"""Fixtures for the desktop tests: a small real project built by `kg.pipeline.build`.

Qt runs offscreen, and the app's settings go to an ini file in the test's tmp_path.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything loads Qt
os.environ.setdefault("SKEIN_EXTRACTOR", "rules")  # imports in GUI tests: fast, deterministic

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from kg.pipeline import build
from kg.store import Project
from nlp.progress import run

ALPHA = (
    "Angela Merkel met Emmanuel Macron in Paris on Monday. The European Union and "
    "Siemens AG signed a deal in Berlin.\n\nBarack Obama visited Microsoft in Seattle.\n"
)
MARKUP = "Report: <b>bold</b><script>alert(1)</script> & John Smith lives in London.\n"
EMOJI = "Dr. Jane Doe 🇨🇭 moved to Zürich. 😀 John Smith works for Acme Corp in London.\n"

CORPUS = {
    "alpha.txt": ALPHA,
    "markup.txt": MARKUP,
    "emoji.txt": EMOJI,
    "empty.pdf": "",
}


def write_corpus(folder: Path, files: dict[str, str] = CORPUS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def more_documents(folder: Path, n: int) -> Path:
    """`n` small text files with a few entities each, for import tests."""
    return write_corpus(folder, {
        f"extra-{i:02d}.txt": f"Report {i}: Maria Lopez met Tom Becker in Madrid for Nokia.\n"
        for i in range(n)
    })


@pytest.fixture
def make_documents() -> Callable[[Path, int], Path]:
    """`make_documents(folder, n)` writes `n` small text files into `folder`."""
    return more_documents


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="session")
def template_project(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once per session; tests get copies (`project_path`)."""
    path = tmp_path_factory.mktemp("template") / "demo.skein"
    with Project.create(path) as project:
        report = run(build([corpus], project, extractor="rules"))
    assert len(report.added) == 3 and len(report.failed) == 1, report
    return path


@pytest.fixture
def project_path(template_project: Path, tmp_path: Path) -> Path:
    target = tmp_path / "demo.skein"
    shutil.copyfile(template_project, target)
    return target


@pytest.fixture(autouse=True)
def settings_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app's QSettings go to this ini file, never to the user's settings."""
    path = tmp_path / "settings.ini"
    monkeypatch.setenv("SKEIN_SETTINGS", str(path))
    return path
