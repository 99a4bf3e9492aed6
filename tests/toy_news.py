"""Toy news sentences a tiny real model learns in ~20 steps, shared by the learning tests
(tests/learning, tests/learn_loop): '<PER> works for <ORG> in <LOC> .'."""

from __future__ import annotations

import random

from nlp.training.examples import Example, RelLabel, SpanLabel

PEOPLE = ["John Smith", "Mary Jones", "Ali Khan", "Li Wei", "Ana Lopez", "Tom Brown"]
ORGS = ["Acme Corp", "Globex Inc", "Initech", "Umbrella Ltd", "Hooli"]
CITIES = ["Boston", "Paris", "Lagos", "Tokyo", "Lima"]


def news(n: int, seed: int) -> list[Example]:
    """'<PER> works for <ORG> in <LOC> .' with Work_For and OrgBased_In."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        p, o, c = (rng.choice(PEOPLE).split(), rng.choice(ORGS).split(),
                   rng.choice(CITIES).split())
        tokens = [*p, "works", "for", *o, "in", *c, "."]
        os_ = len(p) + 2
        cs = os_ + len(o) + 1
        ents = (SpanLabel(0, len(p), "PER"), SpanLabel(os_, os_ + len(o), "ORG"),
                SpanLabel(cs, cs + len(c), "LOC"))
        rels = (RelLabel(0, 1, "Work_For"), RelLabel(1, 2, "OrgBased_In"))
        out.append(Example(tuple(tokens), ents, rels, f"news{seed}-{i // 3}", i % 3))
    return out
