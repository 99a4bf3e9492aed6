"""`Edit`: one annotator action as row changes that know their inverse.

An edit is a short list of `Op`s on a few whitelisted tables. Applying it runs the ops and
appends one row to the corrections log, all in one transaction; its `inverse()` is the
exact undo (an insert becomes a delete of that row, a delete re-inserts the same values, an
update swaps before and after). Before an op changes a row it checks that the row is still
what the edit saw; if something else changed it meanwhile (a re-import, another window),
the whole edit is refused with `StaleEdit` and nothing is written.

Entities and aliases are derived rows shared by many mentions, so their ops are "soft": an
insert is skipped when the row exists, a delete is skipped while a mention still needs the
row, and an ``ensure`` op (its own inverse) recreates a row a mention is about to point at.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from kg.store.project import Project

Value = str | int | float | None
Fields = tuple[tuple[str, Value], ...]
Details = tuple[tuple[str, object], ...]
"""JSON-safe facts about an edit (values are scalars or tuples of scalars)."""
OpKind = Literal["insert", "delete", "update", "ensure"]

COLUMNS: dict[str, tuple[str, ...]] = {
    "mentions": ("id", "document", "sentence", "start", "end", "text", "label", "confidence",
                 "model", "entity", "status", "confirmed_by", "confirmed_at"),
    "relations": ("id", "document", "sentence", "head", "tail", "label", "confidence", "model",
                  "status", "confirmed_by", "confirmed_at"),
    "sentence_reviews": ("sentence", "user", "at"),
    "entities": ("id", "label", "name", "key", "created_at"),
    "aliases": ("entity", "alias"),
}
"""The only tables and columns an edit may touch (SQL is built from these names only)."""
KEYS: dict[str, tuple[str, ...]] = {
    "mentions": ("id",), "relations": ("id",), "sentence_reviews": ("sentence",),
    "entities": ("id",), "aliases": ("entity", "alias"),
}
_STILL_NEEDED: dict[str, str] = {
    "entities": "SELECT 1 FROM mentions WHERE entity = :id UNION ALL SELECT 1 FROM"
                " entity_merges WHERE merged = :id OR canonical = :id LIMIT 1",
    "aliases": "SELECT 1 FROM mentions WHERE entity = :entity AND text = :alias LIMIT 1",
}
"""Soft tables: a delete is skipped while this query finds a row that still needs it."""


class AnnotationError(ValueError):
    """An edit was refused; the message says why in words an annotator understands."""


class StaleEdit(AnnotationError):
    """The rows an edit (or its undo) would change were changed by something else."""


def fields(values: Mapping[str, Value]) -> Fields:
    return tuple(values.items())


def _q(name: str) -> str:
    return f'"{name}"'


@dataclass(frozen=True, slots=True)
class Op:
    """One row change. `before`: the values expected now; `after`: the values to write."""

    kind: OpKind
    table: str
    key: Fields
    before: Fields = ()
    after: Fields = ()

    def __post_init__(self) -> None:
        allowed = COLUMNS.get(self.table)
        if allowed is None:
            raise ValueError(f"edits cannot touch table {self.table!r}")
        names = [n for part in (self.key, self.before, self.after) for n, _ in part]
        bad = [n for n in names if n not in allowed]
        if bad:
            raise ValueError(f"unknown columns of {self.table}: {bad}")

    def inverse(self) -> Op:
        flipped: dict[OpKind, OpKind] = {"insert": "delete", "delete": "insert",
                                         "update": "update", "ensure": "ensure"}
        if self.kind == "ensure":
            return self
        return Op(flipped[self.kind], self.table, self.key, self.after, self.before)

    @property
    def soft(self) -> bool:
        return self.table in _STILL_NEEDED

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"op": self.kind, "table": self.table, "key": dict(self.key)}
        if self.before:
            out["before"] = dict(self.before)
        if self.after:
            out["after"] = dict(self.after)
        return out


def insert(table: str, row: Mapping[str, Value]) -> Op:
    key = tuple((k, row[k]) for k in KEYS[table])
    return Op("insert", table, key, (), fields(row))


def delete(table: str, row: Mapping[str, Value]) -> Op:
    key = tuple((k, row[k]) for k in KEYS[table])
    return Op("delete", table, key, fields(row), ())


def update(table: str, row: Mapping[str, Value], **changes: Value) -> Op:
    """Change some columns of `row` (as read now); columns that keep their value are left out."""
    key = tuple((k, row[k]) for k in KEYS[table])
    changed = {k: v for k, v in changes.items() if row[k] != v}
    return Op("update", table, key, tuple((k, row[k]) for k in changed), fields(changed))


def ensure(table: str, row: Mapping[str, Value]) -> Op:
    key = tuple((k, row[k]) for k in KEYS[table])
    return Op("ensure", table, key, (), fields(row))


@dataclass(frozen=True, slots=True)
class Edit:
    """One annotator action: its ops, what the log says about it, and what it is about."""

    action: str
    """``add_mention``, ``relabel_mention``, ``reject_relation``, ...: the log's action."""
    document: str | None
    ops: tuple[Op, ...]
    summary: str
    """For people: ``add PER “Angela Merkel”`` (the Undo menu shows it)."""
    details: Details = ()
    """JSON-safe facts for the corrections log (span, text, labels, decision, ...)."""
    target: tuple[str, int] | None = None
    """(table, id) of the row the action is about, e.g. the mention just added."""
    undone: bool = False
    """True for the inverse of an edit (an undo)."""

    def inverse(self) -> Edit:
        ops = tuple(op.inverse() for op in reversed(self.ops))
        return Edit(self.action, self.document, ops, self.summary, self.details,
                    self.target, not self.undone)

    def payload(self) -> dict[str, Any]:
        """What the corrections log records: the facts and every row change."""
        return {**dict(self.details), "summary": self.summary,
                "rows": [op.to_json() for op in self.ops]}


