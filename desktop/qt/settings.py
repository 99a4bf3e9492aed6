"""Where the app keeps its preferences (theme, recent projects, window layout).

``QSettings("Skein", "Skein")`` normally; when ``$SKEIN_SETTINGS`` names a file, an ini file
there instead (tests and the screenshot script use it so they never touch the user's).
"""

from __future__ import annotations

import os

from PySide6.QtCore import QSettings

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
