"""`resolve`: entity resolution over a whole project, as long work.

Reads the project (one transaction), runs every string rule, asks the encoder about the
pairs the rules leave open (only when there are such pairs: the model is loaded on first
use), then regroups and replaces the automatic merges in one transaction, following
people's decisions. Recomputing everything is cheap enough to run after every build (see
the figures in docs/ARCHITECTURE.md); a cancel leaves the merges as they were.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from kg.resolve.data import read_corpus
from kg.resolve.embed import EMBEDDING, candidates, merge_pairs, score_pairs
from kg.resolve.known import SKOLEM, known_matches
from kg.resolve.rules import RULES
from kg.resolve.store import merges, regroup
from kg.resolve.tune import ThresholdFit, decided_pairs, fit_threshold
from kg.resolve.types import AUTO, COMPUTE, KEEP, Pair, ResolveOptions, ResolveReport
from nlp.model.encoder import EncoderError
from nlp.progress import NEVER, CancelToken, Progress, Work

if TYPE_CHECKING:
    from kg.store.project import Project

STAGE = "resolve"


def resolve(
    project: Project, *, options: ResolveOptions | None = None, cancel: CancelToken = NEVER
) -> Work[ResolveReport]:
    """Find and store the project's automatic merges (see the module docstring)."""
    options = options or ResolveOptions()
    started = time.perf_counter()
    steps = len(RULES) + 3
    yield Progress(0, steps, "reading the project", STAGE)
    corpus = read_corpus(project)
    pairs: list[Pair] = []
    for n, (name, rule) in enumerate(RULES.items(), start=1):
        cancel.check()
        yield Progress(n, steps, name, STAGE)
        pairs.extend(rule(corpus))
    cancel.check()
    yield Progress(len(RULES) + 1, steps, "embeddings", STAGE)
    asked: list[tuple[str, str]] = []
    encoder_note = ""
    fit: ThresholdFit | None = None
    if options.embeddings == KEEP:
        pairs.extend(Pair(m.merged, m.canonical, m.score, m.reason) for m in merges(project)
                     if m.method == AUTO and m.reason.startswith(EMBEDDING))
    elif options.embeddings == COMPUTE:
        every = candidates(corpus, set())
        ruled = {frozenset((p.a, p.b)) for p in pairs}
        asked = [p for p in every if frozenset(p) not in ruled]
        if asked:
            learn = options.learn_threshold
            decided = decided_pairs(project, every) if learn else {}
            try:
                scores = score_pairs(project, corpus, sorted({*asked, *decided}))
                fit = (fit_threshold([(s, decided[p]) for p, s in scores.items() if p in decided],
                                     options.embedding_threshold) if learn else
                       ThresholdFit.fixed(options.embedding_threshold))
                wanted = set(asked)
                pairs.extend(merge_pairs({p: s for p, s in scores.items() if p in wanted},
                                         fit.threshold))
            except (ImportError, OSError, EncoderError) as e:  # no encoder here: strings only
                encoder_note = f"encoder unavailable ({e})"
                asked = []
    cancel.check()
    yield Progress(len(RULES) + 2, steps, "grouping", STAGE)
    known = known_matches(corpus.entities, corpus.known)
    with project.transaction() as con:
        result = regroup(con, pairs, known, corpus.entities)
    canon = {m.merged: m.canonical for m in result}
    links: dict[str, str] = {}
    for eid in sorted(known):
        if not known[eid].startswith(SKOLEM):
            links.setdefault(canon.get(eid, eid), known[eid])
    yield Progress(steps, steps, f"{len(result)} merges", STAGE)
    return ResolveReport(
        merges=tuple(result),
        entities=len(corpus.entities),
        known=links,
        candidates=len(pairs),
        embedded=len(asked),
        seconds=time.perf_counter() - started,
        encoder=encoder_note,
        threshold=fit,
    )
