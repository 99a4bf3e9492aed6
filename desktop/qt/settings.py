"""Where the app keeps its preferences (theme, recent projects, window layout, and the
extraction and display settings of `desktop.state.preferences`).

``QSettings("Skein", "Skein")`` normally; when ``$SKEIN_SETTINGS`` names a file, an ini file
there instead (tests and the screenshot script use it so they never touch the user's).
"""

from __future__ import annotations

import os

from PySide6.QtCore import QSettings

from desktop.state.preferences import KEYS, Preferences, from_mapping

ORGANISATION = APPLICATION = "Skein"
ENV = "SKEIN_SETTINGS"


def settings() -> QSettings:
    path = os.environ.get(ENV)
    if path:
        return QSettings(path, QSettings.Format.IniFormat)
    return QSettings(ORGANISATION, APPLICATION)


def get_str(key: str, default: str = "") -> str:
    value = settings().value(key, default)
    return value if isinstance(value, str) else default


def get_list(key: str) -> list[str]:
    value = settings().value(key, [])
    if isinstance(value, str):  # QSettings collapses a one-item list to a string
        return [value] if value else []
    return [str(v) for v in value] if isinstance(value, list) else []


def put(key: str, value: object) -> None:
    s = settings()
    s.setValue(key, value)
    s.sync()


def load_preferences() -> Preferences:
    """The saved extraction and display settings (checked; defaults where missing)."""
    s = settings()
    return from_mapping({key: s.value(key) for key in KEYS.values() if s.contains(key)})


def save_preferences(preferences: Preferences) -> None:
    s = settings()
    for key, value in preferences.to_mapping().items():
        s.setValue(key, value)
    s.sync()
