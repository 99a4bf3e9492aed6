"""Toy data for the learning-loop tests: news sentences a tiny model learns in ~20 steps,
and documents where it meets a type it never saw (gadgets, to be annotated MISC)."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from nlp.training.examples import Example, RelLabel, SpanLabel

PEOPLE = ["John Smith", "Mary Jones", "Ali Khan", "Li Wei", "Ana Lopez", "Tom Brown"]
ORGS = ["Acme Corp", "Globex Inc", "Initech", "Umbrella Ltd", "Hooli"]
CITIES = ["Boston", "Paris", "Lagos", "Tokyo", "Lima"]
GADGETS = ["Zorblex", "Quantix", "Vortana", "Plimbo"]


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


DOCUMENTS = {
    "one.txt": "John Smith works for Acme Corp in Boston. Mary Jones works for Globex Inc in "
               "Paris.\n\nAli Khan tested the Quantix device. Li Wei tested the Zorblex device.\n",
    "two.txt": "Ana Lopez works for Initech in Lagos. Tom Brown tested the Vortana device.\n\n"
               "Mary Jones tested the Plimbo device. John Smith works for Hooli in Tokyo.\n",
    "three.txt": "Li Wei works for Umbrella Ltd in Lima. Ana Lopez tested the Zorblex device.\n\n"
                 "Tom Brown tested the Quantix device. Ali Khan works for Acme Corp in Paris.\n",
}


def copy_project(source: Path, folder: Path) -> Path:
    """A copy of a project file and its model versions in `folder`."""
    target = folder / source.name
    shutil.copyfile(source, target)
    models = source.with_name(source.name + ".models")
    if models.is_dir():
        shutil.copytree(models, target.with_name(target.name + ".models"))
    return target
