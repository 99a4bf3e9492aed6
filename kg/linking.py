"""Mentions to entities: the simple, deterministic linker of the foundation.

Two mentions denote one entity when their types match and their names normalise to the
same key (case, punctuation, possessives and honorifics ignored). The key, and so the
entity's id, must stay stable: people's merge/split decisions refer to these ids across
re-extraction. Entity resolution (`kg.resolve`: aliases, acronyms, partial names, known
entities, embeddings) groups the entities this linker makes, without changing them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_HONORIFICS = frozenset({
    "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "mister", "president", "senator",
    "sen", "rep", "judge", "justice", "gen", "general", "col", "capt", "lt", "sgt", "rev",
})
_POSSESSIVE = re.compile(r"['’]s?$")
_NON_WORD = re.compile(r"[^\w]+")


def entity_key(name: str) -> str:
    """The normalised form of a name used to decide that two mentions are one entity."""
    text = unicodedata.normalize("NFKC", name).casefold().strip()
    words = [_POSSESSIVE.sub("", w) for w in text.split()]
    words = [_NON_WORD.sub("", w) for w in words]
    words = [w for w in words if w]
    while len(words) > 1 and words[0] in _HONORIFICS:
        words = words[1:]
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    return " ".join(words)


def entity_id(label: str, key: str) -> str:
    """A stable id for (type, key), safe in IRIs and file names."""
    return "e-" + hashlib.sha1(f"{label}\x1f{key}".encode()).hexdigest()[:16]  # noqa: S324
