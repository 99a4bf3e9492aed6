"""Importing through the window: the worker runs the real build; Cancel stops it."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.qt.main_window import MainWindow
from desktop.qt.worker import Job
from kg.pipeline import BuildReport
from nlp.progress import CancelToken, Work

MakeDocs = Callable[[Path, int], Path]


def names(window: MainWindow) -> set[str]:
    return {Path(d.source).name for d in window.state.documents}


def list_titles(window: MainWindow) -> set[str]:
    model = window.document_list.model()
    return {model.index(r, 0).data() for r in range(model.rowCount())}


def wait_done(qtbot: QtBot, job: Job) -> None:
    with qtbot.waitSignal(job.done, timeout=60_000):
        pass


def test_importing_a_folder_updates_the_list(
        window: MainWindow, qtbot: QtBot, tmp_path: Path, make_documents: MakeDocs) -> None:
    folder = make_documents(tmp_path / "more", 3)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    job = window.import_paths([folder])
    assert job is not None
    assert window.imports.progress.isVisible() and window.imports.cancel_button.isVisible()
    assert window.import_paths([folder]) is None  # one import at a time
    wait_done(qtbot, job)
    assert {"extra-00.txt", "extra-01.txt", "extra-02.txt", "broken.pdf"} <= names(window)
    assert {"extra-00", "extra-01", "extra-02"} <= list_titles(window)
    assert window.imports.summary.text() == "Import: 3 added, 0 unchanged, 1 failed"
    assert not window.imports.progress.isVisible()
    assert not window.imports.cancel_button.isVisible()
    assert window.imports.problems.isVisible()  # non-modal list of what failed
    assert "broken.pdf — " in window.imports.problems_text.toPlainText()
    assert "Traceback" not in window.imports.problems_text.toPlainText()
    assert "8 documents (2 failed)" in window.counts_label.text()


def test_cancel_mid_import_keeps_what_was_finished(
        window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        make_documents: MakeDocs) -> None:
    folder = make_documents(tmp_path / "many", 6)
    state = window.state
    real = state.import_work
    gate = threading.Event()

    def gated(paths: Sequence[str | Path], cancel: CancelToken) -> Work[BuildReport]:
        work = real(paths, cancel)
        try:
            while True:  # pass the build's steps on; hold it once its 2nd file is next
                step = next(work)
                yield step
                if step.done == 1:
                    gate.wait(10)
        except StopIteration as stop:
            return stop.value

    monkeypatch.setattr(state, "import_work", gated)
    job = window.import_paths([folder])
    assert job is not None
    reports: list[BuildReport] = []
    job.cancelled.connect(reports.append)
    qtbot.waitUntil(lambda: window.imports.progress.value() >= 1, timeout=30_000)
    qtbot.mouseClick(window.imports.cancel_button, Qt.MouseButton.LeftButton)
    assert job.token.cancelled
    gate.set()
    wait_done(qtbot, job)
    assert job.outcome == "cancelled"
    assert len(reports) == 1 and reports[0].cancelled
    imported = {n for n in names(window) if n.startswith("extra-")}
    assert 1 <= len(imported) < 6
    assert "cancelled" in window.imports.summary.text()
    assert not window.imports.cancel_button.isVisible()


def test_open_a_bad_project_reports_one_line(
        window: MainWindow, tmp_path: Path) -> None:
    bad = tmp_path / "bad.skein"
    bad.write_bytes(b"not a database at all, <b>really</b>")
    before = window.state
    assert not window.open_project(bad)
    assert window.state is before
    assert window.last_error is not None and "not a Skein project" in window.last_error
    assert "\n" not in window.last_error


def test_new_project_then_reopen_from_recent(
        window: MainWindow, tmp_path: Path, project_path: Path) -> None:
    new = tmp_path / "fresh.skein"
    assert window.new_project(new)
    assert window.windowTitle() == "Skein — fresh"
    assert window.state.documents == () and window.document_list.model().rowCount() == 0
    assert window.mentions_panel.model().rowCount() == 0
    recent = window.recent_projects()
    assert recent[:2] == [str(new.resolve()), str(project_path.resolve())]
    assert window.open_project(Path(recent[1]))
    assert window.windowTitle() == "Skein — demo"
    assert window.document_list.model().rowCount() == 4


def test_closing_the_window_mid_import_stops_it_first(
        window: MainWindow, tmp_path: Path, make_documents: MakeDocs) -> None:
    job = window.import_paths([make_documents(tmp_path / "some", 4)])
    assert job is not None
    window.close()  # cancels, waits for the thread, then closes the project
    assert not job.is_running()
    assert job.token.cancelled


def test_screenshot_script_writes_light_and_dark_pngs(project_path: Path, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("DISPLAY", None)
    out = subprocess.run(
        [sys.executable, str(root / "installer" / "screenshots.py"), "--out", str(tmp_path / "png"),
         "--project", str(project_path), "--size", "900x600"],
        capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    for name in ("skein-light.png", "skein-dark.png"):
        data = (tmp_path / "png" / name).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 10_000


def test_opening_the_open_project_again_is_a_no_op(window: MainWindow, project_path: Path) -> None:
    before = window.state
    assert window.open_project(project_path)
    assert window.state is before and window.last_error is None
