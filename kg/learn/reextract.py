"""`reextract`: read the project's documents again with its active model version.

Only the model's own open suggestions change. For each document (one transaction each, so
a cancel keeps the documents done before it), the new model's mentions and relations are
compared with the stored ones by span and type:

* a suggestion the new model makes again stays (its model and confidence are updated);
* a suggestion it no longer makes goes, unless a decision hangs on it (a rejected
  relation of a still open mention keeps the mention);
* a new suggestion is added, linked to its entity like a build does (`kg.linking`) -
  unless a person already decided on that span and type, or it overlaps a span a person
  confirmed, or its sentence was reviewed;
* everything people decided - accepted and added mentions and relations, rejected ones
  (never resurrected), reviewed sentences - is left exactly as it is.

Entity resolution then runs as after a build (string rules; the encoder's stored merges
are kept), and entities no mention names any more are pruned.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kg.learn.versions import LearnError, active_model
from kg.linking import entity_id, entity_key
from kg.store import writes
from kg.store.file import now
from kg.store.project import Project
from nlp.extract.types import Extraction, Extractor
from nlp.progress import NEVER, Cancelled, CancelToken, Progress, Work

__all__ = ["ReextractReport", "reextract"]
STAGE = "reextract"
Key = tuple[int, int, str]


@dataclass(frozen=True, slots=True)
class ReextractReport:
    documents: int = 0
    added: int = 0
    """New suggested mentions."""
    removed: int = 0
    """Suggested mentions the new model no longer makes."""
    kept: int = 0
    """Suggested mentions it makes again."""
    untouched: int = 0
    """Mentions people decided on (accepted, added, rejected): never changed."""
    relations_added: int = 0
    relations_removed: int = 0
    relations_kept: int = 0
    model: str = ""
    cancelled: bool = False


@dataclass
class _Tally:
    documents: int = 0
    added: int = 0
    removed: int = 0
    kept: int = 0
    untouched: int = 0
    relations_added: int = 0
    relations_removed: int = 0
    relations_kept: int = 0

    def report(self, model: str, cancelled: bool) -> ReextractReport:
        return ReextractReport(self.documents, self.added, self.removed, self.kept,
                               self.untouched, self.relations_added, self.relations_removed,
                               self.relations_kept, model, cancelled)


def reextract(project: Project, *, documents: Sequence[str] | None = None,
              cancel: CancelToken = NEVER) -> Work[ReextractReport]:
    """Re-read `documents` (default: all extracted ones) with the active model version."""
    from kg.resolve.run import resolve
    from kg.resolve.types import KEEP, ResolveOptions
    from nlp.extract import get_extractor
    from nlp.model.bundle import BundleError
    from nlp.text import split_sentences

    path = active_model(project)
    try:
        backend = get_extractor("transformer", model=path)
    except BundleError as e:
        raise LearnError(f"the project's model cannot be loaded: {e}") from None
    docs = [str(r[0]) for r in project.query(
        "SELECT id FROM documents WHERE status = 'extracted' ORDER BY added_at, id")]
    if documents is not None:
        docs = [d for d in docs if d in set(documents)]
    tally = _Tally()
    job = project.start_job("reextract", {"model": backend.info.id, "documents": len(docs)})
    status, cancelled = "failed", False
    try:
        writes.ensure_model(project, backend.info)
        for i, doc in enumerate(docs):
            cancel.check()
            yield Progress(i, len(docs), f"document {i + 1} of {len(docs)}", STAGE)
            text = str(project.query("SELECT text FROM documents WHERE id = ?", (doc,))[0][0])
            sentences = split_sentences(text)
            extraction = backend.extract(text, sentences)
            with project.transaction() as con:
                _update(con, doc, text, sentences, extraction, backend, tally)
            tally.documents += 1
        with project.transaction() as con:
            con.execute("DELETE FROM entities WHERE id NOT IN"
                        " (SELECT entity FROM mentions WHERE entity IS NOT NULL)")
        yield from resolve(project, options=ResolveOptions(embeddings=KEEP), cancel=cancel)
        yield Progress(len(docs), len(docs), "done", STAGE)
        status = "done"
    except Cancelled:
        status, cancelled = "cancelled", True
    finally:
        project.finish_job(job, status, f"{tally.documents} documents, {tally.added} added, "
                                        f"{tally.removed} removed, {tally.kept} kept")
    return tally.report(backend.info.id, cancelled)


def _rows(con: sqlite3.Connection, sql: str, doc: str) -> list[dict[str, Any]]:
    cur = con.execute(sql, (doc,))
    names = [c[0] for c in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def _update(con: sqlite3.Connection, doc: str, text: str, sentences: Sequence[Any],
            extraction: Extraction, backend: Extractor, tally: _Tally) -> None:
    model = backend.info.id
    sent_ids = {int(idx): int(sid) for sid, idx in con.execute(
        "SELECT id, idx FROM sentences WHERE document = ?", (doc,))}
    reviewed = {int(r[0]) for r in con.execute(
        "SELECT r.sentence FROM sentence_reviews r JOIN sentences s ON s.id = r.sentence"
        " WHERE s.document = ?", (doc,))}
    mentions = _rows(con, "SELECT id, sentence, start, end, label, status FROM mentions"
                          " WHERE document = ?", doc)
    decided = {(m["start"], m["end"], m["label"]): m for m in mentions
               if m["status"] != "suggested"}
    confirmed = [m for m in mentions if m["status"] == "accepted"]
    open_ = {(m["start"], m["end"], m["label"]): m for m in mentions
             if m["status"] == "suggested" and m["sentence"] not in reviewed}
    tally.untouched += len(mentions) - len(open_)
    pinned = {int(r[0]) for r in con.execute(  # open mentions a decision hangs on
        "SELECT m.id FROM mentions m JOIN relations r ON m.id IN (r.head, r.tail)"
        " WHERE m.document = ? AND m.status = 'suggested' AND r.status != 'suggested'",
        (doc,))}
    ids: dict[Key, int] = {k: int(m["id"]) for k, m in decided.items()
                           if m["status"] == "accepted"}
    wanted: set[Key] = set()
    for m in extraction.mentions:
        key = (m.start, m.end, m.label)
        sid = sent_ids.get(m.sentence)
        if sid is None or sid in reviewed or key in decided:
            continue
        if any(c["start"] < m.end and m.start < c["end"] for c in confirmed):
            continue
        wanted.add(key)
        if key in open_:
            con.execute("UPDATE mentions SET model = ?, confidence = ? WHERE id = ?",
                        (model, m.confidence, open_[key]["id"]))
            ids[key] = int(open_[key]["id"])
            tally.kept += 1
            continue
        name_key = entity_key(m.text) or m.text.casefold()
        eid = entity_id(m.label, name_key)
        con.execute("INSERT OR IGNORE INTO entities (id, label, name, key, created_at)"
                    " VALUES (?, ?, ?, ?, ?)", (eid, m.label, m.text, name_key, now()))
        con.execute("INSERT OR IGNORE INTO aliases VALUES (?, ?)", (eid, m.text))
        cur = con.execute(
            "INSERT INTO mentions (document, sentence, start, end, text, label, confidence,"
            " model, entity, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'suggested')",
            (doc, sid, m.start, m.end, text[m.start:m.end], m.label, m.confidence, model, eid))
        ids[key] = int(cur.lastrowid or 0)
        tally.added += 1
    for key, row in open_.items():
        if key in wanted:
            continue
        if int(row["id"]) in pinned:
            ids[key] = int(row["id"])
            tally.kept += 1
            continue
        tally.relations_removed += int(con.execute(  # they go with it (cascade)
            "SELECT count(*) FROM relations WHERE ? IN (head, tail)", (row["id"],)).fetchone()[0])
        con.execute("DELETE FROM mentions WHERE id = ?", (row["id"],))
        tally.removed += 1
    _relations(con, doc, extraction, ids, sent_ids, reviewed, model, tally)


def _relations(con: sqlite3.Connection, doc: str, extraction: Extraction,
               ids: dict[Key, int], sent_ids: dict[int, int], reviewed: set[int], model: str,
               tally: _Tally) -> None:
    stored = _rows(con, "SELECT id, sentence, head, tail, label, status FROM relations"
                        " WHERE document = ?", doc)
    by_key = {(r["head"], r["tail"], r["label"]): r for r in stored}
    wanted: set[int] = set()
    for rel in extraction.relations:
        h = ids.get((rel.head.start, rel.head.end, rel.head.label))
        t = ids.get((rel.tail.start, rel.tail.end, rel.tail.label))
        sid = sent_ids.get(rel.head.sentence)
        if h is None or t is None or sid is None or sid in reviewed:
            continue
        found = by_key.get((h, t, rel.label))
        if found is not None:
            if found["status"] == "suggested":
                con.execute("UPDATE relations SET model = ?, confidence = ? WHERE id = ?",
                            (model, rel.confidence, found["id"]))
                wanted.add(int(found["id"]))
                tally.relations_kept += 1
            continue
        cur = con.execute(
            "INSERT INTO relations (document, sentence, head, tail, label, confidence, model,"
            " status) VALUES (?, ?, ?, ?, ?, ?, ?, 'suggested')",
            (doc, sid, h, t, rel.label, rel.confidence, model))
        wanted.add(int(cur.lastrowid or 0))
        tally.relations_added += 1
    alive = {int(r[0]) for r in con.execute("SELECT id FROM mentions WHERE document = ?", (doc,))}
    for r in stored:
        if (r["status"] == "suggested" and int(r["id"]) not in wanted
                and r["sentence"] not in reviewed and {r["head"], r["tail"]} <= alive):
            con.execute("DELETE FROM relations WHERE id = ?", (r["id"],))
            tally.relations_removed += 1
