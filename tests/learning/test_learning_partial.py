"""Partial annotation: a partly annotated sentence teaches its spans, its rejected spans
and its linked or rejected pairs, and nothing else — no loss, no gradient."""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

from nlp.model import batching
from nlp.model.encoder import load_tokenizer, resolve_encoder
from nlp.model.runtime import Runtime
from nlp.model.train import TrainConfig, TrainResult, _loss
from nlp.model.train_data import attach_gold, windows_of
from nlp.training.examples import ALL, Example, Partial, RelLabel, SpanLabel, data_hash

TOKENS = ("John", "Smith", "works", "for", "Acme", "Corp", "in", "Boston", ",", "near",
          "Paris", ".")
PER, ORG, PARIS = SpanLabel(0, 2, "PER"), SpanLabel(4, 6, "ORG"), SpanLabel(10, 11, "LOC")
BOSTON = SpanLabel(7, 8, "LOC")
FULL = Example(TOKENS, (PER, ORG, PARIS), (RelLabel(0, 1, "Work_For"),), "d", 0)
PARTIAL = replace(FULL, known=Partial(
    rejected=(SpanLabel(7, 8, "ORG"),),  # "Boston" is not an ORG
    rejected_relations=((ORG, BOSTON, "OrgBased_In"),),
))
KNOWN_WORDS = [0, 1, 4, 5, 7, 10]


def _runtime(tiny: TrainResult) -> Runtime:
    import torch

    model = copy.deepcopy(tiny.model).eval()  # no dropout: the same loss every time
    return Runtime(model, tiny.tokenizer, tiny.scheme, max_len=64, device=torch.device("cpu"))


def test_full_examples_hash_as_before_and_partial_ones_differently() -> None:
    assert FULL.known == ALL and not FULL.is_partial and PARTIAL.is_partial
    assert "known" not in FULL.canonical()
    assert data_hash([FULL]) == data_hash([Example(TOKENS, FULL.entities, FULL.relations,
                                                   "d", 0)])
    assert data_hash([FULL]) != data_hash([PARTIAL])
    assert PARTIAL.canonical()["known"] == {
        "rejected": [[7, 8, "ORG"]],
        "rejected_relations": [[4, 6, "ORG", 7, 8, "LOC", "OrgBased_In"]]}


def test_targets_teach_only_what_is_known(tiny: TrainResult) -> None:
    rt = _runtime(tiny)
    tag_ids = {t: i for i, t in enumerate(rt.scheme.tags)}
    tok = rt.tokenizer
    full = batching.collate(windows_of(rt, [FULL], gold=True), tag_ids, tok.cls_token_id,
                            tok.sep_token_id)["tags"][0].tolist()
    part = batching.collate(windows_of(rt, [PARTIAL], gold=True), tag_ids, tok.cls_token_id,
                            tok.sep_token_id)["tags"][0].tolist()
    names = ["B-PER", "I-PER", "O", "O", "B-ORG", "I-ORG", "O", "O", "O", "O", "B-LOC", "O"]
    assert full == [tag_ids[t] for t in names]
    expected = [tag_ids[names[k]] if k in KNOWN_WORDS else batching.IGNORE
                for k in range(len(TOKENS))]
    assert part == expected  # Boston (rejected as ORG, nothing else there) is taught "O"

    allowed = lambda h, t: bool(rt.scheme.allowed(h, t))  # noqa: E731
    rel_ids = {r: i + 1 for i, r in enumerate(rt.scheme.relations)}
    rows, gold = batching.relation_targets(windows_of(rt, [FULL], gold=True), rt.type_ids,
                                           allowed, rel_ids)
    assert len(rows) == 2 and sorted(gold) == [0, rel_ids["Work_For"]]  # Acme-Paris: none
    rows, gold = batching.relation_targets(windows_of(rt, [PARTIAL], gold=True), rt.type_ids,
                                           allowed, rel_ids)
    pairs = {(r[1], r[3]): g for r, g in zip(rows, gold, strict=True)}
    assert len(pairs) == 2 and sorted(gold) == [0, rel_ids["Work_For"]]
    # the unannotated Acme-Paris pair is gone; the rejected Acme-Boston pair teaches "none"
    items = windows_of(rt, [PARTIAL], gold=True)[0].items
    boston_piece = 1 + items[0].first[7]
    assert pairs[(1 + items[0].first[4], boston_piece)] == 0


