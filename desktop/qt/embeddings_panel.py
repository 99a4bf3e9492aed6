"""The Embeddings panel (a dock): train a graph embedding in the background with a live loss
figure and Cancel, see its held-out MRR/Hits@10, review the predicted links (``a`` accept,
``x`` reject, ``j``/``k``) with their evidence, and browse similar entities and duplicate
candidates (merged through `kg.resolve`). It renders `EmbeddingsState`; the training and
reading run in the worker, so the window stays responsive.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.qt import plain
from desktop.qt.embeddings_widgets import LinkTable, LossPlot
from desktop.qt.job_strip import JobStrip
from desktop.qt.worker import Job, MakeWork
from desktop.state import ProjectState
from desktop.state.embeddings_state import (
    MODEL,
    MODELS,
    MOVED,
    QUEUE,
    SIMILAR,
    TRAINING,
    EmbeddingsState,
)
from desktop.state.embeddings_text import duplicate_text, evidence_text, neighbour_text
from desktop.state.events import Subscriptions


def _column(*widgets: QWidget, stretch: int = -1) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(4, 0, 4, 0)
    for i, widget in enumerate(widgets):
        layout.addWidget(widget, 1 if i == stretch else 0)
    return box


class EmbeddingsPanel(QWidget):
    def __init__(self, project_state: ProjectState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = EmbeddingsState(project_state)
        self._subs = Subscriptions()
        # training controls
        self.model_box = QComboBox(self)
        self.model_box.addItems(list(MODELS))
        self.dim_box = QSpinBox(self)
        self.dim_box.setRange(4, 1024)
        self.epochs_box = QSpinBox(self)
        self.epochs_box.setRange(1, 5000)
        self.train_button = QPushButton("Train", self)
        self.refresh_button = QPushButton("Refresh", self)
        self.refresh_button.setToolTip("Read the saved model's predictions again")
        self.strip = JobStrip(self)
        self.message, self.cancel_button = self.strip.message, self.strip.cancel_button
        self.progress = self.strip.progress
        self.loss = LossPlot(self)
        self.metrics = plain.label("", self)
        self.metrics.setWordWrap(True)
        form = QFormLayout()
        form.addRow(plain.label("Model", self), self.model_box)
        form.addRow(plain.label("Dimensions", self), self.dim_box)
        form.addRow(plain.label("Epochs", self), self.epochs_box)
        buttons = QHBoxLayout()
        for button in (self.train_button, self.refresh_button):
            buttons.addWidget(button)
        train_box = QWidget(self)
        left = QVBoxLayout(train_box)
        left.setContentsMargins(4, 0, 4, 0)
        left.addLayout(form)
        left.addLayout(buttons)
        left.addWidget(self.loss, 1)
        left.addWidget(self.metrics)
        # the queue of predicted links
        self.summary = plain.label("", self)
        self.table = LinkTable(self.state, self)
        self.accept_button = QPushButton("Accept (a)", self)
        self.reject_button = QPushButton("Reject (x)", self)
        self.show_button = QPushButton("Show (Enter)", self)
        self.evidence = QPlainTextEdit(self)
        self.evidence.setReadOnly(True)
        decide = QHBoxLayout()
        for button in (self.accept_button, self.reject_button, self.show_button):
            decide.addWidget(button)
        decide.addStretch(1)
        queue_box = QWidget(self)
        middle = QVBoxLayout(queue_box)
        middle.setContentsMargins(4, 0, 4, 0)
        middle.addWidget(self.summary)
        middle.addLayout(decide)
        split = QSplitter(Qt.Orientation.Vertical, queue_box)
        split.addWidget(self.table)
        split.addWidget(self.evidence)
        split.setSizes([300, 140])
        middle.addWidget(split, 1)
        # similar entities and duplicate candidates
        self.entity_box = QComboBox(self)
        self.entity_box.setEditable(True)
        self.entity_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.similar_list = QListWidget(self)
        self.duplicates_list = QListWidget(self)
        for names in (self.similar_list, self.duplicates_list):  # long names end in "…"
            names.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            names.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.merge_button = QPushButton("Merge", self)
        right = _column(plain.label("Similar entities", self), self.entity_box,
                        self.similar_list, plain.label("Possible duplicates", self),
                        self.duplicates_list, self.merge_button, stretch=2)
        panes = QSplitter(Qt.Orientation.Horizontal, self)
        for pane in (train_box, queue_box, right):
            panes.addWidget(pane)
        panes.setStretchFactor(1, 3)
        panes.setSizes([260, 640, 300])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.addWidget(panes, 1)
        layout.addWidget(self.strip)

        self.train_button.clicked.connect(self.train)
        self.refresh_button.clicked.connect(self.reload)
        self.cancel_button.clicked.connect(self.cancel)
        self.strip.idle.connect(self._on_done)
        self.accept_button.clicked.connect(lambda: self._decide(True))
        self.reject_button.clicked.connect(lambda: self._decide(False))
        self.show_button.clicked.connect(lambda: self.state.show())
        self.entity_box.activated.connect(self._entity_chosen)
        self.similar_list.itemActivated.connect(
            lambda item: self.state.select_entity(item.data(Qt.ItemDataRole.UserRole)))
        self.merge_button.clicked.connect(self.merge)
        self._handlers: dict[str, Callable[[], None]] = {
            MODEL: self._on_model, TRAINING: self._on_training, QUEUE: self._on_queue,
            MOVED: self._on_moved, SIMILAR: self._on_similar,
        }
        self.bind(project_state)

    # -- binding and loading ------------------------------------------------------------------
    def bind(self, project_state: ProjectState) -> None:
        """Show the embeddings of `project_state` (a newly opened project)."""
        self.shutdown()
        self._subs.clear()
        self.state = EmbeddingsState(project_state)
        self._subs.connect(self.state.changed, lambda aspect: self._handlers[aspect]())
        self.table.bind(self.state)
        for aspect in self._handlers:
            self._handlers[aspect]()
        if self.isVisible():
            self.ensure_loaded()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.ensure_loaded()

    def ensure_loaded(self) -> Job | None:
        """Read the saved model's predictions the first time the panel is shown."""
        if self.state.info is None or self.state.loaded is not None or self.job is not None:
            return None
        return self.reload()

    def reload(self) -> Job | None:
        if self.job is not None or self.state.info is None:
            return None
        return self._start(self.state.load_work, "embeddings", "Reading the model…")

    def train(self) -> Job | None:
        """Train the chosen model in the background (progress, live loss, Cancel)."""
        if self.job is not None:
            return None
        try:
            self.state.set_config(model=self.model_box.currentText().strip(),
                                  dim=self.dim_box.value(), epochs=self.epochs_box.value())
        except ValueError as e:
            self.message.setText(str(e))
            return None
        self.state.start_training()
        return self._start(self.state.train_work, "embedding training",
                           f"Training {self.state.config.model}…")

    @property
    def job(self) -> Job | None:
        """The long work running now (one at a time)."""
        return self.strip.job

    def _start(self, make: MakeWork, name: str, text: str) -> Job:
        job = self.strip.prepare(make, name, text)
        job.progress.connect(self.state.on_progress)
        job.finished.connect(self.state.set_loaded)
        job.cancelled.connect(lambda _: self.message.setText("Cancelled: nothing was saved"))
        self.train_button.setEnabled(False)
        self.refresh_button.setEnabled(False)
        job.start()
        return job

    def _on_done(self) -> None:
        self.train_button.setEnabled(True)
        self.refresh_button.setEnabled(self.state.info is not None)
        self.state.read_info()

    def cancel(self) -> None:
        self.strip.cancel()

    def shutdown(self) -> None:
        """Stop a running job and wait for it (the project is closing or changing)."""
        if self.strip.shutdown():
            self.train_button.setEnabled(True)

    # -- rendering ----------------------------------------------------------------------------
    def _on_model(self) -> None:
        if self.job is None:  # the settings of the model shown (or the defaults)
            config = self.state.config
            self.model_box.setCurrentText(config.model)
            self.dim_box.setValue(config.dim)
            self.epochs_box.setValue(config.epochs)
        self.metrics.setText(self.state.metrics_text())
        self.loss.set_losses(self.state.losses)
        self.refresh_button.setEnabled(self.state.info is not None and self.job is None)
        self.entity_box.clear()
        for entity, text in self.state.entities():
            self.entity_box.addItem(text, entity)
        self._follow_entity()

    def _follow_entity(self) -> None:
        entity = self.state.entity
        self.entity_box.setCurrentIndex(
            self.entity_box.findData(entity) if entity is not None else -1)

    def _on_training(self) -> None:
        self.loss.set_losses(self.state.losses)

    def _on_queue(self) -> None:
        state = self.state
        self.table.reload()
        if state.loaded is None:
            self.summary.setText("Train a model to see predicted links")
        elif state.queue:
            self.summary.setText(f"{len(state.queue)} predicted links, most plausible first "
                                 "· a accept · x reject · j/k move")
        else:
            self.summary.setText("No predicted links left: train again for more")
        self.message.setText(state.message)
        for button in (self.accept_button, self.reject_button, self.show_button):
            button.setEnabled(bool(state.queue))
        self._on_moved()

    def _on_moved(self) -> None:
        self.table.follow()
        p = self.state.current
        self.evidence.setPlainText("" if p is None else evidence_text(p, self.state.name))

    def _on_similar(self) -> None:
        state = self.state
        self._follow_entity()
        self.similar_list.clear()
        for n in state.similar:
            self.similar_list.addItem(neighbour_text(n))
            item = self.similar_list.item(self.similar_list.count() - 1)
            item.setData(Qt.ItemDataRole.UserRole, n.entity)
            item.setToolTip(plain.tooltip(item.text()))
        self.duplicates_list.clear()
        for d in state.duplicates:
            self.duplicates_list.addItem(duplicate_text(d, state.name))
            item = self.duplicates_list.item(self.duplicates_list.count() - 1)
            item.setToolTip(plain.tooltip(item.text()))
        self.merge_button.setEnabled(bool(state.duplicates))
        if state.message:
            self.message.setText(state.message)

    # -- user intent --------------------------------------------------------------------------
    def _decide(self, accept: bool) -> None:
        self.state.decide(accept)
        self.table.setFocus()

    def _entity_chosen(self, index: int) -> None:
        entity: Any = self.entity_box.itemData(index)
        if isinstance(entity, str):
            self.state.select_entity(entity)

    def merge(self) -> bool:
        try:
            return self.state.merge(max(0, self.duplicates_list.currentRow()))
        except Exception as e:  # kg.resolve refuses with a reason: show it
            from desktop.state.text import error_message

            self.message.setText(error_message(e))
            return False
