"""The recent-projects list (most recent first); the Qt layer stores it in QSettings."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

MAX_RECENT = 8


def push_recent(recent: Sequence[str], path: str | Path, limit: int = MAX_RECENT) -> list[str]:
    """`recent` with `path` moved (or added) to the front, without duplicates."""
    key = str(Path(path).resolve())
    return [key, *(p for p in recent if p != key)][:limit]


def existing(recent: Sequence[str]) -> list[str]:
    """The entries whose files still exist."""
    return [p for p in recent if Path(p).is_file()]
