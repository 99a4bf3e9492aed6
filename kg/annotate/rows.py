"""Reading the rows an edit is about, and the ops every command shares."""

from __future__ import annotations

import sqlite3

from kg.annotate.edit import COLUMNS, AnnotationError, Op, Value, delete, ensure, insert, update
from kg.linking import entity_id, entity_key
from kg.store.file import now

Row = dict[str, Value]
ACCEPTED, REJECTED, SUGGESTED = "accepted", "rejected", "suggested"


def _cols(table: str) -> str:
    return ", ".join(f'"{c}"' for c in COLUMNS[table])


def rows(con: sqlite3.Connection, table: str, where: str, args: tuple[Value, ...]) -> list[Row]:
    """Rows of `table` (a whitelisted name) matching `where` (a constant SQL condition)."""
    sql = f"SELECT {_cols(table)} FROM {table} WHERE {where} ORDER BY 1"  # noqa: S608 - constants
    return [dict(zip(COLUMNS[table], r, strict=True)) for r in con.execute(sql, args)]


def mention(con: sqlite3.Connection, mention_id: int) -> Row:
    found = rows(con, "mentions", "id = ?", (mention_id,))
    if not found:
        raise AnnotationError(f"mention {mention_id} does not exist (any more)")
    return found[0]


def relation(con: sqlite3.Connection, relation_id: int) -> Row:
    found = rows(con, "relations", "id = ?", (relation_id,))
    if not found:
        raise AnnotationError(f"relation {relation_id} does not exist (any more)")
    return found[0]


def relations_of(con: sqlite3.Connection, mention_id: int) -> list[Row]:
    """Every relation with `mention_id` as head or tail."""
    return rows(con, "relations", "head = ? OR tail = ?", (mention_id, mention_id))


def next_id(con: sqlite3.Connection, table: str) -> int:
    """The id SQLite would pick next: explicit, so the edit (and its undo) can name the row."""
    return int(con.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0])  # noqa: S608


def quoted(text: Value) -> str:
    one = " ".join(str(text).split())
    return f"“{one if len(one) <= 40 else one[:39] + '…'}”"


def confirmed(user: str, at: str) -> dict[str, Value]:
    return {"status": ACCEPTED, "confirmed_by": user, "confirmed_at": at}


def timestamp() -> str:
    return now()


def entity_ops(con: sqlite3.Connection, label: str, text: str) -> tuple[str, list[Op]]:
    """The entity a mention (`label`, `text`) links to, and the ops that create it if needed."""
    key = entity_key(text) or text.casefold()
    eid = entity_id(label, key)
    ops: list[Op] = []
    if con.execute("SELECT 1 FROM entities WHERE id = ?", (eid,)).fetchone() is None:
        ops.append(insert("entities", {"id": eid, "label": label, "name": text, "key": key,
                                       "created_at": now()}))
    if con.execute("SELECT 1 FROM aliases WHERE entity = ? AND alias = ?",
                   (eid, text)).fetchone() is None:
        ops.append(insert("aliases", {"entity": eid, "alias": text}))
    return eid, ops


def keep_entity(con: sqlite3.Connection, eid: Value) -> list[Op]:
    """An ``ensure`` op for the entity a mention points at now (so an undo can point back)."""
    if eid is None:
        return []
    found = rows(con, "entities", "id = ?", (eid,))
    return [ensure("entities", found[0])] if found else []


def release_entity(con: sqlite3.Connection, eid: Value, alias: Value) -> list[Op]:
    """Soft deletes of a mention's alias and entity: done only if nothing needs them now."""
    out = [delete("aliases", a) for a in rows(con, "aliases", "entity = ? AND alias = ?",
                                               (eid, alias))]
    return out + [delete("entities", e) for e in rows(con, "entities", "id = ?", (eid,))]


def drop_relation(rel: Row, user: str, at: str) -> Op:
    """A person takes a relation away: a model's suggestion stays, rejected (so re-extraction
    does not bring it back); one a person added is removed."""
    if rel["model"] is None:
        return delete("relations", rel)
    return update("relations", rel, status=REJECTED, confirmed_by=user, confirmed_at=at)


def accept_mention_ops(m: Row, user: str, at: str) -> list[Op]:
    """Confirm a suggested mention (used when a relation on it is confirmed)."""
    if m["status"] == SUGGESTED:
        return [update("mentions", m, **confirmed(user, at))]
    if m["status"] == REJECTED:
        raise AnnotationError(f"the mention {quoted(m['text'])} was rejected; add it again first")
    return []


def known_labels(con: sqlite3.Connection, defaults: tuple[str, ...]) -> tuple[str, ...]:
    """Entity types an annotator may use: the default scheme and any type the project has."""
    seen = [str(r[0]) for r in con.execute("SELECT DISTINCT label FROM mentions ORDER BY 1")]
    return (*defaults, *(s for s in seen if s not in defaults))
