"""Light and dark themes: the Fusion style with a palette; the choice is kept in settings."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from desktop.qt import settings

LIGHT, DARK = "light", "dark"
KEY = "appearance/theme"

_R = QPalette.ColorRole
_G = QPalette.ColorGroup

_COLOURS = {
    LIGHT: {
        _R.Window: "#efefef", _R.WindowText: "#1e1e1e", _R.Base: "#ffffff",
        _R.AlternateBase: "#f5f5f5", _R.ToolTipBase: "#ffffdc", _R.ToolTipText: "#1e1e1e",
        _R.Text: "#1e1e1e", _R.Button: "#e8e8e8", _R.ButtonText: "#1e1e1e",
        _R.BrightText: "#d00000", _R.Highlight: "#3874d8", _R.HighlightedText: "#ffffff",
        _R.Link: "#1a5fb4", _R.PlaceholderText: "#7a7a7a", _R.Mid: "#b8b8b8",
        _R.Dark: "#a0a0a0", _R.Midlight: "#d8d8d8", _R.Shadow: "#767676", _R.Light: "#ffffff",
    },
    DARK: {
        _R.Window: "#2b2b2b", _R.WindowText: "#e6e6e6", _R.Base: "#1e1e1e",
        _R.AlternateBase: "#262626", _R.ToolTipBase: "#3a3a3a", _R.ToolTipText: "#f0f0f0",
        _R.Text: "#e6e6e6", _R.Button: "#353535", _R.ButtonText: "#e6e6e6",
        _R.BrightText: "#ff6b6b", _R.Highlight: "#3d6fb6", _R.HighlightedText: "#ffffff",
        _R.Link: "#7fb2ff", _R.PlaceholderText: "#8c8c8c", _R.Mid: "#3f3f3f",
        _R.Dark: "#1a1a1a", _R.Midlight: "#444444", _R.Shadow: "#0f0f0f", _R.Light: "#505050",
    },
}
_DISABLED_TEXT = {LIGHT: "#9a9a9a", DARK: "#777777"}


def palette(name: str) -> QPalette:
    colours = _COLOURS[name if name in _COLOURS else LIGHT]
    pal = QPalette()
    for role, colour in colours.items():
        pal.setColor(role, QColor(colour))
    for role in (_R.WindowText, _R.Text, _R.ButtonText):
        pal.setColor(_G.Disabled, role, QColor(_DISABLED_TEXT[name if name in _COLOURS else LIGHT]))
    return pal


def saved_theme() -> str:
    name = settings.get_str(KEY, LIGHT)
    return name if name in _COLOURS else LIGHT


def apply(name: str, *, save: bool = True) -> None:
    """Switch the whole application to theme `name` (``light``/``dark``)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    app.setPalette(palette(name))
    if save:
        settings.put(KEY, name)


def current() -> str:
    """The theme the application palette shows now."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return LIGHT
    return DARK if app.palette().color(_R.Window).lightness() < 128 else LIGHT
