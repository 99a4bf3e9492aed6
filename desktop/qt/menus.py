"""The window's menu bar: File, Edit, View, Help. Actions only forward to the window's methods."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu

from desktop.qt import theme
from desktop.state.text import import_filter

if TYPE_CHECKING:
    from desktop.qt.main_window import MainWindow

PROJECT_FILTER = "Skein projects (*.skein);;All files (*)"


@dataclass
class Actions:
    open: QAction
    new: QAction
    import_files: QAction
    import_folder: QAction
    quit: QAction
    light: QAction
    dark: QAction
    about: QAction
    recent: QMenu
    undo: QAction
    redo: QAction
    graph: QAction
    queries: QAction
    embeddings: QAction
    training: QAction
    export: QAction
    settings: QAction


def _action(window: MainWindow, text: str, slot: object, shortcut: str | None = None,
            standard: QKeySequence.StandardKey | None = None) -> QAction:
    action = QAction(text, window)
    if standard is not None:
        action.setShortcut(QKeySequence(standard))
    elif shortcut:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(slot)
    return action


def build(window: MainWindow) -> Actions:
    bar = window.menuBar()
    file = bar.addMenu("&File")
    a = Actions(
        open=_action(window, "&Open project…", lambda: _ask_open(window), "Ctrl+O"),
        new=_action(window, "&New project…", lambda: _ask_new(window), "Ctrl+N"),
        import_files=_action(window, "&Import files…", lambda: _ask_files(window), "Ctrl+I"),
        import_folder=_action(window, "Import &folder…", lambda: _ask_folder(window)),
        quit=_action(window, "&Quit", window.close, "Ctrl+Q"),
        light=_action(window, "&Light", lambda: window.set_theme(theme.LIGHT)),
        dark=_action(window, "&Dark", lambda: window.set_theme(theme.DARK)),
        about=_action(window, "&About Skein", window.show_about),
        recent=QMenu("&Recent projects", window),
        undo=_action(window, "&Undo", lambda: window.state.annotation.undo(), "Ctrl+Z"),
        redo=_action(window, "&Redo", lambda: window.state.annotation.redo(), "Ctrl+Shift+Z"),
        graph=_action(window, "&Graph", lambda: window.analysis.show_graph(), "Ctrl+G"),
        queries=_action(window, "SPARQL &queries", lambda: window.analysis.show_queries(),
                        "Ctrl+Shift+Q"),
        embeddings=_action(window, "&Embeddings and link prediction",
                           lambda: window.analysis.show_embeddings(), "Ctrl+Shift+E"),
        training=_action(window, "&Model and training", lambda: window.analysis.show_training(),
                         "Ctrl+Shift+M"),
        export=_action(window, "&Export…", lambda: window.analysis.show_export(window.state),
                       "Ctrl+E"),
        settings=_action(window, "&Settings…", window.show_settings, "Ctrl+,"),
    )
    file.addAction(a.open)
    file.addAction(a.new)
    file.addMenu(a.recent)
    a.recent.aboutToShow.connect(lambda: _fill_recent(window, a.recent))
    file.addSeparator()
    file.addAction(a.import_files)
    file.addAction(a.import_folder)
    file.addAction(a.export)
    file.addSeparator()
    file.addAction(a.quit)

    edit = bar.addMenu("&Edit")  # annotation edits: saved at once, undone exactly
    a.redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    edit.addAction(a.undo)
    edit.addAction(a.redo)
    edit.addSeparator()
    edit.addAction(a.settings)
    follow_history(window, a)

    view = bar.addMenu("&View")
    themes = view.addMenu("&Theme")
    group = QActionGroup(window)
    for action in (a.light, a.dark):
        action.setCheckable(True)
        group.addAction(action)
        themes.addAction(action)
    (a.dark if theme.current() == theme.DARK else a.light).setChecked(True)
    view.addSeparator()
    view.addAction(a.graph)
    view.addAction(a.queries)
    view.addAction(a.embeddings)
    view.addAction(a.training)
    view.addSeparator()
    panels = view.addMenu("&Panels")
    for dock in window.docks():
        panels.addAction(dock.toggleViewAction())

    help_menu = bar.addMenu("&Help")
    help_menu.addAction(a.about)
    return a


def follow_history(window: MainWindow, actions: Actions | None = None) -> None:
    """Name the edit Undo/Redo would take back, and enable them only then."""
    a = actions or window.actions_
    annotation = window.state.annotation
    a.undo.setText(annotation.undo_text().replace("&", "&&"))
    a.redo.setText(annotation.redo_text().replace("&", "&&"))
    a.undo.setEnabled(annotation.can_undo)
    a.redo.setEnabled(annotation.can_redo)


def _fill_recent(window: MainWindow, menu: QMenu) -> None:
    menu.clear()
    paths = window.recent_projects()
    for path in paths:
        action = menu.addAction(path.replace("&", "&&"))
        action.triggered.connect(lambda checked=False, p=path: window.open_project(Path(p)))
    if not paths:
        menu.addAction("(none)").setEnabled(False)


def _ask_open(window: MainWindow) -> None:
    path, _ = QFileDialog.getOpenFileName(window, "Open project", "", PROJECT_FILTER)
    if path:
        window.open_project(Path(path))


def _ask_new(window: MainWindow) -> None:
    path, _ = QFileDialog.getSaveFileName(window, "New project", "untitled.skein",
                                          PROJECT_FILTER)
    if path:
        target = Path(path)
        window.new_project(target if target.suffix else target.with_suffix(".skein"))


def _ask_files(window: MainWindow) -> None:
    paths, _ = QFileDialog.getOpenFileNames(window, "Import files", "", import_filter())
    if paths:
        window.import_paths([Path(p) for p in paths])


def _ask_folder(window: MainWindow) -> None:
    path = QFileDialog.getExistingDirectory(window, "Import folder")
    if path:
        window.import_paths([Path(path)])
