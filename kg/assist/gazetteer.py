"""A gazetteer of known entities: their names recognised in new text, and a rule that
combines what it finds with the model's entities.

Names come from the project's confirmed entities (`from_project`: mentions people accepted
or added, with their entities' aliases, and the known entities imported from
RDF with their aliases) or from labelled sentences (`from_examples`, e.g. a training
split). `Gazetteer.match` finds them in a sentence's tokens: longest match first, left to
right, with token boundaries at both ends, whatever the tokeniser did inside the name
("U.S." as one token or three). Matching is case-aware — "Bush" is not "bush" — except in
sentences written in capitals, where case says nothing.

A name that was often seen *not* as an entity ("May", "Bush" the plant) is left out by
`min_precision` when the source can tell (labelled sentences count how often a name's
words occur unlabelled); a name seen with several types takes its most frequent one.

`combine` merges the matches into the model's spans: a match where the model found nothing
fills the gap, and a model span with exactly the match's boundaries but another type takes
the gazetteer's type when the model's confidence is below `retype_below`.
"""

from __future__ import annotations

import contextlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nlp.model.features import is_caps_sentence
from nlp.training.examples import Example

if TYPE_CHECKING:
    from kg.store.project import Project

MAX_WORDS = 10
Span = tuple[int, int, str, float]
"""(start word, end word exclusive, type, confidence)."""


def _key(words: Iterable[str]) -> str:
    return "".join("".join(w.split()) for w in words)


def _is_name(key: str) -> bool:
    return len(key) >= 2 and any(c.isupper() or c.isdigit() for c in key)


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    """Token offsets, end exclusive."""
    label: str
    name: str


@dataclass(frozen=True, slots=True)
class Combine:
    """How matches join the model's spans (see the module)."""

    fill: bool = True
    retype_below: float = 0.0
    """Retype a same-boundary model span whose confidence is below this (0: never)."""
    confidence: float = 0.5
    """Confidence given to a span the gazetteer adds."""


class Gazetteer:
    """Names (as the characters of their words, spaces removed) -> entity type."""

    def __init__(self, names: Iterable[tuple[str | Sequence[str], str]]) -> None:
        seen: dict[str, Counter[str]] = defaultdict(Counter)
        for name, label in names:
            key = _key([name] if isinstance(name, str) else name)
            if _is_name(key):
                seen[key][label] += 1
        self.labels: dict[str, str] = {
            key: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            for key, c in seen.items()}
        self._folded = {key.casefold(): label for key, label in self.labels.items()}
        self._prefixes = {key[:n] for key in self.labels for n in range(1, len(key) + 1)}
        self._prefixes |= {p.casefold() for p in self._prefixes}

    def __len__(self) -> int:
        return len(self.labels)

    def match(self, tokens: Sequence[str]) -> list[Match]:
        """Known names in `tokens`, longest first, not overlapping."""
        folded = is_caps_sentence(tokens)
        table = self._folded if folded else self.labels
        out, i = [], 0
        while i < len(tokens):
            best, text = None, ""
            for j in range(i, min(len(tokens), i + MAX_WORDS)):
                text += "".join(tokens[j].split())
                probe = text.casefold() if folded else text
                if probe not in self._prefixes:
                    break
                if probe in table:
                    best = (j + 1, table[probe])
            if best is None:
                i += 1
                continue
            out.append(Match(i, best[0], best[1], " ".join(tokens[i:best[0]])))
            i = best[0]
        return out

    @classmethod
    def from_examples(cls, examples: Sequence[Example], *, min_precision: float = 0.0,
                      min_count: int = 1) -> Gazetteer:
        """Names of the examples' entities; with `min_precision`, only those labelled at
        least that share of the times their exact words occur in the examples."""
        names = [(ex.tokens[e.start:e.end], e.label) for ex in examples for e in ex.entities]
        base = cls(names)
        if min_precision <= 0 and min_count <= 1:
            return base
        labelled = Counter(_key(words) for words, _ in names)
        occurs: Counter[str] = Counter()
        for ex in examples:
            for j in range(len(ex.tokens)):
                text = ""
                for k in range(j, min(len(ex.tokens), j + MAX_WORDS)):
                    text += "".join(ex.tokens[k].split())
                    if text not in base._prefixes:
                        break
                    if text in base.labels:
                        occurs[text] += 1
        keep = {key for key in base.labels if labelled[key] >= min_count
                and labelled[key] >= min_precision * max(occurs[key], labelled[key])}
        return cls([(words, label) for words, label in names if _key(words) in keep])

    @classmethod
    def from_project(cls, project: Project) -> Gazetteer:
        """The project's confirmed entity names (accepted mentions, with their entity's
        aliases; a name also rejected somewhere is left out) and its known entities from
        RDF with their aliases."""
        names: list[tuple[str | Sequence[str], str]] = []
        rejected = {(text, label) for text, label in project.query(
            "SELECT text, label FROM mentions WHERE status = 'rejected'")}
        for text, label in project.query(
                "SELECT m.text, m.label FROM mentions m WHERE m.status = 'accepted' UNION "
                "SELECT a.alias, e.label FROM aliases a JOIN entities e ON e.id = a.entity "
                "WHERE e.id IN (SELECT entity FROM mentions WHERE status = 'accepted')"):
            if (text, label) not in rejected:
                names.append((str(text), str(label)))
        for label, name, aliases in project.query(
                "SELECT label, name, aliases FROM known_entities"):
            names.append((str(name), str(label)))
            with contextlib.suppress(ValueError):
                names.extend((str(a), str(label)) for a in json.loads(aliases)
                             if isinstance(a, str))
        return cls(names)


def combine(spans: Sequence[Span], matches: Sequence[Match], rule: Combine = Combine()
            ) -> list[Span]:
    """The model's spans with the gazetteer's matches folded in (see `Combine`)."""
    out = list(spans)
    for m in matches:
        same = [k for k, s in enumerate(out) if (s[0], s[1]) == (m.start, m.end)]
        if same:
            k = same[0]
            if out[k][2] != m.label and out[k][3] < rule.retype_below:
                out[k] = (m.start, m.end, m.label, out[k][3])
            continue
        if rule.fill and not any(s[0] < m.end and m.start < s[1] for s in out):
            out.append((m.start, m.end, m.label, rule.confidence))
    return sorted(out)