def test_masked_words_and_pairs_get_no_loss_and_no_gradient(tiny: TrainResult) -> None:
    import torch

    rt = _runtime(tiny)
    captured: dict[str, Any] = {}

    def keep(name: str):  # type: ignore[no-untyped-def]
        def hook(_module, _inputs, output):  # type: ignore[no-untyped-def]
            output.retain_grad()
            captured[name] = output
        return hook

    rt.model.ner.register_forward_hook(keep("ner"))
    rt.model.relation.register_forward_hook(keep("rel"))
    windows = windows_of(rt, [PARTIAL], gold=True)
    loss = _loss(rt.model, rt, windows, TrainConfig(re_weight=1.0))
    loss.backward()
    ner, rel = captured["ner"], captured["rel"]
    grad = ner.grad[0]
    for k in range(len(TOKENS)):
        touched = bool(grad[k].abs().sum() > 0)
        assert touched == (k in KNOWN_WORDS), k
    assert rel.shape[0] == 2 and bool(rel.grad.abs().sum(-1).gt(0).all())

    # the loss is exactly the mean cross-entropy over the known words plus the known pairs
    tags = {"B-PER": [0], "I-PER": [1], "B-ORG": [4], "I-ORG": [5], "O": [7], "B-LOC": [10]}
    logp = torch.log_softmax(ner[0].detach().float(), -1)
    ner_loss = -sum(logp[k, rt.scheme.tag_id(t)] for t, ks in tags.items() for k in ks) / 6
    _, gold = batching.relation_targets(
        windows, rt.type_ids, lambda h, t: bool(rt.scheme.allowed(h, t)),
        {r: i + 1 for i, r in enumerate(rt.scheme.relations)})
    rel_loss = torch.nn.functional.cross_entropy(rel.detach().float(), torch.tensor(gold))
    assert torch.allclose(loss.detach(), ner_loss + rel_loss, atol=1e-5)


def test_a_partial_sentence_with_nothing_known_teaches_nothing(tiny: TrainResult) -> None:
    rt = _runtime(tiny)
    empty = Example(TOKENS, (), (), "e", 0, known=Partial())
    loss = _loss(rt.model, rt, windows_of(rt, [empty], gold=True), TrainConfig())
    loss.backward()
    assert float(loss.detach()) == 0.0
    assert all(p.grad is None or not p.grad.any() for p in rt.model.parameters())


def test_long_partial_sentences_keep_negatives_in_their_chunk() -> None:
    tokenizer = load_tokenizer(resolve_encoder())
    words = tuple(f"w{i}" for i in range(30))  # two pieces a word: chunks of 11, 11, 8
    ex = Example(words, (SpanLabel(2, 3, "PER"), SpanLabel(25, 27, "ORG")), (), "d", 0,
                 known=Partial(
                     rejected=(SpanLabel(8, 14, "ORG"),),  # crosses the first chunk's end
                     rejected_relations=(
                         (SpanLabel(12, 13, "PER"), SpanLabel(18, 20, "ORG"), "Work_For"),
                         (SpanLabel(5, 6, "PER"), SpanLabel(15, 16, "ORG"), "Work_For"))))
    items = batching.encode(tokenizer, [words], [("d", 0)], max_len=24)
    assert [item.key[2] for item in items] == [0, 11, 22]
    attach_gold(items, {("d", 0): ex})
    assert all(not item.known for item in items)
    assert [item.spans for item in items] == [[(2, 3, "PER")], [], [(3, 5, "ORG")]]
    rejected = [item.key[2] + k for item in items for s, e in item.negatives
                for k in range(s, e)]
    assert rejected == [8, 9, 10, 11, 12, 13]  # each rejected word once, in its own chunk
    # a rejected pair inside one chunk is kept in its offsets; one across chunks cannot be
    assert [item.rel_negatives for item in items] == [
        [], [((1, 2, "PER"), (7, 9, "ORG"))], []]