def _where(key: Fields) -> tuple[str, list[Value]]:
    return " AND ".join(f"{_q(k)} = ?" for k, _ in key), [v for _, v in key]


def read_row(con: sqlite3.Connection, table: str, key: Fields) -> dict[str, Value] | None:
    cols = COLUMNS[table]
    where, args = _where(key)
    sql = f"SELECT {', '.join(map(_q, cols))} FROM {table} WHERE {where}"  # noqa: S608 - names from COLUMNS
    row = con.execute(sql, args).fetchone()
    return dict(zip(cols, row, strict=True)) if row else None


def _stale(op: Op, what: str) -> StaleEdit:
    ident = ", ".join(f"{k} {v}" for k, v in op.key)
    return StaleEdit(f"{op.table[:-1].replace('_', ' ')} ({ident}) {what}; nothing was changed")


def _run(con: sqlite3.Connection, op: Op) -> None:
    current = read_row(con, op.table, op.key)
    where, args = _where(op.key)
    if op.kind in ("insert", "ensure"):
        if current is not None:
            if op.soft or op.kind == "ensure":
                return
            raise _stale(op, "exists already (was it added again meanwhile?)")
        names = [k for k, _ in op.after]
        sql = (f"INSERT INTO {op.table} ({', '.join(map(_q, names))})"  # noqa: S608 - COLUMNS
               f" VALUES ({', '.join('?' for _ in names)})")
        con.execute(sql, [v for _, v in op.after])
        return
    if current is None:
        if op.soft:
            return
        raise _stale(op, "no longer exists")
    if any(current[k] != v for k, v in op.before):
        if op.soft:
            return
        raise _stale(op, "was changed by something else")
    if op.kind == "delete":
        if op.soft and con.execute(_STILL_NEEDED[op.table], dict(op.key)).fetchone():
            return
        con.execute(f"DELETE FROM {op.table} WHERE {where}", args)  # noqa: S608 - COLUMNS
    elif op.after:
        sets = ", ".join(f"{_q(k)} = ?" for k, _ in op.after)
        con.execute(f"UPDATE {op.table} SET {sets} WHERE {where}",  # noqa: S608 - COLUMNS
                    [v for _, v in op.after] + args)


def commit(project: Project, edit: Edit, user: str, log_action: str | None = None) -> Edit:
    """Apply `edit` and log it, in one transaction (all of it, or nothing on any error)."""
    with project.transaction() as con:
        run_ops(con, edit)
        payload = edit.payload()
        if log_action is not None:
            payload["action"] = edit.action
        project.log_correction(user, log_action or edit.action, payload, edit.document)
    return edit


def run_ops(con: sqlite3.Connection, edit: Edit) -> None:
    """The ops of `edit` inside the caller's transaction: ``ensure`` ops first, then in order."""
    for op in edit.ops:
        if op.kind == "ensure":
            _run(con, op)
    for op in edit.ops:
        if op.kind != "ensure":
            _run(con, op)


def undo(project: Project, edit: Edit, user: str) -> Edit:
    """Take `edit` back exactly (logged as ``undo``); returns the inverse that was applied."""
    return commit(project, edit.inverse(), user, "undo")


def redo(project: Project, edit: Edit, user: str) -> Edit:
    """Apply an undone `edit` again, with the same values (logged as ``redo``)."""
    return commit(project, edit, user, "redo")
