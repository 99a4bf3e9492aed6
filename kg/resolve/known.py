"""Known entities (imported from RDF into ``known_entities``) as a source of aliases.

An entity whose normalised name is the name or an alias of exactly one known entity of a
compatible type is that entity: it is linked to its IRI (exported as ``owl:sameAs``), and
entities linked to one IRI are merged (``known-entity``). A name shared by two known
entities links to neither.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from kg.resolve.data import KnownEntity, read_entities, read_known
from kg.resolve.names import deep_key
from kg.resolve.types import EntityInfo

if TYPE_CHECKING:
    from kg.records import Snapshot
    from kg.store.project import Project


def _family(label: str) -> str:
    """ORG and MISC share their names' key space (see `kg.resolve.rules`)."""
    return "ORG" if label in ("ORG", "MISC") else label


def known_matches(
    entities: Mapping[str, EntityInfo], known: Sequence[KnownEntity]
) -> dict[str, str]:
    """Entity id -> IRI of the one known entity its name matches."""
    index: dict[tuple[str, str], set[str]] = defaultdict(set)
    for k in known:
        family = _family(k.label)
        for name in k.names:
            key = deep_key(name, family)
            if key:
                index[(family, key)].add(k.iri)
    if not index:
        return {}
    out = {}
    for e in entities.values():
        family = _family(e.label)
        iris = index.get((family, deep_key(e.name, family)), set())
        if len(iris) == 1:
            out[e.id] = next(iter(iris))
    return out


SKOLEM = "urn:skein:known:"
"""IRIs the RDF importer made up for blank nodes (`kg.rdf.known.skolem`): they still merge
entities, but name nothing outside the project, so no ``owl:sameAs`` points at them."""


def known_links(project: Project, *, raw: bool = False) -> dict[str, str]:
    """Entity id -> the IRI of the known entity it is (``owl:sameAs`` in RDF exports).

    A group of merged entities shares one IRI: every member maps to it, the canonical
    entity included (its own match first, else the match of the member sorted first).
    IRIs made up for blank nodes are left out. `raw` gives each entity's own match, made-up
    IRIs included, before merges (what resolution itself uses)."""
    with project.transaction() as con:
        known = read_known(con)
        if not known:
            return {}
        links = known_matches(read_entities(con), known)
        if raw:
            return links
        groups: dict[str, list[str]] = defaultdict(list)
        for merged, canonical in con.execute("SELECT merged, canonical FROM entity_merges"):
            groups[canonical].append(merged)
    out: dict[str, str] = {}
    canon_of = {m: c for c, ms in groups.items() for m in ms}
    links = {e: iri for e, iri in links.items() if not iri.startswith(SKOLEM)}
    for eid in sorted(links):
        root = canon_of.get(eid, eid)
        if root not in out or root == eid:
            out[root] = links[eid]
    for root, iri in list(out.items()):
        for m in groups.get(root, ()):
            out[m] = iri
    return out


def export_snapshot(project: Project) -> Snapshot:
    """The project's snapshot with its links to known entities, as exports want it."""
    from dataclasses import replace

    from kg.store.reads import snapshot

    return replace(snapshot(project), same_as=tuple(sorted(known_links(project).items())))
