"""Light/dark themes: the palette changes, highlights follow, the choice is saved."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.qt import theme
from desktop.qt.app import make_window
from desktop.qt.main_window import MainWindow


def window_colour() -> int:
    return QApplication.palette().color(QPalette.ColorRole.Window).lightness()


def test_theme_toggle_changes_palette_and_persists(
        window: MainWindow, qtbot: QtBot, project_path: Path, settings_file: Path) -> None:
    window.actions_.light.trigger()
    assert window_colour() > 128
    light_per = window.state.colour("PER")
    window.actions_.dark.trigger()
    assert window_colour() < 128
    assert window.state.dark and window.state.colour("PER") != light_per
    assert theme.saved_theme() == theme.DARK
    assert "dark" in settings_file.read_text()
    window.close()

    again = make_window(project_path)  # a new window starts with the saved theme
    qtbot.addWidget(again)
    assert again.actions_.dark.isChecked() and again.state.dark
    again.set_theme(theme.LIGHT)
    assert theme.saved_theme() == theme.LIGHT and window_colour() > 128
