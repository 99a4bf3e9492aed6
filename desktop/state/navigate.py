"""Jumping to the text: show a mention, an entity's mentions in turn, or a document, from
anywhere (a query result row, a graph node). No Qt; it drives `ProjectState`.

An entity merged into another (`entity_merges`) is shown as its canonical entity, so the
mentions of a canonical entity include those of every entity merged into it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import unquote

if TYPE_CHECKING:
    from desktop.state.project_state import ProjectState

KINDS = ("entity", "mention", "document", "sentence")
"""Record kinds of a project IRI (``<base><kind>/<id>``) that can be shown in the text."""


def record_of(iri: str, base: str | None) -> tuple[str, str] | None:
    """``(kind, id)`` when `iri` names one of this project's records under `base` that the
    text can show (an entity, mention, document or sentence), else None."""
    if not base or not iri.startswith(base):
        return None
    kind, sep, rest = iri[len(base):].partition("/")
    if kind not in KINDS or not sep or not rest or "/" in rest:
        return None
    return kind, unquote(rest)


def show_mention(ps: ProjectState, document: str, mention: int) -> bool:
    """Select `document` (if it is not shown) and focus its mention `mention`."""
    if ps.selected is None or ps.selected.id != document:
        if ps.document(document) is None:
            return False
        ps.select(document)
    index = next((i for i, m in enumerate(ps.mentions) if m.id == mention), None)
    if index is None:
        return False
    ps.focus_mention(index)
    return True


def entity_mentions(ps: ProjectState, entity: str) -> list[tuple[str, int]]:
    """(document, mention id) of every mention of `entity` and of the entities merged into
    it, not rejected, in document and text order."""
    rows = ps.project.query(
        "SELECT document, id FROM mentions WHERE status != 'rejected' AND (entity = ?"
        " OR entity IN (SELECT merged FROM entity_merges WHERE canonical = ?))"
        " ORDER BY document, start, id", (entity, entity))
    return [(str(d), int(i)) for d, i in rows]


class Navigator:
    """Shows records in the text; an entity asked for again shows its next mention."""

    def __init__(self, ps: ProjectState) -> None:
        self.ps = ps
        self._turn: dict[str, int] = {}

    def show_entity(self, entity: str) -> bool:
        """Show the next mention of `entity` (the first one the first time)."""
        found = entity_mentions(self.ps, entity)
        if not found:
            return False
        turn = self._turn[entity] = self._turn.get(entity, -1) + 1
        return show_mention(self.ps, *found[turn % len(found)])

    def show(self, kind: str, record: str) -> bool:
        """Show record `record` of kind `kind` (see `KINDS`); False when it is not there."""
        ps = self.ps
        if kind == "entity":
            return self.show_entity(record)
        if kind == "document":
            if ps.document(record) is None:
                return False
            ps.select(record)
            return True
        if not record.isdigit():
            return False
        column = "id" if kind == "mention" else "sentence" if kind == "sentence" else None
        if column is None:
            return False
        rows = ps.project.query(
            f"SELECT document, id FROM mentions WHERE {column} = ?"  # noqa: S608 - fixed names
            " AND status != 'rejected' ORDER BY start, id LIMIT 1", (int(record),))
        if rows:
            return show_mention(ps, str(rows[0][0]), int(rows[0][1]))
        if kind == "sentence":  # a sentence without mentions: show its document
            doc = ps.project.query("SELECT document FROM sentences WHERE id = ?", (int(record),))
            return bool(doc) and self.show("document", str(doc[0][0]))
        return False
