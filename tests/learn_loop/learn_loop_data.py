"""Toy data for the learning-loop tests: news sentences a tiny model learns in ~20 steps,
and documents where it meets a type it never saw (gadgets, to be annotated MISC)."""

from __future__ import annotations

import shutil
from pathlib import Path

from toy_news import news as news  # the tiny model's sentences, shared

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
