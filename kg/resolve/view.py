"""Merged entities seen as one: what the graph, the exports and queries read.

`resolve_snapshot` rewrites a snapshot so that each mention (and each accepted link) points
at its canonical entity, and each canonical entity carries the names of its whole group (its
own aliases and every merged entity's name and aliases) as aliases; merged entities are left
out. The stored mentions keep the entity they were linked to, so a split brings it back.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace

from kg.records import EntityRecord, Snapshot


def read_canonical(con: sqlite3.Connection) -> dict[str, str]:
    """Merged entity id -> canonical entity id."""
    return dict(con.execute("SELECT merged, canonical FROM entity_merges").fetchall())


def group_records(
    con: sqlite3.Connection, ids: Iterable[str]
) -> tuple[dict[str, str], list[EntityRecord]]:
    """For entities `ids`: their merges, and the records of their canonical entities and of
    every member of those groups (what `resolve_snapshot` needs for part of a project)."""
    wanted = sorted(set(ids))
    canon: dict[str, str] = {}
    for i in range(0, len(wanted), 500):
        chunk = wanted[i:i + 500]
        marks = ",".join("?" * len(chunk))
        canon.update(con.execute(
            f"SELECT merged, canonical FROM entity_merges WHERE merged IN ({marks})",  # noqa: S608
            chunk,
        ).fetchall())
    roots = sorted({canon.get(e, e) for e in wanted} & set(canon.values()))
    for i in range(0, len(roots), 500):
        chunk = roots[i:i + 500]
        marks = ",".join("?" * len(chunk))
        canon.update(con.execute(
            f"SELECT merged, canonical FROM entity_merges WHERE canonical IN ({marks})",  # noqa: S608
            chunk,
        ).fetchall())
    needed = sorted(set(canon) | set(canon.values()))
    records: list[EntityRecord] = []
    for i in range(0, len(needed), 500):
        chunk = needed[i:i + 500]
        marks = ",".join("?" * len(chunk))
        aliases: dict[str, list[str]] = defaultdict(list)
        for eid, alias in con.execute(
            f"SELECT entity, alias FROM aliases WHERE entity IN ({marks}) ORDER BY alias",  # noqa: S608
            chunk,
        ):
            aliases[eid].append(alias)
        records.extend(
            EntityRecord(eid, label, name, tuple(a for a in aliases[eid] if a != name))
            for eid, label, name in con.execute(
                f"SELECT id, label, name FROM entities WHERE id IN ({marks})", chunk  # noqa: S608
            )
        )
    return canon, records


def _merged_record(root: EntityRecord, members: Iterable[EntityRecord]) -> EntityRecord:
    names = set(root.aliases)
    for m in members:
        names.add(m.name)
        names.update(m.aliases)
    names.discard(root.name)
    return replace(root, aliases=tuple(sorted(names)))


def resolve_snapshot(
    snap: Snapshot, canonical: Mapping[str, str], records: Iterable[EntityRecord] = ()
) -> Snapshot:
    """`snap` with merged entities shown as their canonical one (see the module docstring).
    `records` adds entity records `snap` lacks (canonical entities and group members that
    a part of a project does not mention)."""
    if not canonical:
        return snap
    known = {e.id: e for e in records}
    known.update((e.id, e) for e in snap.entities)
    members: dict[str, list[EntityRecord]] = defaultdict(list)
    for merged, root in canonical.items():
        if merged in known:
            members[root].append(known[merged])
    shown: dict[str, EntityRecord] = {}
    for e in snap.entities:
        root = canonical.get(e.id, e.id)
        if root not in shown and root in known:
            shown[root] = _merged_record(known[root], members.get(root, ()))
    mentions = tuple(
        replace(m, entity=canonical[m.entity])
        if m.entity is not None and m.entity in canonical else m
        for m in snap.mentions
    )
    entities = tuple(shown[k] for k in sorted(shown))
    links = tuple(
        replace(link, head=canonical.get(link.head, link.head),
                tail=canonical.get(link.tail, link.tail))
        for link in snap.links
    )
    return replace(snap, entities=entities, mentions=mentions, links=links)
