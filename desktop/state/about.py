"""The About text: versions of Skein, Python and Qt, and the project's extraction models."""

from __future__ import annotations

import platform
from collections.abc import Sequence
from importlib import metadata

from kg.records import ModelRecord


def skein_version() -> str:
    try:
        return metadata.version("skein")
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def about_text(qt_version: str, pyside_version: str, models: Sequence[ModelRecord]) -> str:
    """Plain text for the About box (Qt versions are passed in: this module has no Qt)."""
    lines = [
        f"Skein {skein_version()}",
        "Turns documents into a knowledge graph with provenance; runs locally.",
        "",
        f"Python {platform.python_version()} ({platform.python_implementation()})",
        f"Qt {qt_version} · PySide6 {pyside_version}",
        "",
        "Extraction models in this project:",
    ]
    if models:
        lines += [f"  {m.id} ({m.kind})" for m in models]
        if any(m.kind == "rules" for m in models):
            lines.append("  (rule-based baseline: heuristics, not a trained model)")
    else:
        lines.append("  none yet (no document has been extracted)")
    return "\n".join(lines)
