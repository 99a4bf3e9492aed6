"""Reading one document's part of a project, to feed `KnowledgeGraph.add_document`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.records import (
    DocumentRecord,
    EntityRecord,
    MentionRecord,
    ModelRecord,
    RelationRecord,
    SentenceRecord,
    Snapshot,
)
from kg.resolve.view import group_records, resolve_snapshot

if TYPE_CHECKING:
    from kg.store.project import Project


def snapshot_for_document(project: Project, doc_id: str) -> Snapshot:
    """Document `doc_id` with its sentences, mentions, relations, the entities its mentions
    are linked to (with all their aliases) and the models; an empty snapshot when the project
    does not hold it (so `add_document` of it after a delete is harmless).

    Merged entities are shown as their canonical entity, as in `kg.store.reads.snapshot`
    (`kg.resolve.view`): the canonical record, with the names of its whole group as
    aliases, whether or not this document mentions it."""
    p = {"d": doc_id}
    with project.transaction() as con:  # one consistent view
        docs = tuple(
            DocumentRecord(*r)
            for r in con.execute(
                "SELECT id, source, title, format, status, error FROM documents WHERE id = :d", p
            )
        )
        sentences = tuple(
            SentenceRecord(*r)
            for r in con.execute(
                "SELECT s.id, s.document, s.idx, s.start, s.end,"
                " substr(d.text, s.start + 1, s.end - s.start)"
                " FROM sentences s JOIN documents d ON d.id = s.document"
                " WHERE s.document = :d ORDER BY s.id",
                p,
            )
        )
        models = tuple(
            ModelRecord(*r)
            for r in con.execute("SELECT id, kind, description, created_at FROM models ORDER BY id")
        )
        linked = "SELECT entity FROM mentions WHERE document = :d AND entity IS NOT NULL"
        aliases: dict[str, list[str]] = {}
        for eid, alias in con.execute(
            f"SELECT entity, alias FROM aliases WHERE entity IN ({linked}) ORDER BY alias", p  # noqa: S608
        ):
            aliases.setdefault(eid, []).append(alias)
        entities = tuple(
            EntityRecord(eid, label, name, tuple(a for a in aliases.get(eid, ()) if a != name))
            for eid, label, name in con.execute(
                f"SELECT id, label, name FROM entities WHERE id IN ({linked}) ORDER BY id", p  # noqa: S608
            )
        )
        mentions = tuple(
            MentionRecord(*r)
            for r in con.execute(
                "SELECT id, document, sentence, start, end, text, label, confidence, model,"
                " entity, status, confirmed_by, confirmed_at FROM mentions"
                " WHERE document = :d ORDER BY id",
                p,
            )
        )
        relations = tuple(
            RelationRecord(*r)
            for r in con.execute(
                "SELECT id, document, sentence, head, tail, label, confidence, model, status,"
                " confirmed_by, confirmed_at FROM relations WHERE document = :d ORDER BY id",
                p,
            )
        )
        canonical, records = group_records(con, (e.id for e in entities))
    part = Snapshot(docs, sentences, models, entities, mentions, relations)
    return resolve_snapshot(part, canonical, records)
