"""Qt fixtures: a real main window on a copy of the test project; no worker may outlive a test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.qt import worker
from desktop.qt.app import make_window
from desktop.qt.main_window import MainWindow


@pytest.fixture(autouse=True)
def no_worker_left(qtbot: QtBot) -> Iterator[None]:
    """Fail any test that leaves a worker thread running (checked before windows close)."""
    yield
    left = worker.running_jobs()
    if left:
        worker.stop_all(10_000)
        pytest.fail(f"worker threads left running: {[job.name for job in left]}")


@pytest.fixture
def window(qtbot: QtBot, project_path: Path) -> MainWindow:
    w = make_window(project_path)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w

