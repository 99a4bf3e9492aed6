"""From words to tensors: word pieces, shapes, document windows and padded batches.

Sentences of one document are packed into windows of up to `max_len` pieces, so every
word is read with the sentences around it (document context decides MISC/ORG and
LOC/ORG in sports tables). A sentence longer than a window is cut into word chunks.

Training targets: a fully known sentence teaches "O" on every word outside its spans and
"no relation" for every candidate pair it does not link; a partly annotated one (an
`Item` with ``known=False``) teaches only its spans, its rejected spans ("O") and its
linked or rejected pairs, and every other word and pair is left out of the loss (-100).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from nlp.model.features import sentence_shapes

if TYPE_CHECKING:
    from nlp.training.examples import Example

MAX_PIECES_PER_WORD = 16
IGNORE = -100
"""The target of a word or pair that teaches nothing (cross-entropy's ignore index)."""

WordSpan = tuple[int, int, str]
"""(start word, end word exclusive, type) within an item."""

PairRow = tuple[int, int, int, int, int, int, int, int, int]
"""See `pair_rows`."""


@dataclass(slots=True)
class Item:
    """One sentence (or chunk of a long one) ready for the model."""

    key: tuple[str, int, int]
    """(document, sentence index, first word offset) — where predictions go back to."""
    words: Sequence[str]
    pieces: list[int]
    first: list[int]
    """Offset of each word's first piece within `pieces`."""
    end: list[int]
    """Offset just past each word's last piece."""
    shapes: list[int]
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    """Gold entities as word offsets (start, end exclusive, type)."""
    relations: list[tuple[int, int, str]] = field(default_factory=list)
    """Gold relations: (head index, tail index into `spans`, type)."""
    known: bool = True
    """False for a partly annotated sentence: only what is annotated teaches."""
    negatives: list[tuple[int, int]] = field(default_factory=list)
    """Rejected spans (start, end exclusive): taught "O" where no gold span covers them."""
    rel_negatives: list[tuple[WordSpan, WordSpan]] = field(default_factory=list)
    """Rejected (head, tail) pairs, as word spans: taught "no relation"."""
    relations_known: bool = True
    """False where the corpus does not annotate relations at all (CoNLL-2003): its
    entity pairs teach nothing, rather than "no relation"."""


@dataclass(slots=True)
class Window:
    items: list[Item]
    domain: int = 0

    @property
    def n_pieces(self) -> int:
        return sum(len(i.pieces) for i in self.items) + 2

    def offsets(self) -> list[int]:
        """Piece offset of each item in the window (after [CLS])."""
        out, pos = [], 1
        for item in self.items:
            out.append(pos)
            pos += len(item.pieces)
        return out


def example_keys(examples: Sequence[Example]) -> list[tuple[str, int]]:
    """(document, sentence index) of each example, the key its `Item`s carry; an example
    without a document gets one of its own."""
    return [(ex.doc_id or f"#{i}", ex.index) for i, ex in enumerate(examples)]


def encode(
    tokenizer: Any,
    sentences: Sequence[Sequence[str]],
    keys: Sequence[tuple[str, int]],
    max_len: int,
) -> list[Item]:
    """Word-piece `sentences` (one tokenizer call for all); cut any too long for a window."""
    if not sentences:
        return []
    enc = tokenizer([list(s) for s in sentences], is_split_into_words=True,
                    add_special_tokens=False)
    unk = tokenizer.unk_token_id
    items: list[Item] = []
    for i, words in enumerate(sentences):
        per_word: list[list[int]] = [[] for _ in words]
        for pid, w in zip(enc["input_ids"][i], enc.word_ids(i), strict=True):
            if w is not None and len(per_word[w]) < MAX_PIECES_PER_WORD:
                per_word[w].append(pid)
        shapes = sentence_shapes(words)
        start = 0
        while start < len(words):
            stop, total = start, 0
            while stop < len(words) and total + len(per_word[stop] or [unk]) <= max_len - 2:
                total += len(per_word[stop] or [unk])
                stop += 1
            stop = max(stop, start + 1)
            item = Item((keys[i][0], keys[i][1], start), words[start:stop], [], [], [], [])
            for w in range(start, stop):
                ps = per_word[w] or [unk]
                item.first.append(len(item.pieces))
                item.pieces.extend(ps)
                item.end.append(len(item.pieces))
                item.shapes.extend([shapes[w]] * len(ps))
            items.append(item)
            start = stop
    return items


def pack(items: Sequence[Item], max_len: int, domain: int = 0) -> list[Window]:
    """Consecutive items of one document share a window while they fit."""
    windows: list[Window] = []
    current: list[Item] = []
    size = 2
    for item in items:
        same_doc = bool(current) and current[-1].key[0] == item.key[0]
        if current and (not same_doc or size + len(item.pieces) > max_len):
            windows.append(Window(current, domain))
            current, size = [], 2
        current.append(item)
        size += len(item.pieces)
    if current:
        windows.append(Window(current, domain))
    return windows


def collate(windows: Sequence[Window], tag_ids: dict[str, int] | None, cls_id: int,
            sep_id: int) -> dict[str, Any]:
    """Pad a batch. With `tag_ids`, gold BIO tags of every word are included."""
    import torch

    length = max(w.n_pieces for w in windows)
    n_words = max(sum(len(i.words) for i in w.items) for w in windows)
    ids = torch.zeros((len(windows), length), dtype=torch.long)
    mask = torch.zeros_like(ids)
    shapes = torch.zeros_like(ids)
    word_pos = torch.full((len(windows), n_words), -1, dtype=torch.long)
    tags = torch.full((len(windows), n_words), IGNORE, dtype=torch.long)
    for b, window in enumerate(windows):
        pieces = [cls_id] + [p for i in window.items for p in i.pieces] + [sep_id]
        ids[b, : len(pieces)] = torch.tensor(pieces)
        mask[b, : len(pieces)] = 1
        shapes[b, 1 : len(pieces) - 1] = torch.tensor([s for i in window.items for s in i.shapes])
        w = 0
        for item, offset in zip(window.items, window.offsets(), strict=True):
            word_tags = targets(item) if tag_ids is not None else []
            for k, first in enumerate(item.first):
                word_pos[b, w] = offset + first
                if tag_ids is not None and word_tags[k] is not None:
                    tags[b, w] = tag_ids[str(word_tags[k])]
                w += 1
    out = {"input_ids": ids, "attention_mask": mask, "shape_ids": shapes, "word_pos": word_pos,
           "domain_ids": torch.tensor([w.domain for w in windows], dtype=torch.long)}
    if tag_ids is not None:
        out["tags"] = tags
    return out


def bio(item: Item) -> list[str]:
    """IOB2 tags of an item's gold spans (longer spans win where they overlap)."""
    tags = ["O"] * len(item.words)
    for start, end, label in sorted(item.spans, key=lambda s: s[0] - s[1]):
        if all(t == "O" for t in tags[start:end]):
            tags[start] = f"B-{label}"
            for k in range(start + 1, end):
                tags[k] = f"I-{label}"
    return tags


def targets(item: Item) -> list[str | None]:
    """The tag each word teaches; None where a partly annotated sentence says nothing."""
    tags = bio(item)
    if item.known:
        return list(tags)
    out: list[str | None] = [None if t == "O" else t for t in tags]
    for start, end in item.negatives:
        for k in range(max(start, 0), min(end, len(out))):
            if out[k] is None:
                out[k] = "O"
    return out


def pair_rows(
    windows: Sequence[Window],
    entities: Sequence[Sequence[Sequence[tuple[int, int, str]]]],
    type_ids: dict[str, int],
    allowed: Any,
) -> list[PairRow]:
    """Candidate relation pairs: (window, head piece start, end, tail start, end, head type,
    tail type, item index, head index * 65536 + tail index) for ordered entity pairs of one
    item whose types admit some relation. `entities[b][k]` are item k's spans in window b."""
    rows = []
    for b, window in enumerate(windows):
        for k, (item, offset) in enumerate(zip(window.items, window.offsets(), strict=True)):
            spans = entities[b][k]
            for h, (hs, he, ht) in enumerate(spans):
                for t, (ts, te, tt) in enumerate(spans):
                    if h == t or not allowed(ht, tt):
                        continue
                    rows.append((
                        b, offset + item.first[hs], offset + item.end[he - 1],
                        offset + item.first[ts], offset + item.end[te - 1],
                        type_ids[ht], type_ids[tt], k, h * 65536 + t,
                    ))
    return rows


def relation_targets(
    windows: Sequence[Window],
    type_ids: dict[str, int],
    allowed: Any,
    relation_ids: dict[str, int],
) -> tuple[list[PairRow], list[int]]:
    """Candidate pairs over each item's gold spans (plus the spans of rejected pairs) and
    what each teaches: its relation id (1-based), 0 for "no relation" — every unlinked pair
    of a fully known sentence, only rejected pairs of a partial one — and pairs a partial
    sentence says nothing about are left out."""
    cands: list[list[list[WordSpan]]] = []
    for window in windows:
        per_item = []
        for item in window.items:
            spans = list(item.spans)
            for head, tail in item.rel_negatives:
                spans.extend(s for s in (head, tail) if s not in spans)
            per_item.append(spans)
        cands.append(per_item)
    rows = pair_rows(windows, cands, type_ids, allowed)
    keep: list[PairRow] = []
    target: list[int] = []
    for row in rows:
        item = windows[row[0]].items[row[7]]
        spans = cands[row[0]][row[7]]
        h, t = divmod(row[8], 65536)
        gold = next((relation_ids[lab] for hh, tt, lab in item.relations
                     if (hh, tt) == (h, t)), None)
        if gold is None and ((item.known and item.relations_known)
                             or (spans[h], spans[t]) in item.rel_negatives):
            gold = 0
        if gold is not None:
            keep.append(row)
            target.append(gold)
    return keep, target
