"""Reading a project into plain records (`kg.records`), in one consistent transaction."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from typing import TYPE_CHECKING

from kg.records import (
    DocumentRecord,
    EntityRecord,
    LinkRecord,
    MentionRecord,
    ModelRecord,
    RelationRecord,
    SentenceRecord,
    Snapshot,
)
from kg.resolve.view import read_canonical, resolve_snapshot

if TYPE_CHECKING:
    from kg.store.project import Project


def documents(project: Project) -> tuple[DocumentRecord, ...]:
    rows = project.query(
        "SELECT id, source, title, format, status, error FROM documents ORDER BY source"
    )
    return tuple(DocumentRecord(*r) for r in rows)


def document_text(project: Project, doc_id: str) -> str:
    rows = project.query("SELECT text FROM documents WHERE id = ?", (doc_id,))
    if not rows:
        raise KeyError(doc_id)
    return str(rows[0][0])


def snapshot(project: Project) -> Snapshot:
    """Everything the graph and the exports need (only extracted documents' facts)."""
    with project.transaction() as con:  # one read transaction: a consistent view
        docs = tuple(
            DocumentRecord(*r)
            for r in con.execute(
                "SELECT id, source, title, format, status, error FROM documents ORDER BY source"
            )
        )
        sentences = tuple(
            SentenceRecord(*r)
            for r in con.execute(
                "SELECT s.id, s.document, s.idx, s.start, s.end,"
                " substr(d.text, s.start + 1, s.end - s.start)"
                " FROM sentences s JOIN documents d ON d.id = s.document ORDER BY s.id"
            )
        )
        models = tuple(
            ModelRecord(*r)
            for r in con.execute("SELECT id, kind, description, created_at FROM models")
        )
        aliases: dict[str, list[str]] = defaultdict(list)
        for eid, alias in con.execute("SELECT entity, alias FROM aliases ORDER BY alias"):
            aliases[eid].append(alias)
        entities = tuple(
            EntityRecord(eid, label, name, tuple(a for a in aliases[eid] if a != name))
            for eid, label, name in con.execute(
                "SELECT id, label, name FROM entities ORDER BY id"
            )
        )
        mentions = tuple(
            MentionRecord(*r)
            for r in con.execute(
                "SELECT id, document, sentence, start, end, text, label, confidence, model,"
                " entity, status, confirmed_by, confirmed_at FROM mentions ORDER BY id"
            )
        )
        relations = tuple(
            RelationRecord(*r)
            for r in con.execute(
                "SELECT id, document, sentence, head, tail, label, confidence, model, status,"
                " confirmed_by, confirmed_at FROM relations ORDER BY id"
            )
        )
        links = accepted_links(con)
        canonical = read_canonical(con)
    # merged entities are shown as their canonical one (kg.resolve.view)
    return resolve_snapshot(Snapshot(docs, sentences, models, entities, mentions, relations,
                                     links=links), canonical)


def accepted_links(con: sqlite3.Connection) -> tuple[LinkRecord, ...]:
    """The link predictions people accepted (``link_decisions``, `kg.embed.decisions`)."""
    return tuple(LinkRecord(*r) for r in con.execute(
        "SELECT rowid, head, relation, tail, score, model, user, at FROM link_decisions"
        " WHERE decision = 'accepted' ORDER BY rowid"))
