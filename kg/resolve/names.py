"""Name normalisation for entity resolution: deeper than the linker's key, never stored as ids.

`kg.linking.entity_key` decides which mentions share one entity row (and so the entity's
stable id); it must not change. The forms here only propose merges between such rows:
accents folded, ``&`` read as ``and``, hyphens as spaces, titles and honorifics dropped
from people, legal-form suffixes (``Inc.``, ``Corp.``, ``Ltd.`` ...) dropped from
organisations; plus acronym shapes and initials, and the parts of a person's name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

TITLES = frozenset({
    "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "madam", "mister",
    "president", "vice", "senator", "sen", "rep", "representative", "congressman",
    "congresswoman", "judge", "justice", "gen", "general", "col", "colonel", "capt", "captain",
    "lt", "lieutenant", "sgt", "sergeant", "maj", "major", "adm", "admiral", "rev",
    "reverend", "father", "rabbi", "imam", "sheikh", "pope", "king", "queen", "prince",
    "princess", "lord", "lady", "gov", "governor", "mayor", "chairman", "chairwoman",
    "minister", "premier", "chancellor", "secretary", "ambassador", "commissioner", "chief",
    "director", "officer", "agent", "detective", "inspector", "st", "saint", "prime",
})
"""Words dropped from the start of a person's name."""
PERSON_TAILS = frozenset({"phd", "md", "esq", "jd", "mp"})
"""Degrees and post-nominals dropped from the end of a person's name."""
GENERATIONS = frozenset({"jr", "sr", "ii", "iii", "iv"})
"""Kept: they tell a father from a son."""
LEGAL_FORMS = frozenset({
    "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "llc",
    "plc", "lp", "llp", "gmbh", "ag", "sa", "nv", "bv", "spa", "srl", "pty", "kk",
})
"""Words dropped from the end of an organisation's name."""
CONNECTIVES = frozenset({
    "of", "the", "and", "for", "in", "on", "at", "to", "a", "an", "de", "la", "le", "du",
    "des", "del", "der", "den", "di", "da", "et", "y", "fur",
})
"""Words an initialism usually skips."""

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_POSSESSIVE = re.compile(r"['’]s?$")


