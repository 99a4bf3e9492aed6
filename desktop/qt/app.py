"""Starting the desktop app: `run_app(project_path)` (used by `skein app`) and
`make_window(project_path)` (used by tests and the screenshot script)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.qt import settings, theme
from desktop.qt.main_window import MainWindow
from desktop.state import ProjectState
from desktop.state.text import error_message


def ensure_app() -> QApplication:
    """The QApplication (created once), with the Fusion style and the saved theme."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
        app.setOrganizationName(settings.ORGANISATION)
        app.setApplicationName(settings.APPLICATION)
        theme.apply(theme.saved_theme(), save=False)
    return app


def make_window(project_path: Path) -> MainWindow:
    """A main window showing the project at `project_path` (raises `ProjectError`)."""
    ensure_app()
    state = ProjectState.open(project_path)
    try:
        window = MainWindow(state)
        state.select_most_mentioned()
    except BaseException:
        state.close()
        raise
    return window


def open_window(project_path: Path, *, show_graph: bool = False) -> MainWindow | None:
    """Show the window on `project_path`, or say why not in a message box (then None).
    With `show_graph` the graph view opens beside the text (the bundled sample does)."""
    try:
        window = make_window(Path(project_path))
    except Exception as e:
        box = QMessageBox(QMessageBox.Icon.Critical, "Skein", error_message(e),
                          QMessageBox.StandardButton.Ok)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()
        return None
    window.show()
    if show_graph:
        window.analysis.show_graph()
        window.document_view.text.setFocus()  # the keys stay the text's
    return window


def run_app(project_path: Path, *, show_graph: bool = False) -> int:
    """Open the window on `project_path` and run until it is closed; the exit code."""
    app = ensure_app()
    window = open_window(project_path, show_graph=show_graph)
    if window is None:
        return 1
    code = int(app.exec())
    window.close()  # when the app was quit some other way: stop jobs, close the project
    return code
