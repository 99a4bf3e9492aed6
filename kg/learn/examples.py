"""People's corrections in a project, as training data (`Example`s) and linking labels.

Every sentence with a human decision becomes one `Example` (tokens from `nlp.text`, the
same split the build stored):

* ``accepted`` mentions (confirmed suggestions, relabelled ones, spans a person added) are
  the positives; ``accepted`` relations whose two mentions are in the sentence too;
* a sentence in ``sentence_reviews`` is fully known (``known="all"``): every word not in
  an accepted mention is "no entity", every unlinked pair "no relation". Suggestions a
  reviewer left open (`mark_sentence_reviewed` with ``accept_rest=False``) are therefore
  taught as *not* entities: the mark says the accepted spans are all the sentence holds;
* any other sentence is a `Partial`: its ``rejected`` mentions are explicit span
  negatives, its ``rejected`` relations pair negatives, and everything else (open
  suggestions, unannotated words) is left out of the loss.

A span a person added and then deleted leaves no row (the undo of an addition teaches
nothing); a model's suggestion that was rejected or deleted stays as ``rejected``.
Positives that overlap (BIO cannot hold both) keep the longer, earlier one; relations
that reach into another sentence are left out; both are counted as ``skipped``.

A person's merges and splits (``entity_decisions``, the latest word on each pair) become
`LinkLabel`s for entity resolution. `split_holdout` sets aside a stable share of the
correction sentences (by a hash of document and sentence index) to score models on.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from kg.store.project import Project
from nlp.training.examples import ALL, Example, Partial, RelLabel, RelTriple, SpanLabel

__all__ = ["Corrections", "LinkLabel", "corrections", "link_labels", "sentence_tokens",
           "split_holdout"]

HOLDOUT_SHARE = 0.2
MIN_FOR_HOLDOUT = 5
"""With at least this many correction sentences, at least one is held out."""


@dataclass(frozen=True, slots=True)
class LinkLabel:
    """A person's word on two entities: the same thing (`same`) or not; for `kg.resolve`."""

    a_name: str
    b_name: str
    label: str
    """The entity type (the first entity's, when a person linked two types)."""
    same: bool


@dataclass(frozen=True, slots=True)
class Corrections:
    """The project's corrections as training data: `train` and a held-out share."""

    train: tuple[Example, ...]
    holdout: tuple[Example, ...]
    links: tuple[LinkLabel, ...]
    skipped: int = 0
    """Positives dropped for overlapping another, relations that cross sentences."""
    sentences: frozenset[tuple[str, int]] = field(default_factory=frozenset)
    """(document, sentence index) of every correction sentence."""

    @property
    def examples(self) -> tuple[Example, ...]:
        return self.train + self.holdout

    def counts(self) -> dict[str, int]:
        """Figures to report: sentences (reviewed / partial), positives and negatives."""
        exs = self.examples
        partial = [ex.known for ex in exs if isinstance(ex.known, Partial)]
        return {
            "sentences": len(exs), "reviewed": len(exs) - len(partial), "partial": len(partial),
            "train": len(self.train), "holdout": len(self.holdout),
            "entities": sum(len(ex.entities) for ex in exs),
            "relations": sum(len(ex.relations) for ex in exs),
            "rejected_spans": sum(len(p.rejected) for p in partial),
            "rejected_relations": sum(len(p.rejected_relations) for p in partial),
            "links_same": sum(1 for x in self.links if x.same),
            "links_different": sum(1 for x in self.links if not x.same),
            "skipped": self.skipped,
        }


def corrections(project: Project, holdout: float = HOLDOUT_SHARE) -> Corrections:
    """Every correction sentence of `project` as an `Example`, split into train/holdout."""
    examples, skipped = _examples(project)
    train, held = split_holdout(examples, holdout)
    return Corrections(tuple(train), tuple(held), tuple(link_labels(project)), skipped,
                       frozenset((ex.doc_id, ex.index) for ex in examples))


def _stable(ex: Example) -> float:
    digest = hashlib.sha256(f"{ex.doc_id}\x00{ex.index}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def split_holdout(examples: Sequence[Example], share: float = HOLDOUT_SHARE,
                  ) -> tuple[list[Example], list[Example]]:
    """(train, holdout): a sentence is held out when the hash of its document and index
    falls below `share`, so the split never changes as corrections are added; with
    `MIN_FOR_HOLDOUT` or more sentences at least one is held out, and one is always
    left to train on. Both keep the input order."""
    if share <= 0 or not examples:
        return list(examples), []
    keys = [_stable(ex) for ex in examples]
    held = {i for i, k in enumerate(keys) if k < share}
    if not held and len(examples) >= MIN_FOR_HOLDOUT:
        held = {min(range(len(keys)), key=keys.__getitem__)}
    if len(held) == len(examples):
        held.discard(max(held, key=keys.__getitem__))
    return ([ex for i, ex in enumerate(examples) if i not in held],
            [ex for i, ex in enumerate(examples) if i in held])


def link_labels(project: Project) -> list[LinkLabel]:
    """People's merge ("same") and split ("different") decisions, the latest per pair,
    with the entities' names (pairs whose entities are gone are left out)."""
    latest: dict[frozenset[str], tuple[str, str, str]] = {}
    for a, b, decision in project.query(
            "SELECT a, b, decision FROM entity_decisions ORDER BY id"):
        if a != b:
            latest[frozenset((a, b))] = (str(a), str(b), str(decision))
    names = {str(i): (str(n), str(lab)) for i, n, lab in
             project.query("SELECT id, name, label FROM entities")}
    out = []
    for a, b, decision in latest.values():
        if a in names and b in names:
            out.append(LinkLabel(names[a][0], names[b][0], names[a][1], decision == "same"))
    return out


