"""Full-text search over entity names and aliases, built in memory from a `Snapshot`.

No table is added to the project: `SearchIndex.of(snap)` folds every name and alias
(`fold`: compatibility decomposition, accents and other combining marks dropped, case folded,
a few letters without a decomposition mapped: ``ø``→``o``, ``ł``→``l``, ``æ``→``ae``...),
splits it into word tokens and keeps a sorted token list, so that a query token matches every
token it is a prefix of (two binary searches). A name matches when every query token is a
prefix of one of its tokens.

Ranking, best first: match quality (`Hit.score`), then how often the entity is mentioned
(mentions that are not rejected), then the shorter name, then the name. Quality tiers: 4 the
whole name equals the query, 3 the name starts with the query, 2 every query token is a whole
word of the name, 1 every query token is a word prefix; plus 0.5 when it is the entity's
canonical name rather than an alias. About 0.7 s to build for 30,000 entities.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from kg.rdf.facts import REJECTED
from kg.records import EntityRecord, Snapshot

_WORD = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")
_LETTERS = str.maketrans({
    "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i",
    "ħ": "h", "ŧ": "t", "ŀ": "l",
})


def fold(text: str) -> str:
    """`text` without case, accents or compatibility variants, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = unicodedata.normalize("NFKC", bare.casefold()).translate(_LETTERS)
    return _SPACES.sub(" ", folded).strip()


@dataclass(frozen=True, slots=True)
class Hit:
    entity_id: str
    name: str
    label: str
    score: float
    matched_alias: str | None
    """The alias that matched, when the best match was an alias rather than the name."""
    mentions: int = 0


@dataclass(frozen=True, slots=True)
class _Entry:
    entity: EntityRecord
    names: tuple[str, ...]
    """The canonical name, then the aliases."""
    folded: tuple[str, ...]
    words: tuple[frozenset[str], ...]
    mentions: int


class SearchIndex:
    """Entity names and aliases, indexed by their folded word tokens."""

    def __init__(self, entities: Collection[EntityRecord], mentions: Counter[str]) -> None:
        self.entries: list[_Entry] = []
        postings: dict[str, set[tuple[int, int]]] = defaultdict(set)
        for entity in sorted(entities, key=lambda e: e.id):
            names = (entity.name, *(a for a in entity.aliases if a != entity.name))
            folded = tuple(fold(n) for n in names)
            words = tuple(frozenset(_WORD.findall(f)) for f in folded)
            index = len(self.entries)
            self.entries.append(_Entry(entity, names, folded, words, mentions[entity.id]))
            for n, tokens in enumerate(words):
                for token in tokens:
                    postings[token].add((index, n))
        self.tokens = sorted(postings)
        self.postings = {t: frozenset(p) for t, p in postings.items()}

    @classmethod
    def of(cls, snap: Snapshot) -> SearchIndex:
        counts: Counter[str] = Counter(
            m.entity for m in snap.mentions if m.entity is not None and m.status != REJECTED
        )
        return cls(snap.entities, counts)

    def __len__(self) -> int:
        return len(self.entries)

    def matching(self, prefix: str) -> set[tuple[int, int]]:
        """(entry, name) pairs with a token starting with `prefix`."""
        lo = bisect.bisect_left(self.tokens, prefix)
        hi = bisect.bisect_left(self.tokens, prefix + "\U0010ffff")
        found: set[tuple[int, int]] = set()
        for token in self.tokens[lo:hi]:
            found |= self.postings[token]
        return found


def _quality(entry: _Entry, n: int, query: str, words: list[str]) -> float:
    name = entry.folded[n]
    if name == query:
        tier = 4.0
    elif name.startswith(query):
        tier = 3.0
    elif all(w in entry.words[n] for w in words):
        tier = 2.0
    else:
        tier = 1.0
    return tier + (0.5 if n == 0 else 0.0)


def search(
    index: SearchIndex,
    text: str,
    *,
    types: Collection[str] | None = None,
    limit: int | None = 20,
) -> list[Hit]:
    """Entities whose name or an alias matches `text` (word prefixes, any case or accents),
    best first (see the module doc); only those of `types` when given."""
    query = fold(text)
    words = _WORD.findall(query)
    if not words:
        return []
    pairs: set[tuple[int, int]] | None = None
    for word in sorted(set(words), key=len, reverse=True):  # rarest (longest) first
        found = index.matching(word)
        pairs = found if pairs is None else pairs & found
        if not pairs:
            return []
    best: dict[int, tuple[float, int]] = {}
    wanted = set(types) if types is not None else None
    for entry_no, n in pairs or ():
        entry = index.entries[entry_no]
        if wanted is not None and entry.entity.label not in wanted:
            continue
        score = _quality(entry, n, query, words)
        if entry_no not in best or (score, -n) > (best[entry_no][0], -best[entry_no][1]):
            best[entry_no] = (score, n)
    hits = []
    for entry_no, (score, n) in best.items():
        entry = index.entries[entry_no]
        e = entry.entity
        alias = entry.names[n] if n else None
        hits.append(Hit(e.id, e.name, e.label, score, alias, entry.mentions))
    hits.sort(key=lambda h: (-h.score, -h.mentions, len(h.name), h.name, h.entity_id))
    return hits if limit is None else hits[:limit]
