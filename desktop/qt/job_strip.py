"""The status line of a panel that runs long work: a message, a progress bar and Cancel
around the one `Job` the panel runs at a time (graph view, embeddings, model and training).

A panel asks the strip for a wired job (`prepare`), connects what it wants done with the
result and with a cancel, and starts it; the strip shows progress, failures as messages,
hides itself when the job ends and then says so (`idle`).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QWidget

from desktop.qt import plain
from desktop.qt.worker import Job, MakeWork
from nlp.progress import Progress


class JobStrip(QWidget):
    idle = Signal()
    """The running job ended (finished, failed or cancelled) and the bar is hidden."""

    def __init__(self, parent: QWidget, *, bar_width: int = 220, wrap: bool = False) -> None:
        super().__init__(parent)
        self.job: Job | None = None
        self.message = plain.label("", self)
        self.message.setWordWrap(wrap)
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(bar_width)
        self.cancel_button = QPushButton("Cancel", self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.cancel_button)
        self.progress.hide()
        self.cancel_button.hide()

    def prepare(self, make: MakeWork, name: str, text: str) -> Job:
        """A job for `make`, shown here from now on; the caller connects its result (and
        whatever a cancel means to it) and calls ``start()``."""
        job = Job(make, name=name, parent=self)
        job.progress.connect(self.show_progress)
        job.failed.connect(lambda message: self.message.setText(f"Failed: {message}"))
        job.done.connect(self._on_done)
        self.job = job
        self.message.setText(text)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        return job

    def show_progress(self, step: Progress) -> None:
        if step.total:
            self.progress.setRange(0, step.total)
            self.progress.setValue(min(step.done, step.total))
        self.progress.setFormat(step.message[:40] or step.stage)

    def cancel(self) -> bool:
        """Ask the running job to stop (it ends at its next check); False when none runs."""
        if self.job is None:
            return False
        self.job.cancel()
        self.cancel_button.setEnabled(False)
        return True

    def shutdown(self) -> bool:
        """Stop a running job and wait for it, its result unheard (the project is closing
        or changing); False when none ran."""
        job, self.job = self.job, None
        if job is None:
            return False
        job.blockSignals(True)
        job.cancel()
        job.wait()
        self._hide()
        return True

    def _on_done(self) -> None:
        self.job = None
        self._hide()
        self.idle.emit()

    def _hide(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()
