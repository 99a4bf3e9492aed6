"""Small corpora for the rule tests: entities with the ids the linker would give them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from kg.linking import entity_id, entity_key
from kg.resolve.data import Corpus, Definition, KnownEntity
from kg.resolve.names import deep_words
from kg.resolve.types import EntityInfo, Pair


def ent(label: str, name: str, mentions: int = 1) -> EntityInfo:
    return EntityInfo(entity_id(label, entity_key(name)), label, name, mentions,
                      deep_words(name, label))


def corpus(
    entities: Iterable[EntityInfo],
    docs: Mapping[str, Sequence[EntityInfo]] | None = None,
    definitions: Sequence[Definition] = (),
    known: Sequence[KnownEntity] = (),
    common: Iterable[tuple[EntityInfo, str]] = (),
) -> Corpus:
    """`entities`, each in a document of its own unless `docs` says where they occur."""
    ents = {e.id: e for e in entities}
    if docs is None:
        docs = {f"d-{e.id}": [e] for e in ents.values()}
    return Corpus(
        ents,
        {d: frozenset(e.id for e in es) for d, es in docs.items()},
        tuple(definitions),
        tuple(known),
        frozenset((e.id, d) for e, d in common),
    )


def pairs_of(pairs: Iterable[Pair], entities: Iterable[EntityInfo]) -> set[tuple[str, str, str]]:
    """The pairs as (name, name, reason), names sorted, for readable assertions."""
    names = {e.id: e.name for e in entities}
    out = set()
    for p in pairs:
        a, b = sorted((names[p.a], names[p.b]))
        out.add((a, b, p.reason.split(" ")[0]))
    return out
