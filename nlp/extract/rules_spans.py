"""Candidate spans and their labels, one sentence at a time (see `nlp.extract.rules`).

A candidate is a maximal run of capitalised tokens, joined by a few connectors. Title
tokens (``Mr.``, ``Senator``, ``Chairman`` ...) are never part of a span: they split the
run and make the name after them a PER. Labels come from cues in a fixed order; each
cue carries the heuristic confidence listed in `nlp.extract.rules`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from nlp.extract import gazetteer as gz

PER, ORG, LOC, MISC = "PER", "ORG", "LOC", "MISC"

_INITIAL = re.compile(r"[A-Z]\.")
_ACRONYM = re.compile(r"[A-Z]{2,6}|(?:[A-Z]\.){2,6}")
_NAME_WORD = re.compile(
    r"(?:Mc|Mac|[ODL]['’])?[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*|[A-Z]\.|Jr\.?|Sr\.?|II|III|IV"
)
_OPENERS = frozenset({'"', "'", "`", "``", "(", "[", ":", ";", "--", "“", "‘", "—", "–"})
_CONNECTORS = frozenset({"of", "the", "and", "for", "&", "-"}) | gz.PARTICLES
_TITLES_LOWER = frozenset(w.lower() for w in gz.HONORIFICS)


@dataclass(frozen=True, slots=True)
class Candidate:
    """Tokens ``first:end`` of a sentence; `titled` if a title token preceded the name."""

    first: int
    end: int
    titled: bool


def _is_cap(word: str) -> bool:
    return word[:1].isupper() and any(c.isalpha() for c in word) and word not in gz.NEVER


def capitalised(words: Sequence[str], lower_seen: frozenset[str]) -> list[bool]:
    """Which tokens may belong to a name; sentence-initial common words may not.

    A token counts as sentence-initial at index 0 or after an opening quote, bracket or
    colon. There it is dropped if it is a known sentence starter (``The``, ``But`` ...)
    or if its lower-case form occurs lower-case elsewhere in the document.
    """
    out = []
    for i, w in enumerate(words):
        ok = _is_cap(w)
        if ok and (i == 0 or words[i - 1] in _OPENERS):
            known = w in gz.LOCATIONS or w in gz.FIRST_NAMES or w in gz.HONORIFICS
            common = w in gz.SENTENCE_STARTERS or (w.lower() in lower_seen and not w.isupper())
            ok = known or not common
        out.append(ok)
    return out


def _after_connector(words: Sequence[str], cap: Sequence[bool], run: int, j: int) -> int | None:
    """Where a run starting at `run` continues after the connector at `j`, or None."""
    n, w = len(words), words[j]
    if j + 1 >= n:
        return None
    if w in ("of", "for"):
        heads = gz.OF_HEADS if w == "of" else gz.ORG_WORDS
        if words[j - 1] not in heads:
            return None
        k = j + 2 if words[j + 1] == "the" else j + 1
        return k if k < n and cap[k] else None
    if w == "and":
        if not cap[j + 1]:
            return None
        joined = any(words[x] in ("of", "for", "&") for x in range(run, j))
        k = j + 1
        while k < n and cap[k]:
            k += 1
        org = any(x in gz.ORG_WORDS or x in gz.ORG_SUFFIXES for x in words[j + 1 : k])
        return j + 1 if joined or org else None
    if w in ("&", "-"):
        return j + 1 if cap[j + 1] else None
    if w in gz.PARTICLES:
        k = j
        while k < n and k - j < 2 and words[k] in gz.PARTICLES:
            k += 1
        return k if k < n and cap[k] else None
    return None


def _role_noun(words: Sequence[str], i: int, j: int) -> bool:
    """``Actor Karl Malden`` at a sentence start: a capitalised role noun, then a name."""
    w = words[i]
    return (
        (i == 0 or words[i - 1] in _OPENERS)
        and j - i >= 3
        and words[i + 1] in gz.FIRST_NAMES
        and not (w in gz.FIRST_NAMES or w in gz.HONORIFICS or w in gz.LOCATIONS)
    )


def runs(words: Sequence[str], cap: Sequence[bool], glued: Sequence[bool]) -> list[tuple[int, int]]:
    """Maximal runs of capitalised tokens; `glued[j]`: token j touches both neighbours."""
    out: list[tuple[int, int]] = []
    i, n = 0, len(words)
    while i < n:
        if not cap[i]:
            i += 1
            continue
        j = i + 1
        while j < n:
            if cap[j]:
                j += 1
                continue
            if words[j] == "-" and not glued[j]:
                break
            k = _after_connector(words, cap, i, j)
            if k is None:
                break
            j = k
        first = i + 1 if _role_noun(words, i, j) else i
        if any(len(w) > 1 and not _INITIAL.fullmatch(w) for w in words[first:j]):
            out.append((first, j))
        i = j
    return out


def _title_end(words: Sequence[str], k: int, end: int) -> int:
    t = k
    while t < end and (words[t] in gz.HONORIFICS or (words[t] == "General" and t > k)):
        t += 1
    return t


def split_titles(
    words: Sequence[str], first: int, end: int, has_cue: Callable[[Sequence[str]], bool]
) -> list[Candidate]:
    """Split a run at title tokens; the name after a title is `titled`.

    A title keeps its run whole when the rest has an ORG/LOC/MISC cue (``Justice
    Department``, ``Prince Edward Island``), when it follows a connector (``Department
    of Justice``) or when it is also a name part and not first (``Martin Luther King``).
    A title with no name after it is dropped.
    """
    for k in range(first, end):
        if words[k] not in gz.HONORIFICS:
            continue
        if k > first and (words[k - 1] in _CONNECTORS or words[k] in gz.START_ONLY_TITLES):
            continue
        t = _title_end(words, k, end)
        rest = words[t:end]
        if k == first and rest and has_cue(rest):
            return [Candidate(first, end, False)]
        out = [Candidate(first, k, False)] if k > first else []
        if rest:
            out.append(Candidate(t, end, not has_cue(rest)))
        return out
    return [Candidate(first, end, False)]


def _person_like(ws: Sequence[str]) -> bool:
    names = [w for w in ws if w not in gz.PARTICLES]
    return (
        bool(names)
        and ws[-1] in names
        and all(_NAME_WORD.fullmatch(w) for w in names)
        and not any(w in gz.LOCATIONS or w in gz.DEMONYMS for w in names)
    )


def cue(ws: Sequence[str], surface: str) -> tuple[str, float] | None:
    """A label from the span's own words: gazetteer, suffixes, head words, demonyms.

    An all-capitals span (a dateline: ``NIAGARA FALLS``) is looked up title-cased.
    """
    if surface.isupper() and any(len(w) > 3 for w in ws):
        ws, surface = [w.title() for w in ws], surface.title()
    if surface in gz.LOCATIONS:
        return LOC, 0.9
    if len(ws) == 1 and ws[0] in gz.DEMONYMS:
        return MISC, 0.7
    if len(ws) > 1 and ws[-1] in gz.ORG_SUFFIXES:
        return ORG, 0.8
    if any(w in gz.ORG_WORDS for w in ws):
        return ORG, 0.75
    given_name = len(ws) == 2 and ws[0] in gz.FIRST_NAMES  # Susan Park, Jack Hill
    if len(ws) > 1 and not given_name and (ws[-1] in gz.LOC_LAST or ws[0] in gz.LOC_FIRST):
        return LOC, 0.75
    if len(ws) > 1 and ws[-1] in gz.MISC_CUES:
        return MISC, 0.6
    if ws[0] in gz.DEMONYMS:
        return MISC, 0.5
    return None


def classify(
    ws: Sequence[str], surface: str, titled: bool, prev: str, after: str
) -> tuple[str, float]:
    """Label and confidence of a candidate; `prev`/`after`: the lower-cased tokens
    before and after it (``""`` at the sentence edges)."""
    if titled:
        return PER, 0.85
    found = cue(ws, surface)
    if found is not None:
        return found
    if ws[0] in gz.FIRST_NAMES and 2 <= len(ws) <= 4 and _person_like(ws):
        return PER, 0.8
    if prev in _TITLES_LOWER and _person_like(ws):
        return PER, 0.75
    if after in gz.ORG_STAFF or (len(ws) == 1 and _ACRONYM.fullmatch(ws[0])):
        return ORG, 0.5
    if prev in ("in", "near"):
        return LOC, 0.55
    if 2 <= len(ws) <= 3 and _person_like(ws):
        return PER, 0.55
    if len(ws) == 1 and ws[0] in gz.FIRST_NAMES:
        return PER, 0.6
    if after in gz.SPEECH_VERBS and _person_like(ws):
        return PER, 0.5
    if prev in ("at", "from"):
        return LOC, 0.45
    return MISC, 0.35


def has_cue(ws: Sequence[str]) -> bool:
    return cue(ws, " ".join(ws)) is not None
