"""Invariants of every extraction, over generated news-like and arbitrary texts."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp.extract import ENTITY_TYPES, Extraction, get_extractor
from nlp.extract.rules_relations import RELATION_TYPES
from nlp.text import Sentence, split_sentences

Run = Callable[[str], Extraction]

_VOCAB = (
    "The Department of Justice filed a motion in the Supreme Court Senator John Smith Ohio "
    "met with officials Federal Trade Commission Washington Mr. Dr. J. F. U.S. Army Acme "
    "Corp. Inc. Boston-based Boston , Massachusetts - & and for de van 's O'Brien said "
    "killed shot by who assassinated President Lincoln lives resident Bank America New York "
    'City NASA FBI IBM French American Chairman Bill Gates Microsoft Obama Barack ( ) " : ; . '
    "! ? Vice Prime Minister King Jr. Élodie Zoë München 北京 I We It Monday May"
)
_WORDS = _VOCAB.split()

_SEPARATORS = st.sampled_from([" ", " ", " ", "", "\n", "\n\n", "  ", "\t"])

news_like = st.lists(st.tuples(st.sampled_from(_WORDS), _SEPARATORS), max_size=60).map(
    lambda parts: "".join(w + s for w, s in parts)
)
texts = st.one_of(news_like, st.text(max_size=200))

_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
"""The session-scoped fixture is safe to share between examples."""


def _check(text: str, sentences: list[Sentence], result: Extraction) -> None:
    by_index = {s.index: s for s in sentences}
    for m in result.mentions:
        assert text[m.start : m.end] == m.text and m.text.strip() == m.text and m.text
        assert m.label in ENTITY_TYPES
        assert 0.0 <= m.confidence <= 1.0
        sent = by_index[m.sentence]
        assert sent.start <= m.start < m.end <= sent.end
        starts = {t.start for t in sent.tokens}
        ends = {t.end for t in sent.tokens}
        assert m.start in starts and m.end in ends  # token-aligned
    for a, b in itertools.pairwise(result.mentions):
        assert a.end <= b.start, (a, b)  # sorted, never overlapping
    for r in result.relations:
        assert r.head in result.mentions and r.tail in result.mentions
        assert r.head.sentence == r.tail.sentence and r.head != r.tail
        assert RELATION_TYPES[r.label] == (r.head.label, r.tail.label)
        assert 0.0 <= r.confidence <= 1.0


_RULES = get_extractor("rules")


@_SETTINGS
@given(texts)
def test_invariants(text: str) -> None:
    sentences = split_sentences(text)
    _check(text, sentences, _RULES.extract(text, sentences))


@_SETTINGS
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=30).map(" ".join))
def test_deterministic(run_rules: Run, text: str) -> None:
    assert run_rules(text) == run_rules(text)
