"""The learning-loop tests' project for the Model & training tests: their fixtures (a tiny
real model imported as v1 into a project of three small documents) are reused, not copied.

A test module imports the fixtures from here (``from training_helpers import ...``); the
module's own ``corpus`` then is the learning documents, so it must not also use the
desktop's `template_project`.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from kg.annotate import accept_mention, relabel_mention
from kg.learn import RetrainConfig
from kg.store import Project

LEARN = Path(__file__).resolve().parents[1] / "learn_loop"
if str(LEARN) not in sys.path:
    sys.path.insert(0, str(LEARN))  # learn_loop_data, which their conftest imports

from learn_loop_data import copy_project  # noqa: E402

_spec = importlib.util.spec_from_file_location("learn_loop_fixtures", LEARN / "conftest.py")
assert _spec is not None and _spec.loader is not None
_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_fixtures)
tiny_model = _fixtures.tiny_model
corpus = _fixtures.corpus
rules_project = _fixtures.rules_project
model_project = _fixtures.model_project

FAST = RetrainConfig(epochs=10, max_steps=15, lr=3e-4, head_lr=5e-3, batch_pieces=384,
                     max_len=64, replay=8, device="cpu", seed=5)
"""Seconds on a CPU (the learning-loop tests' setting)."""
CORRECTED = ("one.txt", "two.txt")
"""The documents corrected; three.txt's gadgets are left for the new model to read."""


@pytest.fixture
def training_project(model_project: Path, tmp_path: Path) -> Path:
    """A copy of the learning project (with its model versions) for one test."""
    return copy_project(model_project, tmp_path)


def correct(project: Project) -> int:
    """The tiny model calls every gadget an ORG: in one.txt and two.txt a person says they
    are MISC and accepts the people and companies. Returns the decisions made."""
    rows = project.query(
        "SELECT m.id, m.label, m.text FROM mentions m JOIN documents d ON d.id = m.document"
        " WHERE (d.source LIKE ? OR d.source LIKE ?) AND m.status = 'suggested'"
        " ORDER BY m.id", tuple(f"%{name}" for name in CORRECTED))
    n = 0
    for mid, label, text in rows:
        if text in ("Quantix", "Zorblex", "Vortana", "Plimbo"):
            if label != "MISC":
                relabel_mention(project, int(mid), "MISC", "ann")
                n += 1
        elif label in ("PER", "ORG", "LOC"):
            accept_mention(project, int(mid), "ann")
            n += 1
    return n


def labels_of(project: Project, text: str, document: str) -> set[tuple[str, str]]:
    """(label, status) of the mentions of `text` in `document` (not rejected)."""
    rows = project.query(
        "SELECT m.label, m.status FROM mentions m JOIN documents d ON d.id = m.document"
        " WHERE m.text = ? AND d.source LIKE ? AND m.status != 'rejected'",
        (text, f"%{document}"))
    return {(str(a), str(b)) for a, b in rows}
