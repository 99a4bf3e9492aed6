"""Toy sentences for the learning-loop tests: a news task and a new "gadgets" domain."""

from __future__ import annotations

import random

from nlp.training.examples import Example, RelLabel, SpanLabel

PEOPLE = ["John Smith", "Mary Jones", "Ali Khan", "Li Wei", "Ana Lopez", "Tom Brown"]
ORGS = ["Acme Corp", "Globex Inc", "Initech", "Umbrella Ltd", "Hooli"]
CITIES = ["Boston", "Paris", "Lagos", "Tokyo", "Lima"]
DEVICES = ["Zorblex", "Quantix", "Vortana", "Plimbo", "Kestrix", "Orvane"]


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


def gadgets(n: int, seed: int, names: list[str] = DEVICES) -> list[Example]:
    """A new domain: '<PER> tested the <DEVICE> device .' with a new type and relation."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        p = rng.choice(PEOPLE).split()
        d = rng.choice(names)
        tokens = [*p, "tested", "the", d, "device", "."]
        ents = (SpanLabel(0, len(p), "PER"), SpanLabel(len(p) + 2, len(p) + 3, "DEVICE"))
        out.append(Example(tuple(tokens), ents, (RelLabel(0, 1, "Tested"),),
                           f"gadget{seed}-{i}", 0))
    return out
