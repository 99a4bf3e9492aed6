"""Entity mentions: add a span, relabel it, accept or reject a model's suggestion.

Every command is one transaction that also appends to the corrections log, and returns
the `Edit` it applied (its `inverse()` is the exact undo). A span a person adds or
confirms is ``accepted`` with `confirmed_by`/`confirmed_at`; a model's suggestion that a
person rejects keeps its row as ``rejected``; a span a person added and then deletes goes.
"""

from __future__ import annotations

import sqlite3

from kg.annotate import rows as r
from kg.annotate.edit import AnnotationError, Edit, Op, commit, delete, insert, update
from kg.annotate.relations import DEFAULT_SCHEMA, RelationSchema
from kg.store.project import Project
from nlp.extract.types import ENTITY_TYPES


def snap_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim white space off a selection and widen it to whole words at both ends."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return start, end
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return start, end


def _sentence_of(con: sqlite3.Connection, doc: str, start: int, end: int) -> int:
    found = con.execute(
        "SELECT id FROM sentences WHERE document = ? AND start <= ? AND end >= ?",
        (doc, start, end)).fetchone()
    if found:
        return int(found[0])
    touched = con.execute(
        "SELECT count(*) FROM sentences WHERE document = ? AND start < ? AND end > ?",
        (doc, end, start)).fetchone()[0]
    if touched > 1:
        raise AnnotationError("the selection crosses a sentence boundary: "
                              "an entity lies within one sentence")
    raise AnnotationError("the selection is not inside a sentence of the document")


def _check_label(con: sqlite3.Connection, label: str) -> str:
    label = label.strip()
    if label in ENTITY_TYPES:
        return label
    known = r.known_labels(con, ENTITY_TYPES)  # a trained model's own types are fine too
    if label not in known:
        raise AnnotationError(f"unknown entity type {label!r} (known: {', '.join(known)})")
    return label


def add_mention(project: Project, document: str, start: int, end: int, label: str,
                user: str) -> Edit:
    """Annotate characters [start, end) of `document` as a `label` entity.

    The span is trimmed of white space and widened to whole words; it must lie in one
    sentence. An exact duplicate of a live mention is refused; one that was rejected is
    accepted again instead. The mention is linked to its entity (created if missing).
    """
    with project.transaction() as con:
        found = con.execute("SELECT text, status FROM documents WHERE id = ?",
                            (document,)).fetchone()
        if found is None:
            raise AnnotationError("the document is not in the project (any more)")
        text, status = str(found[0]), str(found[1])
        if status != "extracted":
            raise AnnotationError("only the text of a document that was read can be annotated")
        label = _check_label(con, label)
        if not 0 <= start < end <= len(text):
            raise AnnotationError("select some text of the document first")
        start, end = snap_span(text, start, end)
        if start == end:
            raise AnnotationError("the selection is empty or only white space")
        sentence = _sentence_of(con, document, start, end)
        span = text[start:end]
        at = r.timestamp()
        details = {"document": document, "start": start, "end": end, "text": span,
                   "label": label, "sentence": sentence, "decision": "add"}
        same = r.rows(con, "mentions", "document = ? AND start = ? AND end = ? AND label = ?",
                      (document, start, end, label))
        if same and same[0]["status"] != r.REJECTED:
            raise AnnotationError(f"{r.quoted(span)} is already a {label} mention")
        if same:  # a rejected suggestion, now wanted after all: the same row comes back
            m = same[0]
            ops: list[Op] = [update("mentions", m, **r.confirmed(user, at))]
            details["restored"] = m["id"]
            mid = int(m["id"] or 0)
        else:
            mid = r.next_id(con, "mentions")
            eid, ops = r.entity_ops(con, label, span)
            ops.append(insert("mentions", {
                "id": mid, "document": document, "sentence": sentence, "start": start,
                "end": end, "text": span, "label": label, "confidence": 1.0, "model": None,
                "entity": eid, **r.confirmed(user, at)}))
        details["mention"] = mid
        edit = Edit("add_mention", document, tuple(ops), f"add {label} {r.quoted(span)}",
                    tuple(details.items()), ("mentions", mid))
        return commit(project, edit, user)


