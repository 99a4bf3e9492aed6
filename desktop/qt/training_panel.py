"""The Model & training panel (a dock): the active model with its scores per type, the
project's corrections, Retrain in the background (progress, live loss/F1 figure, Cancel),
the versions table (Activate, Roll back, Compare per type) and Re-extract documents after a
switch; the automatic-acceptance rule. It renders `TrainingState`, which calls the same
`kg.learn` functions as `skein retrain/models/reextract`; long work runs in the worker, so
the window stays usable while a new version trains.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.qt import plain
from desktop.qt.job_strip import JobStrip
from desktop.qt.training_widgets import (
    AcceptRuleRow,
    CompareTable,
    RowsTable,
    TrainingPlot,
    pane,
)
from desktop.qt.worker import Job, MakeWork
from desktop.state import ProjectState
from desktop.state.events import Subscriptions
from desktop.state.training_state import (
    COMPARISON,
    CORRECTIONS,
    MESSAGE,
    MODELS,
    SERIES,
    TrainingState,
)
from desktop.state.training_text import f1_text
from nlp.progress import Progress

VERSION_HEADERS = ("Version", "Parent", "Created", "Corrections", "Held-out F1",
                   "Dev F1", "Status")
METRIC_HEADERS = ("Type", "Scored on", "P", "R", "F1", "n")


class TrainingPanel(QWidget):
    def __init__(self, project_state: ProjectState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = TrainingState(project_state)
        self._subs = Subscriptions()
        self.job_kind = ""
        self._loaded = False
        # the active model
        self.model_label = plain.label("", self)
        self.model_label.setWordWrap(True)
        self.corrections_label = plain.label("", self)
        self.corrections_label.setWordWrap(True)
        self.metrics_table = RowsTable(METRIC_HEADERS, self)
        self.rule_row = AcceptRuleRow(self)
        self.rule_label = plain.label("", self)
        self.rule_label.setWordWrap(True)
        model_pane = pane("Model", self.model_label, self.metrics_table,
                           self.corrections_label, self.rule_row, self.rule_label, stretch=1)
        # retraining
        self.epochs_box = QSpinBox(self)
        self.epochs_box.setRange(1, 50)
        self.steps_box = QSpinBox(self)
        self.steps_box.setRange(0, 100_000)
        self.steps_box.setSpecialValueText("no cap")
        self.retrain_button = QPushButton("Retrain", self)
        self.retrain_button.setToolTip("Train a new version from the active model and the "
                                       "project's corrections, in the background")
        form = QGridLayout()
        form.addWidget(plain.label("Epochs", self), 0, 0)
        form.addWidget(self.epochs_box, 0, 1)
        form.addWidget(plain.label("Max steps", self), 0, 2)
        form.addWidget(self.steps_box, 0, 3)
        form.addWidget(self.retrain_button, 0, 4)
        form.setColumnStretch(5, 1)
        self.plot = TrainingPlot(self)
        train_pane = pane("Retrain", form, self.plot, stretch=1)
        # versions
        self.versions_table = RowsTable(VERSION_HEADERS, self)
        self.activate_button = QPushButton("Activate", self)
        self.rollback_button = QPushButton("Roll back", self)
        self.delete_button = QPushButton("Delete", self)
        self.delete_button.setToolTip("Delete the selected version's model files (not the "
                                      "active one); its row stays for provenance")
        self.compare_button = QPushButton("Compare", self)
        self.compare_button.setToolTip("Score the selected version and its parent per type "
                                       "on the same held-out corrections")
        self.reextract_button = QPushButton("Re-extract documents", self)
        self.reextract_button.setToolTip("Read every document again with the active model: "
                                         "its suggestions replace the old model's open ones; "
                                         "your decisions stay")
        buttons = QHBoxLayout()
        for button in (self.activate_button, self.rollback_button, self.compare_button,
                       self.delete_button, self.reextract_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.compare_label = plain.label("", self)
        self.compare_table = CompareTable(self)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.versions_table)
        split.addWidget(pane("", self.compare_label, self.compare_table, stretch=1))
        split.setSizes([200, 160])
        versions_pane = pane("Versions", buttons, split, stretch=1)
        panes = QSplitter(Qt.Orientation.Horizontal, self)
        for column in (model_pane, train_pane, versions_pane):
            panes.addWidget(column)
        panes.setSizes([380, 360, 560])
        # status
        self.strip = JobStrip(self, bar_width=260, wrap=True)
        self.message, self.cancel_button = self.strip.message, self.strip.cancel_button
        self.progress = self.strip.progress
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.addWidget(panes, 1)
        layout.addWidget(self.strip)

        self.retrain_button.clicked.connect(self.retrain)
        self.cancel_button.clicked.connect(self.cancel)
        self.strip.idle.connect(self._on_done)
        self.activate_button.clicked.connect(self.activate)
        self.rollback_button.clicked.connect(self.rollback)
        self.delete_button.clicked.connect(self.delete)
        self.compare_button.clicked.connect(self.compare)
        self.reextract_button.clicked.connect(self.reextract)
        self.rule_row.changed.connect(self._rule_changed)
        self.versions_table.itemSelectionChanged.connect(self._follow_buttons)
        self._handlers: dict[str, Callable[[], None]] = {
            MODELS: self._on_models, CORRECTIONS: self._on_corrections, SERIES: self._on_series,
            COMPARISON: self._on_comparison, MESSAGE: self._on_message,
        }
        self.bind(project_state)

    # -- binding ------------------------------------------------------------------------------
    def bind(self, project_state: ProjectState) -> None:
        """Show the models of `project_state` (a newly opened project)."""
        self.shutdown()
        self._subs.clear()
        self.state = TrainingState(project_state)
        self._subs.connect(self.state.changed, lambda aspect: self._handlers[aspect]())
        self._subs.connect(project_state.mentions_changed, self._corrections_changed)
        self.epochs_box.setValue(self.state.config.epochs)
        self.steps_box.setValue(self.state.config.max_steps)
        self._loaded = False
        self.compare_table.set_rows([])
        self.compare_label.setText("Select a version and press Compare to see its scores "
                                   "per type beside its parent's")
        self.plot.set_series({})
        self.message.setText("")
        if self.isVisible():
            self.ensure_loaded()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.ensure_loaded()

    def ensure_loaded(self) -> None:
        """Read the versions and corrections the first time the panel is shown."""
        if not self._loaded:
            self._loaded = True
            self.state.reload()

    def _corrections_changed(self) -> None:
        if self._loaded and self.isVisible() and self.job is None:
            self.state.read_corrections()

    # -- long work ----------------------------------------------------------------------------
    def retrain(self) -> Job | None:
        """Train a new version in the background (progress, live figure, Cancel)."""
        if self.job is not None:
            return None
        self.state.set_config(epochs=self.epochs_box.value(), max_steps=self.steps_box.value())
        self.state.start_series()
        return self._start(self.state.retrain_work, "retrain", "Training a new version…",
                           self.state.on_retrained,
                           "Cancelled: no new version was saved")

    def reextract(self) -> Job | None:
        if self.job is not None:
            return None
        return self._start(self.state.reextract_work, "reextract",
                           "Reading the documents again with the active model…",
                           self.state.on_reextracted, "")

    def compare(self) -> Job | None:
        pair = self.state.compare_pair(self.selected_version())
        if self.job is not None or pair is None:
            return None
        return self._start(self.state.compare_work(*pair), "compare",
                           f"Scoring {pair[0]} and {pair[1]} on the held-out corrections…",
                           self.state.on_compared, "Cancelled")

    @property
    def job(self) -> Job | None:
        """The long work running now (one at a time)."""
        return self.strip.job

    def _start(self, make: MakeWork, kind: str, text: str, finished: Callable[[Any], None],
               cancelled: str) -> Job:
        job = self.strip.prepare(make, kind, text)
        job.progress.connect(self._on_progress)
        job.finished.connect(finished)
        if kind == "reextract":  # documents read before the cancel are updated
            job.cancelled.connect(self.state.on_reextracted)
        job.cancelled.connect(lambda _: self.message.setText(cancelled or "Cancelled"))
        self.job_kind = kind
        self.progress.setFormat("")
        self._follow_buttons()
        job.start()
        return job

    def _on_progress(self, step: Progress) -> None:
        """After the strip's own display: a busy bar while the total is unknown, the
        step's message in the bar (or the line) and the live figure."""
        if not step.total:
            self.progress.setRange(0, 0)
        self.progress.setFormat(f"{step.message[:48]} (%p%)" if step.total else "")
        self.progress.setToolTip(plain.tooltip(step.message))
        if step.message and not step.total:
            self.message.setText(step.message[:1].upper() + step.message[1:] + "…")
        self.state.on_progress(step)

    def _on_done(self) -> None:
        self.job_kind = ""
        self._follow_buttons()

    def cancel(self) -> None:
        if self.strip.cancel():
            self.message.setText("Cancelling…")

    def shutdown(self) -> None:
        """Stop a running job and wait for it (the project is closing or changing)."""
        if self.strip.shutdown():
            self._on_done()

    # -- decisions ----------------------------------------------------------------------------
    def selected_version(self) -> str | None:
        rows = self.versions_table.selectionModel().selectedRows()
        return self.versions_table.text(rows[0].row(), 0) if rows else None

    def activate(self) -> bool:
        version = self.selected_version()
        return version is not None and self.job is None and self.state.activate(version)

    def rollback(self) -> bool:
        return self.job is None and self.state.rollback()

    def delete(self) -> bool:
        version = self.selected_version()
        if self.job is not None or not self.state.deletable(version):
            return False
        answer = QMessageBox.question(
            self, "Delete model version",
            f"Delete the model files of {version}? It cannot be activated again; its row, "
            "scores and the provenance of its suggestions stay.")
        return answer == QMessageBox.StandardButton.Yes and self.state.delete(str(version))

    def _rule_changed(self, automatic: bool, max_drop: float) -> None:
        if self._loaded:
            self.state.set_rule(automatic, max_drop)

    def _follow_buttons(self) -> None:
        idle = self.job is None
        selected = self.selected_version()
        self.retrain_button.setEnabled(idle and bool(self.state.counts.get("train")))
        self.activate_button.setEnabled(idle and selected not in (None, self.state.active)
                                        and not self.state.deleted(str(selected)))
        self.delete_button.setEnabled(idle and self.state.deletable(selected))
        self.rollback_button.setEnabled(idle and (bool(self.state.versions)))
        self.compare_button.setEnabled(idle and self.state.compare_pair(selected) is not None)
        self.reextract_button.setEnabled(idle)
        self.reextract_button.setDefault(idle and self.state.reextract_due)
        for box in (self.epochs_box, self.steps_box):
            box.setEnabled(idle)

    # -- rendering ----------------------------------------------------------------------------
    def _on_models(self) -> None:
        state = self.state
        self.model_label.setText(state.model_text())
        self.metrics_table.set_rows([
            (m.label, m.source, f1_text(m.precision), f1_text(m.recall), f1_text(m.f1),
             str(m.support)) for m in state.metrics])
        if not state.metrics:
            self.metrics_table.setToolTip("No scores per type stored with this model")
        rows = state.rows()
        selected = self.selected_version()
        self.versions_table.set_rows(
            [(r.version, r.parent, r.created, r.corrections, r.holdout, r.dev, r.status)
             for r in rows], tooltips=[r.note for r in rows], bold=[r.active for r in rows])
        names = [r.version for r in rows]
        self.versions_table.selectRow(names.index(selected) if selected in names else 0)
        self.rule_row.show_rule(bool(state.rule.automatic), float(state.rule.max_dev_drop))
        self.rule_label.setText(state.rule_text())
        self._follow_buttons()

    def _on_corrections(self) -> None:
        self.corrections_label.setText(self.state.corrections_text())
        self._follow_buttons()

    def _on_series(self) -> None:
        self.plot.set_series(self.state.series)

    def _on_comparison(self) -> None:
        c = self.state.comparison
        if c is not None:
            self.compare_table.show_comparison(c)
            self.compare_label.setText(f"{c.a.version} → {c.b.version}: F1 per type on the "
                                       f"same {c.sentences} held-out sentences")

    def _on_message(self) -> None:
        self.message.setText(self.state.message)
        self._follow_buttons()
