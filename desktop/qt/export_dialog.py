"""File > Export…: pick any format of `kg.rdf.formats`'s registry (RDF, GraphML, GEXF) and a
file, export through the worker, and report what was written (count, size).

Where the build has `kg.rdf.push`, a second part pushes the project's graph to a shared
SPARQL store (a Graph Store endpoint, an update endpoint, or both; optional user and
password), through the worker as well.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.qt import plain
from desktop.qt.worker import Job
from desktop.state import ProjectState
from desktop.state.exporting import (
    describe,
    export_work,
    formats,
    push_available,
    push_summary,
    push_work,
    summary,
    title,
    with_suffix,
)
from kg.rdf.formats import ExportResult


class ExportDialog(QDialog):
    def __init__(self, state: ProjectState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export the knowledge graph")
        self.setMinimumWidth(560)
        self.state = state
        self.job: Job | None = None
        self.export_result: ExportResult | None = None
        self.format = QComboBox(self)
        for fmt in formats():
            self.format.addItem(title(fmt), fmt.name)
        self.about = plain.label("", self)
        self.about.setWordWrap(True)
        self.path = QLineEdit(self)
        browse = QPushButton("Browse…", self)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.report = plain.label("", self)
        self.report.setWordWrap(True)
        self.report.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(self)
        self.export_button = self.buttons.addButton(
            "Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        form = QFormLayout()
        form.addRow(plain.label("Format:"), self.format)
        form.addRow(plain.label(""), self.about)
        form.addRow(plain.label("File:"), row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.push_box: PushBox | None = PushBox(self) if push_available() else None
        if self.push_box is not None:
            layout.addWidget(self.push_box)
        layout.addWidget(self.progress)
        layout.addWidget(self.report)
        layout.addWidget(self.buttons)

        default = state.path.with_name(f"{state.name}-graph.ttl")
        self.path.setText(str(default))
        self.format.currentIndexChanged.connect(self._format_changed)
        browse.clicked.connect(self._browse)
        self.export_button.clicked.connect(self.start)
        self.close_button.clicked.connect(self.close)
        self._format_changed()

    def chosen(self) -> str:
        return str(self.format.currentData())

    def _format_changed(self) -> None:
        fmt = next(f for f in formats() if f.name == self.chosen())
        self.about.setText(describe(fmt))
        text = self.path.text().strip()
        if text:
            self.path.setText(str(with_suffix(Path(text), fmt)))

    def _browse(self) -> None:
        fmt = next(f for f in formats() if f.name == self.chosen())
        path, _ = QFileDialog.getSaveFileName(
            self, "Export to", self.path.text(), f"{title(fmt)} (*{fmt.suffix});;All files (*)")
        if path:
            self.path.setText(str(with_suffix(Path(path), fmt)))

    def start(self) -> Job | None:
        """Export to the chosen file in the background; None when not possible now."""
        if self.job is not None:
            return None
        text = self.path.text().strip()
        if not text:
            self.report.setText("Choose a file to export to.")
            return None
        out, fmt, project = Path(text).expanduser(), self.chosen(), self.state.project
        if not out.parent.is_dir():
            self.report.setText(f"The folder {out.parent} does not exist.")
            return None
        job = Job(lambda cancel: export_work(project, fmt, out, cancel), name="export",
                  parent=self)
        job.finished.connect(self._finished)
        job.failed.connect(lambda message: self.report.setText(f"Export failed: {message}"))
        job.cancelled.connect(lambda _: self.report.setText("Export cancelled."))
        job.done.connect(self._done)
        self.job = job
        self.export_result = None
        self.report.setText(f"Exporting to {out.name}…")
        self.progress.show()
        self.export_button.setEnabled(False)
        job.start()
        return job

    def push(self) -> Job | None:
        """Push the project's graph to the store named in the push box, in the background."""
        box = self.push_box
        if self.job is not None or box is None:
            return None
        endpoint, update = box.endpoint.text().strip(), box.update_endpoint.text().strip()
        if not endpoint and not update:
            self.report.setText("Give a Graph Store endpoint, an update endpoint, or both.")
            return None
        user = box.user.text().strip()
        auth = (user, box.password.text()) if user else None
        project = self.state.project
        job = Job(lambda cancel: push_work(project, endpoint, update, auth, cancel),
                  name="push", parent=self)
        job.finished.connect(lambda report: self.report.setText(push_summary(report)))
        job.failed.connect(lambda message: self.report.setText(f"Push failed: {message}"))
        job.cancelled.connect(lambda _: self.report.setText(
            "Push cancelled: the store may hold the previous graph."))
        job.done.connect(self._done)
        self.job = job
        self.report.setText("Pushing…")
        self.progress.show()
        self.export_button.setEnabled(False)
        box.push_button.setEnabled(False)
        job.start()
        return job

    def _finished(self, result: ExportResult) -> None:
        self.export_result = result
        self.report.setText(summary(result))

    def _done(self) -> None:
        self.job = None
        self.progress.hide()
        self.export_button.setEnabled(True)
        if self.push_box is not None:
            self.push_box.push_button.setEnabled(True)

    def shutdown(self) -> None:
        """Stop at the next step and wait (the project is closing); the file is written
        atomically, so a stopped export leaves no half file."""
        job, self.job = self.job, None
        if job is not None:
            job.blockSignals(True)
            job.cancel()
            job.wait()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.job is not None:  # let it finish: the result is still reported
            self.job.wait()
        super().closeEvent(event)


class PushBox(QGroupBox):
    """Where to push: endpoints and optional credentials (the password is never saved)."""

    def __init__(self, dialog: ExportDialog) -> None:
        super().__init__("Push to a SPARQL store", dialog)
        self.endpoint = QLineEdit(self)
        self.endpoint.setPlaceholderText("Graph Store endpoint, e.g. http://localhost:7878/store")
        self.update_endpoint = QLineEdit(self)
        self.update_endpoint.setPlaceholderText("Update endpoint (optional), e.g. …/update")
        self.user = QLineEdit(self)
        self.user.setPlaceholderText("user (optional)")
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("password")
        self.push_button = QPushButton("Push", self)
        self.push_button.setToolTip("Replace the project's graph in the store with the "
                                    "project's current RDF")
        credentials = QHBoxLayout()
        credentials.addWidget(self.user)
        credentials.addWidget(self.password)
        form = QFormLayout(self)
        form.addRow(plain.label("Graph Store:"), self.endpoint)
        form.addRow(plain.label("Update:"), self.update_endpoint)
        form.addRow(plain.label("Sign in:"), credentials)
        form.addRow(plain.label(""), self.push_button)
        self.push_button.clicked.connect(dialog.push)
