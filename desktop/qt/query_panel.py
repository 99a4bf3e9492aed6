"""The SPARQL query panel (a dock): an editor (Ctrl+Enter runs), example and saved queries,
Run/Cancel through the worker, a results table (plain text, IRIs shortened with prefixes,
the full value as tooltip), refusals and errors in plain words, and CSV export of the result
(`kg.query.output.render`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFontDatabase, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.qt import plain
from desktop.qt.sparql_highlighter import SparqlHighlighter
from desktop.qt.worker import Job
from desktop.state import ProjectState
from desktop.state.events import Subscriptions
from desktop.state.query_state import EXAMPLES, QueryOutcome, QueryState
from nlp.progress import Progress

_Index = QModelIndex | QPersistentModelIndex
RUN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
"""With Ctrl: run the query (Enter alone is a new line)."""


class ResultsModel(QAbstractTableModel):
    """The rows of a `QueryOutcome`; display text from `QueryState.cell`."""

    def __init__(self, state: QueryState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.columns: tuple[str, ...] = ()
        self.rows: tuple[tuple[Any, ...], ...] = ()
        self._prefixes: dict[str, str] = {}

    def show(self, outcome: QueryOutcome | None) -> None:
        self.beginResetModel()
        result = outcome.result if outcome is not None else None
        self.columns = result.columns if result is not None else ()
        self.rows = result.rows if result is not None else ()
        self._prefixes = self.state.prefixes()
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section] if 0 <= section < len(self.columns) else None
        return str(section + 1)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        value = self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.state.cell(value, self._prefixes)
        if role == Qt.ItemDataRole.ToolTipRole:
            from kg.query.output import cell

            return plain.tooltip(cell(value)[:2000])
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, int | float) \
                and not isinstance(value, bool):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class QueryPanel(QWidget):
    def __init__(self, project_state: ProjectState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = QueryState(project_state)
        self._subs = Subscriptions()
        self.job: Job | None = None
        self.examples = QComboBox(self)
        self.examples.setToolTip("Load an example query into the editor")
        self.saved = QComboBox(self)
        self.saved.setToolTip("Queries saved in this project file")
        self.save_button = QPushButton("Save…", self)
        self.delete_button = QPushButton("Delete", self)
        self.editor = QPlainTextEdit(self)
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.editor.setTabChangesFocus(False)
        self.highlighter = SparqlHighlighter(self.editor.document())
        self.run_button = QPushButton("Run (Ctrl+Enter)", self)
        self.cancel_button = QPushButton("Cancel", self)
        self.csv_button = QPushButton("Export CSV…", self)
        self.status = plain.label("", self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.results = ResultsModel(self.state, self)
        self.table = QTableView(self)
        self.table.setModel(self.results)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)

        top = QHBoxLayout()
        for widget, stretch in ((self.examples, 1), (self.saved, 1), (self.save_button, 0),
                                (self.delete_button, 0)):
            top.addWidget(widget, stretch)
        buttons = QHBoxLayout()
        for widget in (self.run_button, self.cancel_button):
            buttons.addWidget(widget)
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.csv_button)
        editor_box = QWidget(self)
        column = QVBoxLayout(editor_box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(top)
        column.addWidget(self.editor, 1)
        column.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(editor_box)
        split.addWidget(self.table)
        split.setSizes([220, 320])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)

        for example in EXAMPLES:
            self.examples.addItem(example.name, example.text)
        self.examples.activated.connect(
            lambda i: self.editor.setPlainText(str(self.examples.itemData(i))))
        self.saved.activated.connect(self._load_saved)
        self.save_button.clicked.connect(lambda: self.save_query())
        self.delete_button.clicked.connect(self.delete_query)
        self.run_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(self.cancel)
        self.csv_button.clicked.connect(self.ask_csv)
        self.table.clicked.connect(self._row_clicked)
        self.editor.installEventFilter(self)  # Ctrl+Enter runs, wherever the focus came from
        self.bind(project_state)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.editor and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.key() in RUN_KEYS
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            self.run()
            return True
        return super().eventFilter(watched, event)

    def bind(self, project_state: ProjectState) -> None:
        self.shutdown()
        self._subs.clear()
        text = self.editor.toPlainText()
        self.state = QueryState(project_state)
        self.results.state = self.state
        self._subs.connect(self.state.saved_changed, self._fill_saved)
        self._subs.connect(project_state.colours_changed, self.highlighter.recolour)
        self.editor.setPlainText(text or self.state.text)
        self.results.show(None)
        self._fill_saved()
        self._set_running(False)
        self._say("Write a query and press Ctrl+Enter. Facts between entities are in one "
                  "named graph per document: GRAPH ?g { ... }.")

    # -- running ------------------------------------------------------------------------------
    def run(self) -> Job | None:
        """Run the editor's query in the background; None when one is running already."""
        if self.job is not None:
            return None
        text, state = self.editor.toPlainText(), self.state
        job = Job(lambda cancel: state.run_work(text, cancel), name="query", parent=self)
        job.progress.connect(self._on_progress)
        job.finished.connect(self._on_finished)
        job.failed.connect(lambda message: self._say(f"The query failed: {message}", True))
        job.cancelled.connect(lambda _: self._say("Query cancelled."))
        job.done.connect(self._on_done)
        self.job = job
        self._set_running(True)
        self._say("Running…")
        job.start()
        return job

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def shutdown(self) -> None:
        job, self.job = self.job, None
        if job is not None:
            job.blockSignals(True)
            job.cancel()
            job.wait()

    def _on_progress(self, step: Progress) -> None:
        self._say(step.message[:1].upper() + step.message[1:] + "…")

    def _on_finished(self, outcome: QueryOutcome) -> None:
        self.state.set_outcome(outcome)
        self.results.show(outcome)
        self._say(outcome.summary, error=outcome.result is None)
        self.table.resizeColumnsToContents()
        for column in range(self.results.columnCount()):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 420))

    def _row_clicked(self, index: QModelIndex) -> None:
        """A row naming an entity (or mention, document) shows its mentions in the text."""
        if not self.state.show_row(index.row(), index.column()) and self.state.record_in(
                index.row(), -1) is None:
            self._say("This row names no entity, mention or document of the project.")

    def _on_done(self) -> None:
        self.job = None
        self._set_running(False)

    def _set_running(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.csv_button.setEnabled(not running and self.results.rowCount() > 0)

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setText(text)  # roles, not colours: a theme change recolours it
        self.status.setForegroundRole(QPalette.ColorRole.BrightText if error
                                      else QPalette.ColorRole.WindowText)

    # -- saved queries and CSV ----------------------------------------------------------------
    def _fill_saved(self) -> None:
        self.saved.clear()
        queries = self.state.saved()
        self.saved.addItem(f"Saved queries ({len(queries)})", None)
        for q in queries:
            self.saved.addItem(q.name, q.text)
        self.delete_button.setEnabled(bool(queries))

    def _load_saved(self, index: int) -> None:
        text = self.saved.itemData(index)
        if isinstance(text, str):
            self.editor.setPlainText(text)

    def save_query(self, name: str | None = None) -> bool:
        """Save the editor's text under `name` (asked for when None) in the project."""
        if name is None:
            current = self.saved.currentText() if self.saved.currentIndex() > 0 else ""
            name, ok = QInputDialog.getText(self, "Save query", "Name:", text=current)
            if not ok:
                return False
        try:
            query = self.state.save(name, self.editor.toPlainText())
        except ValueError as e:
            self._say(str(e), error=True)
            return False
        self.saved.setCurrentIndex(max(self.saved.findText(query.name), 0))
        self._say(f"Saved as {query.name!r} in the project file.")
        return True

    def delete_query(self) -> bool:
        if self.saved.currentIndex() <= 0:
            self._say("Pick a saved query to delete.")
            return False
        name = self.saved.currentText()
        done = self.state.delete(name)
        self._say(f"Deleted {name!r}." if done else f"No saved query {name!r}.")
        return done

    def ask_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export results", "results.csv",
                                              "CSV (*.csv);;All files (*)")
        if path:
            self.export_csv(Path(path))

    def export_csv(self, path: Path) -> bool:
        """Write the current result as CSV (full values, not the shortened ones)."""
        from kg.query.output import render

        outcome = self.state.outcome
        if outcome is None or outcome.result is None:
            self._say("Run a query first.")
            return False
        try:
            path.write_text(render(outcome.result, "csv"), encoding="utf-8", newline="")
        except OSError as e:
            self._say(f"Could not write {path}: {e.strerror or e}", error=True)
            return False
        self._say(f"Wrote {len(outcome.result.rows)} rows to {path.name}")
        return True
