"""Where corrections train: entities under the convention extraction reads, relations where
no relation-free replay corpus would learn "no relation" from them."""

from __future__ import annotations

from kg.learn.replay import relation_home, route
from nlp.training.examples import Example, Partial, RelLabel, SpanLabel

SPANS = (SpanLabel(0, 1, "PER"), SpanLabel(3, 4, "ORG"))
WITH_REL = Example(("Ann", "works", "at", "Acme"), SPANS, (RelLabel(0, 1, "Work_For"),), "d")
NEGATIVE = Example(("Bob", "left", "for", "Hooli"), SPANS, (), "d", 1,
                   Partial((), ((SPANS[0], SPANS[1], "Work_For"),)))
ENTITIES = Example(("Lima", "."), (SpanLabel(0, 1, "LOC"),), (), "d", 2)
DOMAINS = ("conll2003", "conll04")


def test_relations_train_where_the_replay_annotates_them() -> None:
    ner_only = {"conll2003": [ENTITIES], "conll04": [WITH_REL]}
    assert relation_home(DOMAINS, None, ner_only) == 1
    assert relation_home(DOMAINS, 1, {}) == 1  # an older bundle reads them in conll04
    assert relation_home(DOMAINS, None, {"conll2003": [WITH_REL]}) is None
    assert relation_home(DOMAINS, None, {}) is None  # pseudo-rehearsal or no replay
    assert relation_home(("news",), None, {"news": [ENTITIES]}) is None


def test_route_splits_relations_off_the_default_convention() -> None:
    out = route([WITH_REL, NEGATIVE, ENTITIES], DOMAINS, 1)
    assert [ex.relations for ex in out["conll2003"]] == [(), (), ()]
    assert out["conll2003"][1].known == Partial((), ())
    assert [ex.entities for ex in out["conll2003"]] == [SPANS, SPANS, ENTITIES.entities]
    assert out["conll04"] == [WITH_REL, NEGATIVE]
    assert route([WITH_REL, ENTITIES], DOMAINS, None) == {"conll2003": [WITH_REL, ENTITIES]}
