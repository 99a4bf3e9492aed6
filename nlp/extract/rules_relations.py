"""Relation rules of the baseline: the words between two mentions of one sentence.

Each rule names the labels of the earlier and the later mention and a pattern that the
lower-cased tokens between them (joined by single spaces) must match in full. The
relation labels are CoNLL04's; head/tail types are checked against `RELATION_TYPES`.
Confidence (0.4-0.6) is lower than for entities: these are shallow word patterns.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from nlp.extract import gazetteer as gz
from nlp.extract.types import Mention, RelationMention
from nlp.text import Sentence

PER, ORG, LOC = "PER", "ORG", "LOC"

RELATION_TYPES: dict[str, tuple[str, str]] = {
    "Work_For": (PER, ORG),
    "OrgBased_In": (ORG, LOC),
    "Live_In": (PER, LOC),
    "Located_In": (LOC, LOC),
    "Kill": (PER, PER),
}
"""Relation label -> (head label, tail label)."""

MAX_GAP = 10
"""Mentions more than this many tokens apart are never related."""

_JOB = (
    r"(?:chairman|chairwoman|president|spokesman|spokeswoman|director|chief executive"
    r"(?: officer)?|ceo|executive|head|founder|co-founder|official|officer|employee|manager"
    r"|secretary|member|professor|editor|reporter|correspondent|analyst|lawyer|attorney"
    r"|economist|leader|chief|minister|ambassador|commissioner|general counsel|engineer"
    r"|researcher|scientist|partner|owner|publisher|treasurer|trustee|adviser|advisor|aide"
    r"|agent|investigator|prosecutor|judge|justice|senator|governor|dean|coach|player"
    r"|administrator)"
)
_TITLE = "(?:" + "|".join(sorted(map(re.escape, {w.lower() for w in gz.HONORIFICS}))) + ")"
_KILL = r"(?:killed|shot|murdered|assassinated|slew|stabbed|strangled|executed)"
_KILLING = (
    r"(?:killing|murdering|assassinating|shooting|the (?:murder|killing|assassination|slaying) of)"
)
_THE = r"(?: the)?"


@dataclass(frozen=True, slots=True)
class _Rule:
    label: str
    left: str
    """Label of the earlier mention."""
    right: str
    """Label of the later mention."""
    between: re.Pattern[str]
    confidence: float
    reverse: bool = False
    """The later mention is the head (``Microsoft chairman Bill Gates``)."""


def _rule(label: str, left: str, right: str, pattern: str, conf: float, rev: bool = False) -> _Rule:
    head, tail = (right, left) if rev else (left, right)
    if RELATION_TYPES[label] != (head, tail):
        raise ValueError(f"rule for {label} has head/tail {head}/{tail}")
    return _Rule(label, left, right, re.compile(pattern), conf, rev)


_OF = r"(?:of|at|for|with)"
_JOB_OF = rf", (?:(?:a|an|the) )?(?:[a-z-]+ ){{0,3}}{_JOB} {_OF}{_THE}"
_WORKS = rf"(?:, )?(?:who )?(?:works|worked|working) (?:for|at|with){_THE}"
_ORG_JOB = rf"(?:'s )?(?:[a-z-]+ ){{0,2}}(?:{_JOB}|{_TITLE})(?: ,)?"
_WAS_KILLED = (
    rf"(?:, )?(?:who )?(?:was|were|had been|has been) (?:[a-z]+ly )?"
    rf"(?:{_KILL}|slain)(?: and killed)? by(?: {_TITLE})*"
)
_KILLED = rf"(?:, )?(?:who )?(?:[a-z]+ly )?{_KILL}(?: and killed)?(?: {_TITLE})*"
_OF_KILLING = rf"(?:, )?(?:[a-z0-9,-]+ ){{0,6}}(?:of|for|in|after) {_KILLING}(?: {_TITLE})*"
_BASED = rf"(?:, )?(?:(?:which|that) is )?(?:based|headquartered|located) in{_THE}"
_LIVES = (
    rf"(?:, )?(?:(?:who )?(?:lives|lived|living|resides|resided) in"
    rf"|(?:a |the )?(?:resident|native|citizen) of){_THE}"
)
_BORN = rf"(?:, )?(?:who )?(?:was |is )?born in{_THE}"

_RULES: tuple[_Rule, ...] = (
    _rule("Work_For", PER, ORG, _JOB_OF, 0.6),  # Jo Li , a vice president of the Fed
    _rule("Work_For", PER, ORG, _WORKS, 0.55),  # Mary Jones , who works for Acme Corp.
    _rule("Work_For", PER, ORG, rf"{_OF}{_THE}", 0.45),  # John Smith of IBM
    _rule("Work_For", ORG, PER, _ORG_JOB, 0.5, rev=True),  # Microsoft chairman Bill Gates
    _rule("Kill", PER, PER, _WAS_KILLED, 0.55, rev=True),  # JFK was shot by Lee Harvey Oswald
    _rule("Kill", PER, PER, _KILLED, 0.5),  # Booth , who assassinated President Lincoln
    _rule("Kill", PER, PER, _OF_KILLING, 0.45),  # Sirhan , convicted of killing Kennedy
    _rule("OrgBased_In", ORG, LOC, _BASED, 0.6),  # Acme Corp. , based in Boston
    _rule("OrgBased_In", ORG, LOC, rf"(?:in|of){_THE}", 0.5),  # the FTC in Washington
    _rule("OrgBased_In", LOC, ORG, r"- based", 0.55, rev=True),  # Boston-based Acme Corp.
    _rule("Live_In", PER, LOC, _LIVES, 0.6),  # Jane Doe , who lives in Ohio
    _rule("Live_In", PER, LOC, _BORN, 0.5),  # Calvin Coolidge , was born in Plymouth
    _rule("Live_In", PER, LOC, rf"(?:, )?(?:of|from){_THE}", 0.45),  # Senator Smith of Ohio
    _rule("Live_In", PER, LOC, rf"in{_THE}", 0.4),  # spokesman Doug Beldon in Albuquerque
    _rule("Live_In", LOC, PER, _ORG_JOB, 0.4, rev=True),  # Libya 's ambassador , Ali Muntasser
    _rule("Live_In", LOC, PER, rf"{_TITLE}(?: {_TITLE}){{0,2}}", 0.4, rev=True),  # Ohio Gov. Li
    _rule("Located_In", LOC, LOC, r",", 0.55),  # Boston , Massachusetts
    _rule("Located_In", LOC, LOC, rf"in{_THE}", 0.4),  # Harlem in New York
)
"""Tried in order; the first rule that matches a pair of neighbours wins."""


@dataclass(frozen=True, slots=True)
class Placed:
    """A mention with its token range ``first:end`` in its sentence."""

    mention: Mention
    first: int
    end: int


def find_relations(
    text: str, sentence: Sentence, mentions: Sequence[Placed]
) -> list[RelationMention]:
    """Relations between neighbouring `mentions` (all of `sentence`, sorted by position).

    Only neighbours are related: a PER, ORG or LOC between two others blocks them (a
    MISC does not, and its words are part of the text between).
    """
    words = [text[t.start : t.end].lower() for t in sentence.tokens]
    out: list[RelationMention] = []
    typed = [p for p in mentions if p.mention.label != "MISC"]
    for a, b in itertools.pairwise(typed):
        if b.first - a.end > MAX_GAP:
            continue
        between = " ".join(words[a.end : b.first])
        for rule in _RULES:
            labels = (a.mention.label, b.mention.label)
            if labels == (rule.left, rule.right) and rule.between.fullmatch(between):
                head, tail = (b, a) if rule.reverse else (a, b)
                out.append(RelationMention(head.mention, tail.mention, rule.label, rule.confidence))
                break
    return out