def relabel_mention(project: Project, mention_id: int, label: str, user: str,
                    schema: RelationSchema = DEFAULT_SCHEMA) -> Edit:
    """Give a mention another entity type (and confirm it). Its relations that the type
    no longer allows are taken away in the same edit."""
    with project.transaction() as con:
        m = r.mention(con, mention_id)
        if m["status"] == r.REJECTED:
            raise AnnotationError(f"{r.quoted(m['text'])} was rejected; add it again instead")
        label = _check_label(con, label)
        if label == m["label"]:
            return accept_mention(project, mention_id, user)
        clash = r.rows(con, "mentions", "document = ? AND start = ? AND end = ? AND label = ?"
                       " AND status != 'rejected'", (m["document"], m["start"], m["end"], label))
        if clash:
            raise AnnotationError(f"{r.quoted(m['text'])} is already a {label} mention too; "
                                  "reject this one instead")
        at = r.timestamp()
        eid, ops = r.entity_ops(con, label, str(m["text"]))
        ops = r.keep_entity(con, m["entity"]) + ops
        ops.append(update("mentions", m, label=label, entity=eid, **r.confirmed(user, at)))
        dropped = []
        for rel in r.relations_of(con, mention_id):
            if rel["status"] == r.REJECTED:
                continue
            head = label if rel["head"] == mention_id else r.mention(con, int(rel["head"] or 0))
            tail = label if rel["tail"] == mention_id else r.mention(con, int(rel["tail"] or 0))
            types = [x if isinstance(x, str) else str(x["label"]) for x in (head, tail)]
            if not schema.allows(str(rel["label"]), types[0], types[1]):
                ops.append(r.drop_relation(rel, user, at))
                dropped.append(rel["id"])
        details = {"document": m["document"], "mention": mention_id, "start": m["start"],
                   "end": m["end"], "text": m["text"], "label": label,
                   "old_label": m["label"], "model": m["model"], "decision": "relabel",
                   "relations_dropped": tuple(dropped)}
        edit = Edit("relabel_mention", str(m["document"]), tuple(ops),
                    f"relabel {r.quoted(m['text'])} {m['label']} → {label}",
                    tuple(details.items()), ("mentions", mention_id))
        return commit(project, edit, user)


def accept_mention(project: Project, mention_id: int, user: str) -> Edit:
    """Confirm a model's suggested mention as it is."""
    with project.transaction() as con:
        m = r.mention(con, mention_id)
        if m["status"] != r.SUGGESTED:
            raise AnnotationError(f"{r.quoted(m['text'])} is {m['status']} already")
        at = r.timestamp()
        ops = [update("mentions", m, **r.confirmed(user, at))]
        details = {"document": m["document"], "mention": mention_id, "start": m["start"],
                   "end": m["end"], "text": m["text"], "label": m["label"],
                   "model": m["model"], "confidence": m["confidence"], "decision": "accept"}
        edit = Edit("accept_mention", str(m["document"]), tuple(ops),
                    f"accept {m['label']} {r.quoted(m['text'])}", tuple(details.items()),
                    ("mentions", mention_id))
        return commit(project, edit, user)


def reject_mention(project: Project, mention_id: int, user: str,
                   action: str = "reject_mention") -> Edit:
    """Take a mention away. A model's suggestion stays as ``rejected`` (re-extraction will
    not bring it back); a span a person added is removed. Its relations go with it."""
    with project.transaction() as con:
        m = r.mention(con, mention_id)
        if m["status"] == r.REJECTED:
            raise AnnotationError(f"{r.quoted(m['text'])} is rejected already")
        at = r.timestamp()
        ops: list[Op] = []
        for rel in r.relations_of(con, mention_id):
            if m["model"] is None:  # the row goes: so must every relation that names it
                ops.append(delete("relations", rel))
            elif rel["status"] != r.REJECTED:
                ops.append(r.drop_relation(rel, user, at))
        if m["model"] is None:
            ops.append(delete("mentions", m))
            ops += r.release_entity(con, m["entity"], m["text"])
        else:
            ops.append(update("mentions", m, status=r.REJECTED, confirmed_by=user,
                              confirmed_at=at))
        details = {"document": m["document"], "mention": mention_id, "start": m["start"],
                   "end": m["end"], "text": m["text"], "label": m["label"],
                   "model": m["model"], "confidence": m["confidence"],
                   "decision": "reject" if m["model"] is not None else "delete"}
        verb = "reject" if m["model"] is not None else "delete"
        edit = Edit(action, str(m["document"]), tuple(ops),
                    f"{verb} {m['label']} {r.quoted(m['text'])}", tuple(details.items()),
                    ("mentions", mention_id))
        return commit(project, edit, user)


def delete_mention(project: Project, mention_id: int, user: str) -> Edit:
    """The same as `reject_mention` (a model's row is kept as rejected), logged as a delete."""
    return reject_mention(project, mention_id, user, action="delete_mention")
