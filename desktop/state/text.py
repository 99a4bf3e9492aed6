"""Short user-facing texts made from records: tooltips, one-line errors, build summaries."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.pipeline import BuildReport
    from kg.records import MentionRecord

MAX_ERROR_CHARS = 300


def mention_tooltip(mention: MentionRecord) -> str:
    """``LABEL · confidence 0.82 · model-id`` (plain text: show it with Qt.PlainText)."""
    model = mention.model if mention.model else "added by a person"
    line = f"{mention.label} · confidence {mention.confidence:.2f} · {model}"
    return line if mention.status == "suggested" else f"{line} · {mention.status}"


def mentions_tooltip(mentions: Sequence[MentionRecord]) -> str | None:
    """One line per mention covering a character, or None when none does."""
    if not mentions:
        return None
    return "\n".join(f"{m.text}: {mention_tooltip(m)}" if len(mentions) > 1 else
                     mention_tooltip(m) for m in mentions)


def one_line(text: str, limit: int = MAX_ERROR_CHARS) -> str:
    """First non-empty line of `text`, shortened to `limit` characters."""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 1] + "…"


def error_message(exc: BaseException) -> str:
    """A readable one-line message for a failure (never a traceback)."""
    from kg.store import ProjectError
    from nlp.documents import DocumentError

    text = str(exc).strip()
    if isinstance(exc, ProjectError | DocumentError) and text:
        return one_line(text)
    if isinstance(exc, OSError) and exc.strerror:
        where = f"{exc.filename}: " if exc.filename else ""
        return one_line(f"{where}{exc.strerror}")
    name = type(exc).__name__
    return one_line(f"{name}: {text}" if text else name)


def build_summary(report: BuildReport) -> str:
    """``3 added, 1 replaced, 0 unchanged, 1 failed`` (+ ``— cancelled``)."""
    parts = [f"{len(report.added)} added"]
    if report.replaced:
        parts.append(f"{len(report.replaced)} replaced")
    parts.append(f"{len(report.unchanged)} unchanged")
    parts.append(f"{len(report.failed)} failed")
    text = "Import: " + ", ".join(parts)
    if report.cancelled:
        text += " — cancelled; documents finished before it are kept"
    return text


def failure_lines(report: BuildReport) -> list[str]:
    """One line per failed file: ``name — reason`` (the reason usually names the path)."""
    return [f"{Path(path).name} — {failure_reason(path, reason)}" for path, reason in report.failed]


def import_filter() -> str:
    """The file-dialog filter for importable documents."""
    from nlp.documents import SUPPORTED_SUFFIXES

    patterns = " ".join(f"*{s}" for s in sorted(SUPPORTED_SUFFIXES))
    return f"Documents ({patterns});;All files (*)"


def failure_reason(source: str, error: str | None) -> str:
    """Why a document failed, without the leading ``<path>: `` the loaders put there."""
    if not error:
        return "unknown reason"
    prefix = f"{source}: "
    return one_line(error[len(prefix):] if error.startswith(prefix) else error)


def status_text(status: str, source: str, error: str | None) -> str:
    """A document's status for the list: ``extracted``, or ``failed: <reason>``."""
    return f"failed: {failure_reason(source, error)}" if status == "failed" else status
