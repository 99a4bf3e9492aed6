"""The on-disk index: reused while the project is unchanged, rebuilt after any change."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from query_samples import EXTRA, write_docs

from kg.pipeline import build
from kg.query.sparql import run_query
from kg.query.store import MARKER, QueryStore, index_folder, load_index, open_index
from kg.store import Project
from nlp.progress import Cancelled, CancelToken, Progress, run

NAMES = "SELECT ?n WHERE { ?e a skein:Entity ; rdfs:label ?n } ORDER BY ?n"


def _open(path: Path) -> tuple[QueryStore, list[Progress]]:
    steps: list[Progress] = []
    with Project.open(path, backups=False) as project:
        store = run(open_index(project), steps.append)
    return store, steps


def _names(store: QueryStore) -> list[str]:
    return [str(r[0]) for r in run_query(store, NAMES, isolated=False).rows]


def test_reused_while_unchanged(project_path: Path) -> None:
    first, steps = _open(project_path)
    assert any(s.message == "loading" for s in steps)
    assert first.path is not None and first.path.parent == index_folder(project_path)
    assert (first.path / MARKER).is_file() and len(first) > 100
    again, steps = _open(project_path)
    assert again.path == first.path and not any(s.message == "loading" for s in steps)
    assert _names(again) == _names(first)


def test_rebuilt_after_a_build_adds_a_document(project_path: Path, tmp_path: Path) -> None:
    old, _ = _open(project_path)
    assert "Rosa Quintero" not in _names(old)
    with Project.open(project_path, backups=False) as project:
        run(build([write_docs(tmp_path / "more", EXTRA)], project, extractor="rules"))
    new, steps = _open(project_path)
    assert new.path != old.path and any(s.message == "loading" for s in steps)
    assert "Rosa Quintero" in _names(new)
    assert old.path is not None and not old.path.exists()  # swept after the swap
    assert [p.name for p in index_folder(project_path).iterdir()] == [new.path.name]


def test_rebuilt_after_an_edit_that_keeps_every_count(project_path: Path) -> None:
    old, _ = _open(project_path)
    with Project.open(project_path, backups=False) as project, project.transaction() as con:
        con.execute("UPDATE entities SET name = 'Helen Parker' WHERE name = 'Helen Park'")
    new, _ = _open(project_path)
    assert new.path != old.path
    assert "Helen Parker" in _names(new) and "Helen Park" not in _names(new)


def test_a_store_whose_marker_disagrees_is_never_trusted(project_path: Path) -> None:
    store, _ = _open(project_path)
    assert store.path is not None
    marker = store.path / MARKER
    meta = json.loads(marker.read_text())
    marker.write_text(json.dumps({**meta, "fingerprint": "0" * 40}))
    del store
    again, steps = _open(project_path)
    assert any(s.message == "loading" for s in steps)
    assert json.loads((again.path / MARKER).read_text())["fingerprint"] == again.fingerprint


def test_leftover_builds_are_swept_and_recent_ones_kept(project_path: Path) -> None:
    folder = index_folder(project_path)
    old, recent = folder / "tmp-crashed", folder / "tmp-building"
    for d in (old, recent):
        d.mkdir(parents=True)
        (d / "CURRENT").write_text("half a store")
    an_hour_ago = time.time() - 7200
    os.utime(old, (an_hour_ago, an_hour_ago))
    _open(project_path)
    assert not old.exists() and recent.exists()


def test_cancel_leaves_no_store(project_path: Path) -> None:
    cancel = CancelToken()
    cancel.cancel()
    with Project.open(project_path, backups=False) as project, pytest.raises(Cancelled):
        run(open_index(project, cancel=cancel))
    assert not any(index_folder(project_path).glob("store-*"))
    assert not any(index_folder(project_path).glob("tmp-*"))


def test_in_memory_writes_nothing(project_path: Path) -> None:
    with Project.open(project_path, backups=False) as project:
        store = load_index(project, in_memory=True)
    assert store.path is None and not index_folder(project_path).exists()
    assert "Helen Park" in _names(store)
