"""Fixtures for the learning-loop tests: a tiny real model (the packaged encoder, ~20
training steps) and a real project built from three small documents, whose active model
version is that tiny model. Tests get copies of the project (and of its model folder)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from learn_loop_data import DOCUMENTS, copy_project, news

from kg.learn import import_model, reextract
from kg.pipeline import build
from kg.store import Project
from nlp.progress import run


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny news model (PER/ORG/LOC, Work_For/OrgBased_In) saved as a bundle."""
    from nlp.model import bundle
    from nlp.model.encoder import resolve_encoder
    from nlp.model.train import TrainConfig, train

    cfg = TrainConfig(epochs=20, max_steps=20, lr=5e-4, head_lr=5e-3, batch_pieces=384,
                      max_len=64, warmup=0.05, seed=3, device="cpu")
    result = run(train(resolve_encoder(), {"news": news(36, 1)}, {}, cfg))
    folder = tmp_path_factory.mktemp("models") / "tiny"
    info = bundle.save(folder, result.model, result.scheme, resolve_encoder(),
                       {"name": "tiny", "config": cfg.to_json(),
                        "domains": [{"name": "news", "labels": {}, "repeat": 1}]})
    return info.path


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("learn-docs")
    for name, text in DOCUMENTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def rules_project(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The documents built with the rule-based baseline (no model version yet)."""
    path = tmp_path_factory.mktemp("rules") / "learn.skein"
    with Project.create(path) as project:
        report = run(build([corpus], project, extractor="rules"))
    assert len(report.added) == 3, report
    return path


@pytest.fixture(scope="session")
def model_project(rules_project: Path, tiny_model: Path,
                  tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same project with the tiny model imported as v1, active, and re-extracted."""
    path = tmp_path_factory.mktemp("tiny-project") / "learn.skein"
    shutil.copyfile(rules_project, path)
    with Project.open(path, backups=False) as project:
        import_model(project, tiny_model, "tester")
        report = run(reextract(project))
    assert report.documents == 3 and report.added > 0, report
    return path


@pytest.fixture
def project(model_project: Path, tmp_path: Path) -> Iterator[Project]:
    """A copy of `model_project`, open; closed after the test."""
    opened = Project.open(copy_project(model_project, tmp_path), backups=False)
    yield opened
    opened.close()
