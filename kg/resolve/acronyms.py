"""Acronyms: a short form merges with the one long form it stands for.

A definition in the text (``the Department of Justice (DOJ)``, or ``DOJ (Department of
Justice)``) is the strongest evidence (``defined-acronym``, 0.97). Without one, a short form
merges with a long form whose initials it is (``IBM`` / ``International Business Machines``,
``U.S.`` / ``United States``; ``acronym``: 0.82 for two letters, 0.88 for three, 0.92 for
more). Either way, a short form with two or more different long forms in the project is
ambiguous and merges with none of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from kg.resolve.data import Corpus
from kg.resolve.names import acronym_letters, deep_key, fits, initialisms
from kg.resolve.types import EntityInfo, Pair, types_compatible

DEFINED = 0.97


def initials_score(letters: str) -> float:
    return 0.82 if len(letters) == 2 else 0.88 if len(letters) == 3 else 0.92


def _long(e: EntityInfo) -> bool:
    return len(e.words) >= 2 and acronym_letters(e.name) is None


def _groups(longs: Iterable[EntityInfo]) -> dict[str, list[EntityInfo]]:
    """Long forms by their normalised name: one group is one long form."""
    out: dict[str, list[EntityInfo]] = defaultdict(list)
    for e in longs:
        out[e.key].append(e)
    return out


def acronym_pairs(corpus: Corpus) -> Iterator[Pair]:
    entities = corpus.entities
    shorts = [(e, acronym_letters(e.name)) for e in entities.values()]
    by_initials: dict[str, list[EntityInfo]] = defaultdict(list)
    by_key: dict[str, list[EntityInfo]] = defaultdict(list)
    for e in entities.values():
        if _long(e):
            by_key[e.key].append(e)
            for x in initialisms(e.words):
                by_initials[x].append(e)
    defined: dict[str, list[EntityInfo]] = defaultdict(list)
    for d in corpus.definitions:
        if not fits(d.letters, d.long_words):
            continue
        if d.long_entity is not None and d.long_entity in entities:
            defined[d.letters].append(entities[d.long_entity])
        else:  # the long form is no mention here: any entity of that name
            text = " ".join(d.long_words)
            for key in dict.fromkeys((deep_key(text, "ORG"), deep_key(text, "MISC"))):
                defined[d.letters].extend(by_key.get(key, ()))
    for short, letters in shorts:
        if letters is None:
            continue
        if letters in defined:
            score, reason, candidates = DEFINED, "defined-acronym", defined[letters]
        else:
            score, reason = initials_score(letters), "acronym"
            candidates = by_initials.get(letters, [])
        groups = _groups(c for c in candidates
                         if c.id != short.id and types_compatible(short.label, c.label, score))
        if len(groups) != 1:
            continue  # none, or ambiguous
        for long in next(iter(groups.values())):
            yield Pair(short.id, long.id, score, reason)
