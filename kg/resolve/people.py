"""People: a family name alone, and fuller or shorter forms of one full name.

``partial-name`` (0.9): in a document that names ``Barack Obama``, a later ``Obama`` is
him, unless the document also names another ``... Obama`` whose name cannot be his
(``Michelle Obama``); entities are project-wide, so ``Obama`` merges only when every
document that resolves it resolves it to the same person. A document that also writes the
word in lower case (``Section``, ``Rules``) is not evidence: there it is a common word.

``middle-name`` (0.85): ``John F. Kennedy`` and ``John Kennedy`` (anywhere in the project),
``J. Kennedy`` and ``John Kennedy`` (in one document) - again only when the shorter form
fits one person: not when ``John Kennedy`` could be ``John F.`` or ``John B. Kennedy``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from kg.resolve.data import Corpus
from kg.resolve.names import PersonName, compatible, person
from kg.resolve.types import EntityInfo, Pair

PARTIAL, MIDDLE = 0.9, 0.85


def _people(corpus: Corpus) -> dict[str, PersonName]:
    out = {}
    for e in corpus.entities.values():
        if e.label == "PER":
            p = person(e.words)
            if p is not None:
                out[e.id] = p
    return out


def _one_person(names: Iterable[PersonName]) -> bool:
    items = list(names)
    return all(compatible(a, b, initials=True) for i, a in enumerate(items) for b in items[i:])


def _preferred(ids: Iterable[str], entities: dict[str, EntityInfo]) -> str:
    return max(ids, key=lambda i: (entities[i].mentions, len(entities[i].name), i))


def partial_name_pairs(corpus: Corpus) -> Iterator[Pair]:
    people = _people(corpus)
    fulls_by_family: dict[str, list[str]] = defaultdict(list)
    for eid, full in people.items():
        if full.full:
            fulls_by_family[full.family].append(eid)
    resolved: dict[str, set[str]] = defaultdict(set)
    ambiguous: set[str] = set()
    for doc, ents in corpus.documents.items():
        for eid in ents:
            p = people.get(eid)
            if p is None or p.full or (eid, doc) in corpus.common:
                continue
            here = [f for f in fulls_by_family.get(p.family, ()) if f in ents
                    and (not p.generation or people[f].generation in ("", p.generation))]
            if not here:
                continue
            if _one_person(people[f] for f in here):
                resolved[eid].add(_preferred(here, corpus.entities))
            else:
                ambiguous.add(eid)
    for eid, targets in sorted(resolved.items()):
        if eid in ambiguous or not _one_person(people[f] for f in targets):
            continue
        for target in sorted(targets):
            yield Pair(eid, target, PARTIAL, "partial-name")


def middle_name_pairs(corpus: Corpus) -> Iterator[Pair]:
    people = _people(corpus)
    by_family: dict[str, list[str]] = defaultdict(list)
    for eid, p in people.items():
        if p.full:
            by_family[p.family].append(eid)
    together: set[frozenset[str]] = set()
    for ents in corpus.documents.values():
        fulls = [e for e in ents if e in people and people[e].full]
        together.update(frozenset((a, b)) for i, a in enumerate(fulls) for b in fulls[i + 1:])
    for family in sorted(by_family):
        ids = sorted(by_family[family])
        fits = {
            a: [b for b in ids if b != a and compatible(
                people[a], people[b], initials=frozenset((a, b)) in together)]
            for a in ids
        }
        clear = {a for a in ids if _one_person(people[b] for b in fits[a])}
        for a in ids:
            for b in fits[a]:
                if a < b and a in clear and b in clear:
                    yield Pair(a, b, MIDDLE, "middle-name")
