"""The string rules, in one registry: each reads a `Corpus` and proposes scored `Pair`s.

``name-variant`` (0.95): one name once accents, ``&``/``and``, hyphens, titles (people)
and the like are normalised (``José Martí`` / ``Jose Marti``, ``Chairman Alan Greenspan``
/ ``Alan Greenspan``); ``corporate-suffix`` (0.95): organisations that differ by their
legal form (``Apple Inc.`` / ``Apple``). The same name typed ORG in one place and MISC in
another merges too (0.9): the boundary between the two is where extractors disagree most.
``known-entity`` (0.95): names that are the name or an alias of one known entity (imported
from RDF). Acronyms and people have modules of their own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator

from kg.resolve.acronyms import acronym_pairs
from kg.resolve.data import Corpus
from kg.resolve.known import known_matches
from kg.resolve.names import deep_key, has_legal_form
from kg.resolve.people import middle_name_pairs, partial_name_pairs
from kg.resolve.types import CROSS_TYPE_THRESHOLD, Pair

VARIANT, CROSS_TYPE, KNOWN = 0.95, CROSS_TYPE_THRESHOLD, 0.95

Rule = Callable[[Corpus], Iterator[Pair]]


def variant_pairs(corpus: Corpus) -> Iterator[Pair]:
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for e in corpus.entities.values():
        # ORG and MISC share a key space (ORG's rules) so the two labels of one name meet
        label = "ORG" if e.label in ("ORG", "MISC") else e.label
        key = deep_key(e.name, label) if label != e.label else e.key
        if key:
            groups[(label, key)].append(e.id)
    for (_label, key), ids in groups.items():
        ids.sort(key=lambda i: (-corpus.entities[i].mentions, i))
        first = corpus.entities[ids[0]]
        for other in ids[1:]:
            e = corpus.entities[other]
            if e.label != first.label:
                if len(key.replace(" ", "")) >= 3:  # not ``ST`` / ``St.``
                    yield Pair(first.id, e.id, CROSS_TYPE, "name-variant")
            elif first.label == "ORG" and has_legal_form(first.name) != has_legal_form(e.name):
                yield Pair(first.id, e.id, VARIANT, "corporate-suffix")
            else:
                yield Pair(first.id, e.id, VARIANT, "name-variant")


def known_pairs(corpus: Corpus) -> Iterator[Pair]:
    by_iri: dict[str, list[str]] = defaultdict(list)
    for eid, iri in sorted(known_matches(corpus.entities, corpus.known).items()):
        by_iri[iri].append(eid)
    for iri, ids in by_iri.items():
        for other in ids[1:]:
            yield Pair(ids[0], other, KNOWN, f"known-entity {iri}")


RULES: dict[str, Rule] = {
    "name-variant": variant_pairs,
    "acronym": acronym_pairs,
    "partial-name": partial_name_pairs,
    "middle-name": middle_name_pairs,
    "known-entity": known_pairs,
}
"""Rule name -> rule; every rule runs, the clustering keeps each pair's best evidence."""
