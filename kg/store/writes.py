"""Writing a loaded and extracted document into a project: one transaction per document."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg.linking import entity_id, entity_key
from kg.store.file import now

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kg.store.project import Project
    from nlp.documents.model import Document
    from nlp.extract.types import Extraction, ModelInfo
    from nlp.text import Sentence


@dataclass(frozen=True, slots=True)
class KnownSource:
    """What the project remembers of a file path from an earlier build."""

    document: str
    size: int
    mtime_ns: int
    status: str


def known_source(project: Project, source: str) -> KnownSource | None:
    rows = project.query(
        "SELECT id, size, mtime_ns, status FROM documents WHERE source = ? "
        "ORDER BY added_at DESC LIMIT 1",
        (source,),
    )
    return KnownSource(*rows[0]) if rows else None


def document_status(project: Project, doc_id: str) -> str | None:
    rows = project.query("SELECT status FROM documents WHERE id = ?", (doc_id,))
    return str(rows[0][0]) if rows else None


def touch_source(project: Project, doc_id: str, source: str, size: int, mtime_ns: int) -> None:
    """Same bytes seen again (maybe under a new path or time): remember where."""
    with project.transaction() as con:
        con.execute(
            "UPDATE documents SET source = ?, size = ?, mtime_ns = ? WHERE id = ?",
            (source, size, mtime_ns, doc_id),
        )


def has_human_work(project: Project, doc_id: str) -> bool:
    rows = project.query(
        "SELECT (SELECT count(*) FROM mentions WHERE document = :d AND status != 'suggested')"
        " + (SELECT count(*) FROM relations WHERE document = :d AND status != 'suggested')"
        " + (SELECT count(*) FROM corrections WHERE document = :d)",
        {"d": doc_id},
    )
    return bool(rows[0][0])


def remove_document(project: Project, doc_id: str) -> None:
    """Drop a document and its machine suggestions (callers keep human-confirmed work)."""
    with project.transaction() as con:
        con.execute("DELETE FROM documents WHERE id = ?", (doc_id,))


def failure_id(source: str, content: str) -> str:
    """Failed files get an id of their own: two broken files may share their bytes."""
    return "failed-" + hashlib.sha256(f"{source}\x00{content}".encode()).hexdigest()[:40]


def store_failure(
    project: Project, content: str, source: str, fmt: str, reason: str, size: int, mtime_ns: int
) -> None:
    doc_id = failure_id(source, content)
    with project.transaction() as con:
        con.execute("DELETE FROM documents WHERE source = ? AND status = 'failed'", (source,))
        con.execute(
            "INSERT INTO documents (id, source, format, title, text, segments, status, error,"
            " size, mtime_ns, added_at) VALUES (?, ?, ?, ?, '', '[]', 'failed', ?, ?, ?, ?)"
            " ON CONFLICT(id) DO UPDATE SET error = excluded.error,"
            " size = excluded.size, mtime_ns = excluded.mtime_ns",
            (doc_id, source, fmt, Path(source).name, reason, size, mtime_ns, now()),
        )


def ensure_model(project: Project, info: ModelInfo) -> None:
    with project.transaction() as con:
        con.execute(
            "INSERT OR IGNORE INTO models (id, kind, description, created_at) VALUES (?,?,?,?)",
            (info.id, info.kind, info.description, now()),
        )


def store_document(
    project: Project,
    doc: Document,
    sentences: Sequence[Sentence],
    extraction: Extraction,
    model: ModelInfo,
    size: int,
    mtime_ns: int,
) -> None:
    """Write the document, its sentences, mentions, linked entities and relations at once."""
    data = doc.to_json()
    with project.transaction() as con:
        ensure_model(project, model)
        con.execute("DELETE FROM documents WHERE source = ? AND status = 'failed'", (doc.source,))
        con.execute(
            "INSERT INTO documents (id, source, format, title, text, segments, metadata,"
            " warnings, status, size, mtime_ns, added_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'extracted', ?, ?, ?)",
            (doc.id, doc.source, doc.format, doc.title, doc.text,
             json.dumps(data["segments"]), json.dumps(data["metadata"]),
             json.dumps(data["warnings"]), size, mtime_ns, now()),
        )
        sent_ids = []
        for s in sentences:
            cur = con.execute(
                "INSERT INTO sentences (document, idx, start, end) VALUES (?, ?, ?, ?)",
                (doc.id, s.index, s.start, s.end),
            )
            sent_ids.append(cur.lastrowid)
        mention_ids = {}
        for m in extraction.mentions:
            key = entity_key(m.text) or m.text.casefold()
            eid = entity_id(m.label, key)
            con.execute(
                "INSERT OR IGNORE INTO entities (id, label, name, key, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (eid, m.label, m.text, key, now()),
            )
            con.execute("INSERT OR IGNORE INTO aliases VALUES (?, ?)", (eid, m.text))
            cur = con.execute(
                "INSERT INTO mentions (document, sentence, start, end, text, label, confidence,"
                " model, entity, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'suggested')",
                (doc.id, sent_ids[m.sentence], m.start, m.end, m.text, m.label,
                 m.confidence, model.id, eid),
            )
            mention_ids[(m.start, m.end, m.label)] = cur.lastrowid
        for r in extraction.relations:
            con.execute(
                "INSERT INTO relations (document, sentence, head, tail, label, confidence,"
                " model, status) VALUES (?, ?, ?, ?, ?, ?, ?, 'suggested')",
                (doc.id, sent_ids[r.head.sentence],
                 mention_ids[(r.head.start, r.head.end, r.head.label)],
                 mention_ids[(r.tail.start, r.tail.end, r.tail.label)],
                 r.label, r.confidence, model.id),
            )
