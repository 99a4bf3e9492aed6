"""The window's menu bar: File, View, Help. Actions only forward to the window's methods."""

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
    )
    file.addAction(a.open)
    file.addAction(a.new)
    file.addMenu(a.recent)
    a.recent.aboutToShow.connect(lambda: _fill_recent(window, a.recent))
    file.addSeparator()
    file.addAction(a.import_files)
    file.addAction(a.import_folder)
    file.addSeparator()
    file.addAction(a.quit)

    view = bar.addMenu("&View")
    themes = view.addMenu("&Theme")
    group = QActionGroup(window)
    for action in (a.light, a.dark):
        action.setCheckable(True)
        group.addAction(action)
        themes.addAction(action)
    (a.dark if theme.current() == theme.DARK else a.light).setChecked(True)
    view.addSeparator()
    panels = view.addMenu("&Panels")
    for dock in window.docks():
        panels.addAction(dock.toggleViewAction())

    help_menu = bar.addMenu("&Help")
    help_menu.addAction(a.about)
    return a


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