def fold(text: str) -> str:
    """Case and accents folded (``Agência`` -> ``agencia``), ``&`` as ``and``."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.casefold().replace("&", " and ")


def words(text: str) -> list[str]:
    """The words of `text`, folded; dots inside a word are dropped (``U.S.`` -> ``us``),
    possessives too; hyphens and other punctuation separate words."""
    out = []
    for chunk in fold(text).replace(".", "").split():
        for w in _WORD.findall(_POSSESSIVE.sub("", chunk)):
            out.append(w.replace("'", "").replace("’", ""))
    return out


def deep_words(name: str, label: str) -> tuple[str, ...]:
    """The words that identify `name` as an entity of type `label`."""
    ws = words(name)
    if len(ws) > 1 and ws[0] == "the":
        ws = ws[1:]
    if label == "PER":
        while len(ws) > 1 and ws[0] in TITLES:
            ws = ws[1:]
        while len(ws) > 1 and ws[-1] in PERSON_TAILS:
            ws = ws[:-1]
    elif label == "ORG":
        while len(ws) > 1 and ws[-1] in LEGAL_FORMS:
            ws = ws[:-1]
    return tuple(ws)


def deep_key(name: str, label: str) -> str:
    return " ".join(deep_words(name, label))


def has_legal_form(name: str) -> bool:
    ws = words(name)
    return len(ws) > 1 and ws[-1] in LEGAL_FORMS


# -- acronyms ------------------------------------------------------------------------------
def acronym_letters(surface: str) -> str | None:
    """The letters of `surface` if it is shaped like an acronym (``FBI``, ``U.S.``, ``DoJ``,
    ``ADs``), else None."""
    text = surface.strip()
    if " " in text or not 2 <= len(text) <= 14:
        return None
    core = text.replace(".", "").replace("&", "")
    if core.endswith("s") and core[:-1].isupper():
        core = core[:-1]  # a plural: ``ADs``
    if not core.isalnum() or not core[:1].isalpha() or not 2 <= len(core) <= 8:
        return None
    upper = sum(c.isupper() for c in core)
    letters = sum(c.isalpha() for c in core)
    if upper < 2 or upper * 2 < letters:
        return None
    return fold(core)


def initialisms(ws: tuple[str, ...]) -> frozenset[str]:
    """What an initialism of these words may be: every word's initial, or the initials of
    the words that are not connectives (``Department of Justice``: ``doj`` and ``dj``)."""
    if len(ws) < 2:
        return frozenset()
    every = "".join(w[0] for w in ws)
    content = "".join(w[0] for w in ws if w not in CONNECTIVES)
    return frozenset(x for x in (every, content) if len(x) >= 2)


def fits(letters: str, ws: tuple[str, ...]) -> bool:
    """Whether `letters` (an acronym defined next to `ws`) can be read from the words in
    order: the first letter starts a word (one of the first three: ``U.S. Department of
    Transportation (DOT)``), most letters start a word, a letter may come from inside the
    word the previous one came from, and few words that are not connectives are skipped."""
    return any(
        len(ws) - first >= 2 and ws[first][0] == letters[:1] and _fits(letters, ws[first:])
        for first in range(min(3, len(ws)))
    )


def _fits(letters: str, ws: tuple[str, ...]) -> bool:
    content = sum(1 for w in ws if w not in CONNECTIVES)

    def walk(i: int, j: int, k: int, starts: int, used: frozenset[int]) -> bool:
        # i: the next letter; j, k: the word and character the previous letter came from
        if i == len(letters):
            unused = sum(1 for n, w in enumerate(ws) if n not in used and w not in CONNECTIVES)
            return starts * 2 >= len(letters) and unused * 3 <= content
        c = letters[i]
        pos = ws[j].find(c, k + 1)
        if pos > 0 and walk(i + 1, j, pos, starts, used):
            return True
        return any(
            ws[n][0] == c and walk(i + 1, n, 0, starts + 1, used | {n})
            for n in range(j + 1, len(ws))
        )

    return walk(1, 0, 0, 1, frozenset({0}))


# -- people --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class PersonName:
    given: str
    middle: tuple[str, ...]
    family: str
    generation: str = ""

    @property
    def full(self) -> bool:
        return bool(self.given)


def person(ws: tuple[str, ...]) -> PersonName | None:
    """The parts of a person's name (its `deep_words`); a single word is a family name."""
    parts = list(ws)
    gen = ""
    if len(parts) > 1 and parts[-1] in GENERATIONS:
        gen = parts.pop()
    if not parts:
        return None
    if len(parts) == 1:
        return PersonName("", (), parts[0], gen)
    return PersonName(parts[0], tuple(parts[1:-1]), parts[-1], gen)


def _same_word(a: str, b: str, initials: bool) -> bool:
    return a == b or (initials and (len(a) == 1 or len(b) == 1) and a[0] == b[0])


def compatible(a: PersonName, b: PersonName, *, initials: bool) -> bool:
    """Whether two full names can be one person (``John F. Kennedy`` / ``John Kennedy``;
    with `initials`, also ``J. Kennedy``)."""
    if a.family != b.family or (a.generation and b.generation and a.generation != b.generation):
        return False
    if not _same_word(a.given, b.given, initials):
        return False
    short, long = sorted((a.middle, b.middle), key=len)
    it = iter(long)
    return all(any(_same_word(m, n, True) for n in it) for m in short)


def conflict(a: PersonName, b: PersonName) -> bool:
    """Two full names that cannot be one person (``Barack Obama`` / ``Michelle Obama``)."""
    return a.full and b.full and not compatible(a, b, initials=True)
