"""Merges and people's decisions in the project file, and the two user actions.

``entity_merges`` holds one row per merged entity, pointing at its group's canonical entity
(never at another merged one). ``entity_decisions`` is a person's word on a pair; the
latest word on a pair is the one that counts, and automatic resolution always follows it.

`merge` and `split` are user actions: one transaction writes the decisions, the entry in
the corrections log (``entity-merge`` / ``entity-split``) and the regrouped merges (the
automatic evidence already stored is kept, re-checked against the new decisions).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from kg.resolve.cluster import cluster
from kg.resolve.data import read_entities
from kg.resolve.known import known_links
from kg.resolve.types import AUTO, DIFFERENT, SAME, Decision, EntityInfo, Merge, Pair
from kg.store.file import now

if TYPE_CHECKING:
    from kg.store.project import Project


def read_merges(con: sqlite3.Connection) -> list[Merge]:
    return [Merge(*r) for r in con.execute(
        "SELECT merged, canonical, score, reason, method FROM entity_merges ORDER BY merged"
    )]


def read_decisions(con: sqlite3.Connection) -> list[Decision]:
    return [Decision(*r) for r in con.execute(
        "SELECT a, b, decision, user, at FROM entity_decisions ORDER BY id"
    )]


def write_merges(con: sqlite3.Connection, merges: Iterable[Merge]) -> None:
    """Replace every row of ``entity_merges`` (rows that did not change keep their time)."""
    old = {r[0]: r[1:] for r in con.execute(
        "SELECT merged, canonical, score, reason, method, created_at FROM entity_merges")}
    con.execute("DELETE FROM entity_merges")
    at = now()
    con.executemany(
        "INSERT INTO entity_merges (merged, canonical, score, reason, method, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(m.merged, m.canonical, m.score, m.reason, m.method,
          old[m.merged][4] if old.get(m.merged, ())[:4] == (
              m.canonical, m.score, m.reason, m.method) else at)
         for m in merges],
    )


def merges(project: Project) -> list[Merge]:
    with project.transaction() as con:
        return read_merges(con)


def decisions(project: Project) -> list[Decision]:
    with project.transaction() as con:
        return read_decisions(con)


def canonical_map(project: Project) -> dict[str, str]:
    """Merged entity id -> canonical entity id (entities not merged are not in it)."""
    return dict(project.query("SELECT merged, canonical FROM entity_merges"))


def canonical(project: Project, entity: str) -> str:
    """The canonical id of `entity` (itself when it is not merged)."""
    rows = project.query("SELECT canonical FROM entity_merges WHERE merged = ?", (entity,))
    return str(rows[0][0]) if rows else entity


def stored_pairs(stored: Sequence[Merge]) -> list[Pair]:
    """The automatic evidence behind stored merges, as pairs: each merged entity with its
    canonical one and with the other members of its group (so that taking one member out
    leaves the rest together)."""
    groups: dict[str, list[Merge]] = defaultdict(list)
    for m in stored:
        if m.method == AUTO:
            groups[m.canonical].append(m)
    out = []
    for canon, ms in groups.items():
        for i, m in enumerate(ms):
            out.append(Pair(m.merged, canon, m.score, m.reason))
            out.extend(Pair(m.merged, n.merged, min(m.score, n.score), m.reason)
                       for n in ms[i + 1:])
    return out


def regroup(
    con: sqlite3.Connection,
    pairs: Iterable[Pair],
    known: dict[str, str],
    entities: Mapping[str, EntityInfo] | None = None,
) -> list[Merge]:
    """Group the project's entities from `pairs` and the decisions; store the merges.
    `entities` (as read a moment ago) saves reading them again: those gone since are left
    out, those added since wait for the next run."""
    if entities is None:
        entities = read_entities(con)
    else:
        here = {eid for (eid,) in con.execute("SELECT id FROM entities")}
        entities = {eid: e for eid, e in entities.items() if eid in here}
    result = cluster(entities, pairs, read_decisions(con), known)
    write_merges(con, result)
    return result


def _decide(con: sqlite3.Connection, a: str, b: str, decision: str, user: str, at: str) -> None:
    a, b = sorted((a, b))
    con.execute(
        "INSERT INTO entity_decisions (a, b, decision, user, at) VALUES (?, ?, ?, ?, ?)",
        (a, b, decision, user, at),
    )


def _check(con: sqlite3.Connection, *ids: str) -> None:
    for eid in ids:
        if con.execute("SELECT 1 FROM entities WHERE id = ?", (eid,)).fetchone() is None:
            raise ValueError(f"no entity {eid!r} in this project")


def merge(project: Project, a: str, b: str, user: str) -> list[Merge]:
    """A person says `a` and `b` are one thing: recorded, logged, merged now and kept so."""
    if not user:
        raise ValueError("merge: who decided is required")
    if a == b:
        raise ValueError("merge: an entity is already one with itself")
    with project.transaction() as con:
        _check(con, a, b)
        stored = read_merges(con)
        group = {a, b} | {m.merged for m in stored if m.canonical in (a, b)}
        _decide(con, a, b, SAME, user, now())
        project.log_correction(user, "entity-merge", {"a": a, "b": b})
        result = regroup(con, stored_pairs(stored), known_links(project, raw=True))
    return [m for m in result if m.merged in group or m.canonical in group]


def split(project: Project, entity: str, user: str) -> list[str]:
    """A person says `entity` is none of the entities it is merged with: it leaves its
    group, and a decision ``different`` with each member keeps it out. Returns those ids."""
    if not user:
        raise ValueError("split: who decided is required")
    with project.transaction() as con:
        _check(con, entity)
        stored = read_merges(con)
        root = next((m.canonical for m in stored if m.merged == entity), entity)
        others = sorted({root, *(m.merged for m in stored if m.canonical == root)} - {entity})
        if not others:
            raise ValueError(f"split: entity {entity!r} is not merged with any other")
        at = now()
        for other in others:
            _decide(con, entity, other, DIFFERENT, user, at)
        project.log_correction(user, "entity-split", {"entity": entity, "from": others})
        regroup(con, stored_pairs(stored), known_links(project, raw=True))
    return others
