"""Toy sentences for the learning-loop tests: a news task and a new "gadgets" domain."""

from __future__ import annotations

import random

from toy_news import PEOPLE
from toy_news import news as news  # the tiny model's sentences, shared

from nlp.training.examples import Example, RelLabel, SpanLabel

DEVICES = ["Zorblex", "Quantix", "Vortana", "Plimbo", "Kestrix", "Orvane"]


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