def sentence_tokens(text: str, rows: Iterable[tuple[int, int, int, int]],
                    ) -> dict[int, tuple[tuple[int, int], ...]]:
    """Token offsets of stored sentences (rows of id, index, start, end) of one document:
    the text is split again exactly as the build split it; a sentence whose boundaries
    no longer match is left out."""
    from nlp.text import split_sentences

    fresh = {(s.index, s.start, s.end): s for s in split_sentences(text)}
    out = {}
    for sid, idx, start, end in rows:
        s = fresh.get((idx, start, end))
        if s is not None:
            out[sid] = tuple((t.start, t.end) for t in s.tokens)
    return out


def _token_span(tokens: Sequence[tuple[int, int]], start: int, end: int,
                ) -> tuple[int, int] | None:
    """The tokens a character span covers (widened to whole tokens)."""
    inside = [i for i, (s, e) in enumerate(tokens) if s < end and start < e]
    return (inside[0], inside[-1] + 1) if inside else None


def _examples(project: Project) -> tuple[list[Example], int]:
    sentence_ids = [int(r[0]) for r in project.query(
        "SELECT sentence FROM mentions WHERE status != 'suggested'"
        " UNION SELECT sentence FROM relations WHERE status != 'suggested'"
        " UNION SELECT sentence FROM sentence_reviews")]
    if not sentence_ids:
        return [], 0
    wanted = set(sentence_ids)
    reviewed = {int(r[0]) for r in project.query("SELECT sentence FROM sentence_reviews")}
    by_doc: dict[str, list[tuple[int, int, int, int]]] = {}
    for sid, doc, idx, start, end in project.query(
            "SELECT id, document, idx, start, end FROM sentences ORDER BY document, idx"):
        if sid in wanted:
            by_doc.setdefault(str(doc), []).append((int(sid), int(idx), int(start), int(end)))
    out: list[Example] = []
    skipped = Counter[str]()
    for doc, rows in sorted(by_doc.items()):
        text = str(project.query("SELECT text FROM documents WHERE id = ?", (doc,))[0][0])
        tokens = sentence_tokens(text, rows)
        mentions = _by_sentence(project.query(
            "SELECT sentence, id, start, end, label, status FROM mentions"
            " WHERE document = ? ORDER BY start, end", (doc,)))  # open ones: for relations
        relations = _by_sentence(project.query(
            "SELECT sentence, head, tail, label, status FROM relations"
            " WHERE document = ? AND status != 'suggested' ORDER BY id", (doc,)))
        for sid, idx, _start, _end in rows:
            if sid not in tokens:
                skipped["unaligned"] += 1
                continue
            words = tuple(text[s:e] for s, e in tokens[sid])
            out.append(_example(doc, idx, words, tokens[sid], mentions.get(sid, []),
                                relations.get(sid, []), sid in reviewed, skipped))
    return out, sum(skipped.values())


def _by_sentence(rows: list[Any]) -> dict[int, list[tuple[Any, ...]]]:
    out: dict[int, list[tuple[Any, ...]]] = {}
    for row in rows:
        out.setdefault(int(row[0]), []).append(tuple(row[1:]))
    return out


def _example(doc: str, idx: int, words: tuple[str, ...], tokens: Sequence[tuple[int, int]],
             mentions: list[tuple[Any, ...]], relations: list[tuple[Any, ...]],
             reviewed: bool, skipped: Counter[str]) -> Example:
    spans: dict[int, SpanLabel] = {}  # mention id -> token span
    for mid, start, end, label, _status in mentions:
        ts = _token_span(tokens, int(start), int(end))
        if ts is not None:
            spans[int(mid)] = SpanLabel(ts[0], ts[1], str(label))
    status = {int(m[0]): str(m[4]) for m in mentions}
    positives: list[tuple[int, SpanLabel]] = []
    for mid, span in sorted(((m, s) for m, s in spans.items() if status[m] == "accepted"),
                            key=lambda x: (x[1].start, -x[1].length, x[0])):
        if any(span.overlaps(kept) for _, kept in positives):
            skipped["overlap"] += 1
            continue
        positives.append((mid, span))
    entities = tuple(s for _, s in positives)
    index = {mid: i for i, (mid, _) in enumerate(positives)}
    rels: list[RelLabel] = []
    rejected_pairs: list[RelTriple] = []
    for head, tail, label, rstatus in relations:
        h, t = int(head), int(tail)
        if rstatus == "accepted":
            if h in index and t in index:
                rels.append(RelLabel(index[h], index[t], str(label)))
            else:
                skipped["relation"] += 1
        elif h in spans and t in spans:
            rejected_pairs.append((spans[h], spans[t], str(label)))
    if reviewed:
        return Example(words, entities, tuple(dict.fromkeys(rels)), doc, idx, ALL)
    rejected = tuple(sorted({spans[m] for m in spans if status[m] == "rejected"}))
    return Example(words, entities, tuple(dict.fromkeys(rels)), doc, idx,
                   Partial(rejected, tuple(dict.fromkeys(rejected_pairs))))
