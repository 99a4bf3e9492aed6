"""The Model & training panel in the real window, on a project with a tiny real model: correct,
press Retrain (the window keeps answering: the longest event-loop stall is measured), see the
new version and the live figure, activate it, re-extract and find the corrected type in a
document nobody corrected, compare per type, roll back; Cancel leaves no version."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import training_helpers as helpers
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from training_helpers import FAST, correct, labels_of

from desktop.qt.app import make_window
from desktop.qt.main_window import MainWindow
from desktop.qt.training_panel import TrainingPanel
from desktop.qt.worker import Job
from desktop.state.training_state import HOLDOUT_F1, LOSS
from kg.learn import list_versions
from kg.learn.versions import models_root

# the learning loop's fixtures (this module's `corpus` is their documents)
corpus, tiny_model, rules_project, model_project, training_project = (
    helpers.corpus, helpers.tiny_model, helpers.rules_project, helpers.model_project,
    helpers.training_project)
WORK_MS = 600_000
"""Retraining loads torch in the worker: a minute or more on a busy 2-core machine."""


def _window(qtbot: QtBot, path: Path) -> MainWindow:
    w = make_window(path)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def _panel(window: MainWindow) -> TrainingPanel:
    """View ▸ Model and training (Ctrl+Shift+M), with the tiny retrain setting."""
    window.actions_.training.trigger()
    assert window.analysis.training_dock.isVisible()
    panel = window.analysis.training_panel
    panel.state.set_config(**{k: getattr(FAST, k) for k in FAST.__dataclass_fields__})
    panel.epochs_box.setValue(FAST.epochs)
    panel.steps_box.setValue(FAST.max_steps)
    return panel


def _wait(qtbot: QtBot, job: Job | None) -> None:
    assert job is not None
    with qtbot.waitSignal(job.done, timeout=WORK_MS):
        pass


def _select(panel: TrainingPanel, version: str) -> None:
    table = panel.versions_table
    row = next(r for r in range(table.rowCount()) if table.text(r, 0) == version)
    table.selectRow(row)


def _bold(panel: TrainingPanel) -> list[str]:
    table = panel.versions_table
    items = [table.item(r, 0) for r in range(table.rowCount())]
    return [item.text() for item in items if item is not None and item.font().bold()]


def test_retrain_activate_reextract_compare_rollback(qtbot: QtBot, training_project: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    window = _window(qtbot, training_project)
    panel = _panel(window)
    project = window.state.project
    assert _bold(panel) == ["v1"] and "v1" in panel.model_label.text()
    assert not panel.retrain_button.isEnabled()  # nothing to learn from yet
    assert "No corrections" in panel.corrections_label.text()
    assert labels_of(project, "Quantix", "three.txt") == {("ORG", "suggested")}

    correct(project)
    window.state.reload_mentions()  # an edit in the window: the panel counts again
    assert "to train on" in panel.corrections_label.text() and panel.retrain_button.isEnabled()

    stalls: list[float] = []
    last = [time.monotonic()]

    def tick() -> None:
        now = time.monotonic()
        stalls.append(now - last[0])
        last[0] = now

    timer = QTimer(window)
    timer.timeout.connect(tick)
    timer.start(10)
    started = time.monotonic()
    qtbot.mouseClick(panel.retrain_button, Qt.MouseButton.LeftButton)
    job = panel.job
    assert job is not None and panel.cancel_button.isVisible()
    assert not panel.retrain_button.isEnabled() and not panel.activate_button.isEnabled()
    _wait(qtbot, job)
    seconds = time.monotonic() - started
    timer.stop()
    assert job.outcome == "finished", panel.message.text()
    print(f"retrain from the panel: {panel.state.counts['train']} corrections in "
          f"{seconds:.1f} s; longest event-loop stall {1000 * max(stalls):.0f} ms "
          f"({len(stalls)} ticks)")
    assert panel.versions_table.text(0, 0) == "v2" and panel.versions_table.text(0, 1) == "v1"
    assert panel.versions_table.text(0, 6) == "candidate" and _bold(panel) == ["v1"]
    assert "→" in panel.versions_table.text(0, 4)
    # held-out F1 before training, then after every epoch (the last is the new version's)
    assert len(panel.plot.series[LOSS]) >= 10 and len(panel.plot.series[HOLDOUT_F1]) >= 3
    assert "Saved v2 from v1" in panel.message.text() and not panel.progress.isVisible()

    _select(panel, "v2")
    qtbot.mouseClick(panel.compare_button, Qt.MouseButton.LeftButton)
    _wait(qtbot, panel.job)
    rows = panel.compare_table.rowCount()
    assert rows >= 2 and panel.compare_table.text(rows - 1, 0) == "all decisions"
    header = panel.compare_table.horizontalHeaderItem(1)
    assert header is not None and header.text() == "v1"

    _select(panel, "v2")
    qtbot.mouseClick(panel.activate_button, Qt.MouseButton.LeftButton)
    assert _bold(panel) == ["v2"] and "v2" in panel.model_label.text()
    assert "re-extract" in panel.message.text() and panel.reextract_button.isDefault()
    assert panel.metrics_table.rowCount() >= 1
    assert panel.metrics_table.text(0, 1) == "held-out corrections"

    three = next(d.id for d in window.state.documents if d.source.endswith("three.txt"))
    window.state.select(three)
    assert {m.label for m in window.state.mentions if m.text == "Quantix"} == {"ORG"}
    qtbot.mouseClick(panel.reextract_button, Qt.MouseButton.LeftButton)
    _wait(qtbot, panel.job)
    assert "3 documents read again" in panel.message.text()
    # the new version reads the corrected type where nobody corrected it ...
    assert ("MISC", "suggested") in labels_of(project, "Quantix", "three.txt")
    # ... and the open document shows it without being selected again
    assert "MISC" in {m.label for m in window.state.mentions if m.text == "Quantix"}
    assert window.state.selected is not None and window.state.selected.id == three

    qtbot.mouseClick(panel.rollback_button, Qt.MouseButton.LeftButton)
    assert _bold(panel) == ["v1"] and "v1" in panel.model_label.text()
    assert [v.status for v in list_versions(project)] == ["active", "retired"]

    # Delete asks first; the active version cannot be deleted, a deleted one not used
    _select(panel, "v1")
    assert not panel.delete_button.isEnabled()
    _select(panel, "v2")
    assert panel.delete_button.isEnabled()
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", lambda *args: answers.pop(0))
    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    assert [v.status for v in list_versions(project)] == ["active", "retired"]
    v2 = list_versions(project)[1]
    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    assert [v.status for v in list_versions(project)] == ["active", "deleted"]
    assert not v2.path.exists() and "Deleted v2" in panel.message.text()
    assert panel.versions_table.text(0, 0) == "v2"
    assert panel.versions_table.text(0, 6) == "deleted"
    _select(panel, "v2")
    assert not panel.activate_button.isEnabled() and not panel.delete_button.isEnabled()
    assert not panel.compare_button.isEnabled()


def test_cancel_stops_retraining_and_saves_nothing(qtbot: QtBot,
                                                   training_project: Path) -> None:
    window = _window(qtbot, training_project)
    panel = _panel(window)
    correct(window.state.project)
    window.state.reload_mentions()
    qtbot.mouseClick(panel.retrain_button, Qt.MouseButton.LeftButton)
    job = panel.job
    assert job is not None
    qtbot.waitUntil(lambda: len(panel.state.series[LOSS]) >= 1, timeout=WORK_MS)
    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    _wait(qtbot, job)
    assert job.outcome == "cancelled"
    assert panel.message.text() == "Cancelled: no new version was saved"
    assert [v.version for v in list_versions(window.state.project)] == ["v1"]
    assert not (models_root(window.state.project) / "v2").exists()
    assert panel.versions_table.rowCount() == 2 and panel.retrain_button.isEnabled()
