"""The main window: documents (left), text with highlights (centre), mentions (right).

It holds no project logic: it renders a `ProjectState` and forwards what the user asks
for (open, import, select, theme) to the state, the worker or the settings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMessageBox, QWidget

from desktop.qt import menus, plain, settings, theme
from desktop.qt.about import AboutDialog
from desktop.qt.analysis_docks import AnalysisDocks
from desktop.qt.document_list import DocumentList
from desktop.qt.document_view import DocumentView
from desktop.qt.imports import ImportController
from desktop.qt.mentions_panel import MentionsPane, MentionsPanel
from desktop.qt.review_panel import ReviewPanel
from desktop.qt.settings_dialog import SettingsDialog
from desktop.qt.worker import Job
from desktop.state import ProjectState
from desktop.state.events import Subscriptions
from desktop.state.preferences import Preferences
from desktop.state.recent import existing, push_recent
from desktop.state.text import error_message

RECENT_KEY = "projects/recent"
GEOMETRY_KEY, LAYOUT_KEY = "window/geometry", "window/state"


class MainWindow(QMainWindow):
    def __init__(self, state: ProjectState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self._subs = Subscriptions()
        self.last_error: str | None = None
        self._closed = False
        self.about_dialog: AboutDialog | None = None
        self.settings_dialog: SettingsDialog | None = None
        self.setAcceptDrops(True)
        self.resize(1280, 800)

        self.document_view = DocumentView(state, self)
        self.setCentralWidget(self.document_view)
        self.document_list = DocumentList(state, self)
        self.documents_dock = self._dock("Documents", "documents", self.document_list,
                                         Qt.DockWidgetArea.LeftDockWidgetArea)
        self.mentions_panel = MentionsPanel(state, self)
        self.mentions_dock = self._dock("Mentions", "mentions", MentionsPane(self.mentions_panel),
                                        Qt.DockWidgetArea.RightDockWidgetArea)
        self.review_panel = ReviewPanel(state, self)
        self.review_dock = self._dock("Review queue", "review", self.review_panel,
                                      Qt.DockWidgetArea.RightDockWidgetArea)
        self.resizeDocks([self.documents_dock, self.mentions_dock], [380, 340],
                         Qt.Orientation.Horizontal)
        for widget in (self.document_view.text, self.document_list, self.mentions_panel,
                       self.review_panel.table):
            widget.setAcceptDrops(False)  # drops go to the window: they import

        status = self.statusBar()
        self.imports = ImportController(self, state, status)
        self.counts_label = plain.label("", self)
        self.extractor_label = plain.label("", self)
        status.addPermanentWidget(self.counts_label)
        status.addPermanentWidget(self.extractor_label)

        self.analysis = AnalysisDocks(self, state)  # graph view, SPARQL panel, export
        self.actions_ = menus.build(self)
        self._restore_layout()
        self.bind(state)
        self.set_theme(theme.current(), save=False)

    def _dock(self, title: str, name: str, widget: QWidget,
              area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def docks(self) -> list[QDockWidget]:
        return [self.documents_dock, self.mentions_dock, self.review_dock, self.imports.problems,
                *self.analysis.docks()]

    # -- showing a project --------------------------------------------------------------------
    def bind(self, state: ProjectState) -> None:
        """Show `state` (the project just opened) in every part of the window."""
        self._subs.clear()
        self.state = state
        state.set_dark(theme.current() == theme.DARK)
        state.apply(settings.load_preferences())
        self.document_list.bind(state)
        self.document_view.bind(state)
        self.mentions_panel.bind(state)
        self.review_panel.bind(state)
        self.imports.bind(state)
        self.analysis.bind(state)
        self._subs.connect(state.documents_changed, self._update_status)
        self._subs.connect(state.counts_changed, self._update_status)
        self._subs.connect(state.annotation.history_changed, lambda: menus.follow_history(self))
        self._subs.connect(state.annotation.message,
                           lambda text: self.statusBar().showMessage(text, 10_000))
        menus.follow_history(self)
        self.setWindowTitle(f"Skein — {state.name}")
        self._update_status()
        settings.put(RECENT_KEY, push_recent(self.recent_projects(), state.path))

    def _update_status(self) -> None:
        self.counts_label.setText(self.state.status_line())
        self.extractor_label.setText(self.state.extractor_line())
        model = self.state.extractor
        self.extractor_label.setToolTip(plain.tooltip(model.description) if model else "")

    def recent_projects(self) -> list[str]:
        return existing(settings.get_list(RECENT_KEY))

    def open_project(self, path: Path) -> bool:
        """Open the project file at `path` instead of the current one."""
        if Path(path).resolve() == self.state.path.resolve():
            return True  # already open here (a second open would hit the project's lock)
        return self._switch(lambda: ProjectState.open(path), "Cannot open the project")

    def new_project(self, path: Path) -> bool:
        """Create an empty project at `path` and show it."""
        return self._switch(lambda: ProjectState.create(path), "Cannot create the project")

    def _switch(self, make: Callable[[], ProjectState], title: str) -> bool:
        if self.imports.running:
            self.show_error(title, "An import is running; cancel it or wait for it to end.")
            return False
        try:
            new = make()
        except Exception as e:  # a ProjectError names the file and the reason
            self.show_error(title, error_message(e))
            return False
        old = self.state
        self.bind(new)
        old.close()
        return True

    # -- user intent --------------------------------------------------------------------------
    def import_paths(self, paths: Sequence[str | Path]) -> Job | None:
        """Import files/folders into the open project, in the background."""
        job = self.imports.start(paths)
        if job is None and paths:
            self.statusBar().showMessage("An import is already running", 5000)
        return job

    def set_theme(self, name: str, *, save: bool = True) -> None:
        theme.apply(name, save=save)
        self.state.set_dark(name == theme.DARK)
        actions = getattr(self, "actions_", None)
        if actions is not None:
            (actions.dark if name == theme.DARK else actions.light).setChecked(True)

    def show_about(self) -> AboutDialog:
        dialog = AboutDialog(self.state, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.about_dialog = dialog
        return dialog

    def show_settings(self) -> SettingsDialog:
        """Edit ▸ Settings; OK saves the values and applies them to the open project."""
        dialog = SettingsDialog(self.state.preferences, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.apply_preferences(dialog.preferences()))
        dialog.open()
        self.settings_dialog = dialog
        return dialog

    def apply_preferences(self, preferences: Preferences) -> None:
        settings.save_preferences(preferences)
        self.state.apply(preferences)
        self.statusBar().showMessage(f"Settings saved · imports use {preferences.backend}"
                                     f" on {preferences.device}", 5000)

    def show_error(self, title: str, message: str) -> None:
        """A non-blocking warning with plain text (never a traceback)."""
        self.last_error = message
        box = QMessageBox(QMessageBox.Icon.Warning, title, message,
                          QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # -- drag and drop ------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self._accept_files(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        self._accept_files(event)

    def _accept_files(self, event: QDragMoveEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    # -- layout and closing -------------------------------------------------------------------
    def _restore_layout(self) -> None:
        s = settings.settings()
        geometry, layout = s.value(GEOMETRY_KEY), s.value(LAYOUT_KEY)
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(layout, QByteArray):
            self.restoreState(layout)
        self.imports.problems.hide()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closed:
            self._closed = True
            self.imports.shutdown()
            self.analysis.shutdown()
            settings.put(GEOMETRY_KEY, self.saveGeometry())
            settings.put(LAYOUT_KEY, self.saveState())
            self._subs.clear()
            self.state.close()
        super().closeEvent(event)
