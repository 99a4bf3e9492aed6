"""What retraining rehearses so that old knowledge is not forgotten, and the dev sample.

With the original training data at hand (a folder laid out like ``shared/data``:
``conll2003/train.txt``, ``conll04/conll04_train.json`` and their dev files), a seeded
sample of whole documents of every corpus the model was trained on is replayed, each in
its own annotation convention, and a sample of their dev files scores the old and the
new model. The corpora are read where they are, never copied into a project.

Without them, retraining uses *pseudo-rehearsal*: the current model's own predictions on
sentences of the project nobody has corrected are replayed as if they were gold, so the
new model keeps predicting there what the old one did (learning only from the
corrections would otherwise drift on everything else). No dev figures are measured then.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.learn.examples import sentence_tokens
from kg.store.project import Project
from nlp.training.examples import ALL, Example, Partial, documents

if TYPE_CHECKING:
    from nlp.model.grow import Base

__all__ = ["corpus_samples", "pseudo_rehearsal", "relation_home", "route"]


def _sample_documents(examples: Sequence[Example], n: int, seed: int) -> list[Example]:
    """Whole documents, in a seeded random order, until `n` sentences are taken."""
    docs = list(documents(examples).values())
    random.Random(seed).shuffle(docs)  # noqa: S311 - a reproducible sample, not a secret
    out: list[Example] = []
    for doc in docs:
        if len(out) >= n:
            break
        out.extend(doc[: n - len(out)] if len(doc) > 2 * n else doc)
    return out


def corpus_samples(data: str | Path, base: Base, n_train: int, n_dev: int, seed: int,
                   ) -> tuple[dict[str, list[Example]], dict[str, list[Example]]]:
    """({domain: replay sample}, {domain: dev sample}) from the corpora in `data` that
    the model `base` was trained on (by domain name; those not found are skipped)."""
    from nlp.model.recipe import default_corpora, load_corpus

    labels = {str(d["name"]): d.get("labels") or {} for d in base.info.meta.get("domains", [])
              if isinstance(d, Mapping)}
    train: dict[str, list[Example]] = {}
    dev: dict[str, list[Example]] = {}
    for corpus in default_corpora(Path(data)):
        if corpus.name not in base.domains or not Path(corpus.train).is_file():
            continue
        mapping = labels.get(corpus.name) or corpus.labels
        if n_train:
            train[corpus.name] = _sample_documents(load_corpus(corpus.train, mapping),
                                                   n_train, seed)
        if n_dev and Path(corpus.dev).is_file():
            dev[corpus.name] = _sample_documents(load_corpus(corpus.dev, mapping), n_dev, seed)
    return train, dev


def _order(doc: str, idx: int, seed: int) -> bytes:
    return hashlib.sha256(f"{seed}\x00{doc}\x00{idx}".encode()).digest()


def pseudo_rehearsal(project: Project, base: Base, n: int, exclude: Collection[tuple[str, int]],
                     seed: int) -> list[Example]:
    """Up to `n` sentences of the project outside `exclude` (the correction sentences),
    labelled with the current model's own predictions (fully known)."""
    from nlp.model.evaluate import predict_examples

    rows = [(str(d), int(sid), int(idx), int(s), int(e)) for sid, d, idx, s, e in project.query(
        "SELECT s.id, s.document, s.idx, s.start, s.end FROM sentences s"
        " JOIN documents d ON d.id = s.document WHERE d.status = 'extracted'"
        " AND s.id NOT IN (SELECT sentence FROM sentence_reviews)")
        if (str(d), int(idx)) not in exclude]
    rows.sort(key=lambda r: _order(r[0], r[2], seed))
    chosen = sorted(rows[:n], key=lambda r: (r[0], r[2]))
    by_doc: dict[str, list[tuple[int, int, int, int]]] = {}
    for doc, sid, idx, s, e in chosen:
        by_doc.setdefault(doc, []).append((sid, idx, s, e))
    plain: list[Example] = []
    for doc, sents in by_doc.items():
        text = str(project.query("SELECT text FROM documents WHERE id = ?", (doc,))[0][0])
        tokens = sentence_tokens(text, sents)
        plain.extend(Example(tuple(text[a:b] for a, b in tokens[sid]), doc_id=doc, index=idx)
                     for sid, idx, _s, _e in sents if sid in tokens)
    if not plain:
        return []
    return [replace(ex, known=ALL) for ex in predict_examples(base.runtime, plain, 0)]


def _without_relations(ex: Example) -> Example:
    known: Any = ex.known
    if isinstance(known, Partial):
        known = Partial(known.rejected, ())
    return replace(ex, relations=(), known=known)


def route(examples: Sequence[Example], domains: Sequence[str], relation_domain: int | None,
          ) -> dict[str, list[Example]]:
    """Which annotation convention ("domain") each example trains under.

    Entities go to the model's default convention (``domains[0]``: the one extraction
    reads). When relations train under another one (`relation_domain`, from
    `relation_home`), the examples that say something about relations are trained there
    too, and their copies in the default convention carry no relations: a convention
    whose corpus annotates no relation must not learn "no relation" from them."""
    if relation_domain is None or relation_domain == 0 or relation_domain >= len(domains):
        return {domains[0]: list(examples)}
    about_relations = [ex for ex in examples if ex.relations or (
        isinstance(ex.known, Partial) and ex.known.rejected_relations)]
    out = {domains[0]: [_without_relations(ex) for ex in examples]}
    if about_relations:
        out[domains[relation_domain]] = about_relations
    return out


def relation_home(domains: Sequence[str], read_in: int | None,
                  replay: Mapping[str, Sequence[Example]]) -> int | None:
    """The convention examples that teach relations train under (for `route`): where the
    model reads relations when it reads them in one convention only (`read_in`, an older
    bundle's ``relation_domain``); else the default convention, unless its replay sample
    annotates no relations (CoNLL-2003) while another's does (CoNLL04) - relations taught
    beside such a sample would teach "no relation" for all its pairs."""
    if read_in is not None:
        return read_in

    def annotates(name: str) -> bool:
        return any(ex.relations for ex in replay.get(name, ()))

    if not replay.get(domains[0]) or annotates(domains[0]):
        return None
    return next((i for i, name in enumerate(domains) if annotates(name)), None)
