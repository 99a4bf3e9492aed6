"""The rule-based baseline extractor: capitalisation, gazetteers and cue words.

This is *not* a trained model and must not be presented as one. It exists so that
``skein build`` works before the transformer backend lands, and as a floor to compare
that model against. On CoNLL04 dev (231 sentences, exact spans) version 0.1 scores
entity micro-F1 0.53 (0.66 without MISC, which there includes dates and numbers it never
finds) and relation micro-F1 0.22 (recall 0.14) - far below any trained extractor.

Mentions (per sentence, from the tokens; see `nlp.extract.rules_spans`):

* candidates are maximal runs of capitalised tokens, joined by ``of``/``for`` after a
  head word (``Bank of America``), ``the`` after those, ``and`` once ``of``/``for``/``&``
  occurred or before an ORG word, ``&``, a glued ``-`` and name particles (``de``,
  ``van``); a sentence-initial
  common word (``The``, ``But`` ...) is not part of a run;
* titles and honorifics (``Mr.``, ``Senator``, ``Chairman`` ...) are **not** part of a
  span: ``Senator John Smith`` gives the PER ``John Smith`` (CoNLL-2003 convention);
* labels and their heuristic confidences (not calibrated probabilities):

  ====  ================================================================
  0.90  LOC: the whole span is in the location gazetteer
  0.85  PER: the name follows a title
  0.80  ORG: company suffix (``Inc.``, ``Corp.``); PER: starts with a given name
  0.75  ORG: head word (``Department``, ``University``); LOC: head word
        (``County``, ``River``, ``Mount``); PER: after a lower-case title
  0.70  MISC: nationality, religion or party word (``American``, ``Catholic``)
  0.60  MISC: event/law/prize word (``Act``, ``Prize``); PER: a lone given name;
        LOC: a weaker name right before ``, <gazetteer place>`` (``Tempe , Ariz.``)
  0.55  LOC: after ``in``/``near``; PER: two or three name-shaped words
  0.50  ORG: a lone acronym (``FBI``), a name before ``chairman``/``shares``...;
        MISC: starts with a nationality;
        PER: a name-shaped word before ``said``/``told``...
  0.45  LOC: after ``at``/``from``
  0.35  MISC: nothing but capitalisation
  ====  ================================================================

Document level, in order: a later one-word mention equal to the last word of an earlier
multi-word PER becomes PER (0.75), one equal to an earlier ``X Inc.`` minus its suffix
becomes ORG (0.65) - both only where its own label had confidence below 0.8; then each
surface form takes the label with the highest summed confidence over its mentions, and
re-labelled mentions take that label's mean confidence.

Relations: `nlp.extract.rules_relations` (confidence 0.4-0.6).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from nlp.extract import gazetteer as gz
from nlp.extract.rules_relations import Placed, find_relations
from nlp.extract.rules_spans import (
    LOC,
    ORG,
    PER,
    capitalised,
    classify,
    has_cue,
    runs,
    split_titles,
)
from nlp.extract.types import Extraction, Mention, ModelInfo, RelationMention
from nlp.text import Sentence

INFO = ModelInfo(
    id="rule-baseline@0.1",
    kind="rules",
    description=(
        "Rule-based baseline (capitalisation + gazetteers + cue words); not a trained model"
    ),
)

_SURNAME_CONF = 0.75
_ALIAS_CONF = 0.65
_PLACE_CONF = 0.6
_GAZETTEER = 0.9
_STRONG = 0.8
"""Labels at or above this confidence are not overridden by document-level propagation."""


@dataclass(frozen=True, slots=True)
class _Found:
    placed: Placed
    words: tuple[str, ...]

    @property
    def key(self) -> str:
        return " ".join(self.placed.mention.text.split())

    def relabel(self, label: str, confidence: float) -> _Found:
        m = replace(self.placed.mention, label=label, confidence=round(confidence, 3))
        return _Found(replace(self.placed, mention=m), self.words)


def _sentence_mentions(text: str, sent: Sentence, lower_seen: frozenset[str]) -> list[_Found]:
    toks = sent.tokens
    words = [text[t.start : t.end] for t in toks]
    glued = (
        [False]
        + [
            toks[j - 1].end == toks[j].start and toks[j].end == toks[j + 1].start
            for j in range(1, len(toks) - 1)
        ]
        + [False]
    )
    out: list[_Found] = []
    for first, end in runs(words, capitalised(words, lower_seen), glued):
        for c in split_titles(words, first, end, has_cue):
            start, stop = toks[c.first].start, toks[c.end - 1].end
            surface = text[start:stop]
            prev = words[c.first - 1].lower() if c.first > 0 else ""
            after = words[c.end].lower() if c.end < len(words) else ""
            ws = tuple(words[c.first : c.end])
            label, conf = classify(ws, " ".join(surface.split()), c.titled, prev, after)
            m = Mention(start, stop, surface, label, conf, sent.index)
            out.append(_Found(Placed(m, c.first, c.end), ws))
    return _before_place(out, words)


def _before_place(found: list[_Found], words: Sequence[str]) -> list[_Found]:
    """``Greenville , S.C.``: a weakly typed name right before ``, <gazetteer LOC>`` is LOC."""
    out = list(found)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if (
            a.placed.mention.confidence < _PLACE_CONF
            and b.placed.first == a.placed.end + 1
            and words[a.placed.end] == ","
            and b.placed.mention.label == LOC
            and b.placed.mention.confidence >= _GAZETTEER
        ):
            out[i] = a.relabel(LOC, _PLACE_CONF)
    return out


def _propagate(found: list[_Found]) -> list[_Found]:
    """Later surnames of earlier PERs become PER; ``Acme`` after ``Acme Inc.`` becomes ORG."""
    surnames: set[str] = set()
    aliases: set[str] = set()
    out: list[_Found] = []
    for f in found:
        m = f.placed.mention
        if m.confidence < _STRONG:
            if len(f.words) == 1 and f.key in surnames and m.label != PER:
                f = f.relabel(PER, _SURNAME_CONF)
            elif f.key in aliases and m.label != ORG:
                f = f.relabel(ORG, _ALIAS_CONF)
        m = f.placed.mention
        if m.label == PER and len(f.words) >= 2 and len(f.words[-1]) > 2:
            surnames.add(f.words[-1])
        if m.label == ORG and len(f.words) >= 2 and f.words[-1] in gz.ORG_SUFFIXES:
            aliases.add(" ".join(f.words[:-1]))
        out.append(f)
    return out


def _harmonise(found: list[_Found]) -> list[_Found]:
    """One label per surface form: the label with the highest summed confidence."""
    scores: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for f in found:
        scores[f.key][f.placed.mention.label].append(f.placed.mention.confidence)
    out: list[_Found] = []
    for f in found:
        by_label = scores[f.key]
        best = max(by_label, key=lambda label: sum(by_label[label]))
        if f.placed.mention.label != best:
            f = f.relabel(best, sum(by_label[best]) / len(by_label[best]))
        out.append(f)
    return out


class RuleBaseline:
    """Rule-based baseline extractor (capitalisation + gazetteers + cue words).

    Registered as ``rules`` in `nlp.extract.registry`; not a trained model.
    """

    def __init__(self, *, relations: bool = True) -> None:
        self._relations = relations

    @property
    def info(self) -> ModelInfo:
        return INFO

    def extract(self, text: str, sentences: Sequence[Sentence]) -> Extraction:
        lower_seen = frozenset(
            w
            for s in sentences
            for t in s.tokens
            if (w := text[t.start : t.end]).isalpha() and w.islower()
        )
        found: list[_Found] = []
        for sent in sentences:
            found.extend(_sentence_mentions(text, sent, lower_seen))
        found = _harmonise(_propagate(found))
        mentions = tuple(sorted((f.placed.mention for f in found), key=lambda m: m.start))
        relations: list[RelationMention] = []
        if self._relations:
            by_sentence: dict[int, list[Placed]] = defaultdict(list)
            for f in found:
                by_sentence[f.placed.mention.sentence].append(f.placed)
            for sent in sentences:
                placed = sorted(by_sentence.get(sent.index, ()), key=lambda p: p.first)
                relations.extend(find_relations(text, sent, placed))
        return Extraction(mentions, tuple(relations))
