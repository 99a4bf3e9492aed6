"""Importing files: runs the build through the worker, shows progress, a Cancel button,
a one-line summary and (non-modal) the list of files that could not be read."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QDockWidget,
    QMainWindow,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QStatusBar,
)

from desktop.qt import plain
from desktop.qt.worker import Job
from desktop.state import ProjectState
from desktop.state.text import build_summary, failure_lines
from nlp.progress import Progress


class ImportController(QObject):
    """Owns the import job of one window and the status-bar widgets that show it."""

    def __init__(self, window: QMainWindow, state: ProjectState, status: QStatusBar) -> None:
        super().__init__(window)
        self._state = state
        self.job: Job | None = None
        self.summary = plain.label("", window)
        self.progress = QProgressBar(window)
        self.progress.setMaximumWidth(260)
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel", window)
        self.cancel_button.setToolTip("Stop the import after the current file")
        self.cancel_button.clicked.connect(self.cancel)
        status.addWidget(self.summary, 1)
        status.addPermanentWidget(self.progress)
        status.addPermanentWidget(self.cancel_button)
        self.progress.hide()
        self.cancel_button.hide()
        self.problems_text = QPlainTextEdit(window)
        self.problems_text.setReadOnly(True)
        self.problems_text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.problems = QDockWidget("Import problems", window)
        self.problems.setObjectName("problems")
        self.problems.setWidget(self.problems_text)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.problems)
        self.problems.hide()

    def bind(self, state: ProjectState) -> None:
        self._state = state
        self.summary.clear()
        self.problems_text.clear()
        self.problems.hide()

    @property
    def running(self) -> bool:
        return self.job is not None

    def start(self, paths: Sequence[str | Path]) -> Job | None:
        """Import `paths` (files and folders) in the background; None if one is running."""
        if self.job is not None or not paths:
            return None
        state = self._state
        job = Job(lambda cancel: state.import_work(list(paths), cancel), name="import")
        job.progress.connect(self._on_progress)
        job.finished.connect(self._on_finished)
        job.cancelled.connect(self._on_cancelled)
        job.failed.connect(self._on_failed)
        job.done.connect(self._on_done)
        self.job = job
        self.progress.setRange(0, 0)
        self.progress.setFormat("starting…")
        self.progress.show()
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        names = ", ".join(Path(p).name for p in list(paths)[:3])
        more = f" and {len(paths) - 3} more" if len(paths) > 3 else ""
        self.summary.setText(f"Importing {names}{more}…")
        job.start()
        return job

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.summary.setText("Cancelling after the current file…")

    def shutdown(self) -> None:
        """Stop a running import and wait for it (the window is closing)."""
        job = self.job
        if job is not None:
            self.summary.setText("Stopping the import after the current file…")
            self.summary.repaint()
            job.cancel()
            job.wait()  # no limit: the project must not close under a running build
            job.blockSignals(True)  # its queued results must not touch a closed project
            self.job = None

    def _on_progress(self, step: Progress) -> None:
        if step.total:
            self.progress.setRange(0, step.total)
            self.progress.setValue(min(step.done, step.total))
        self.progress.setFormat(f"%v/%m {step.message}"[:60] if step.total else step.message)

    def _on_finished(self, report: Any) -> None:
        self._report(report)

    def _on_cancelled(self, report: Any) -> None:
        if report is None:
            self._state.refresh()
            self.summary.setText("Import cancelled")
        else:
            self._report(report)

    def _on_failed(self, message: str) -> None:
        self._state.refresh()
        self.summary.setText(f"Import failed: {message}")
        self._show_problems([message])

    def _report(self, report: Any) -> None:
        self._state.refresh()
        self.summary.setText(build_summary(report))
        lines = failure_lines(report)
        self.summary.setToolTip(plain.tooltip("\n".join(lines)) if lines else "")
        if lines:
            self._show_problems(lines)

    def _show_problems(self, lines: list[str]) -> None:
        self.problems_text.setPlainText("\n".join(lines))
        self.problems.show()
        window = self.parent()
        if isinstance(window, QMainWindow):  # a few lines high, not half the window
            rows = min(max(len(lines), 2), 8)
            height = self.problems_text.fontMetrics().lineSpacing() * rows + 40
            window.resizeDocks([self.problems], [height], Qt.Orientation.Vertical)

    def _on_done(self) -> None:
        self.job = None
        self.progress.hide()
        self.cancel_button.hide()
