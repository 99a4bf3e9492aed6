"""The bundled sample project: built from `assets/samples` on first use, then reused."""

from __future__ import annotations

import os
from pathlib import Path

from kg.pipeline import build
from kg.store import Project
from nlp.progress import NEVER, CancelToken, Work

ASSETS = Path(__file__).resolve().parents[1] / "assets"
SAMPLES = ASSETS / "samples"


def sample_project_path() -> Path:
    """Where the sample project lives: $SKEIN_SAMPLE_PROJECT, else the user's data folder."""
    if env := os.environ.get("SKEIN_SAMPLE_PROJECT"):
        return Path(env)
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "skein" / "sample.skein"


def ensure_sample_project(cancel: CancelToken = NEVER) -> Work[Path]:
    """Build (or bring up to date) the sample project; return its path."""
    path = sample_project_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with Project.open(path) if path.exists() else Project.create(path) as project:
        yield from build([SAMPLES], project, cancel=cancel)
    return path
