"""Pieces of the model that need no training: shapes, decoding, windows, batches."""

from __future__ import annotations

import numpy as np
import pytest

from nlp.model import batching, decode
from nlp.model.encoder import resolve_encoder
from nlp.model.features import (
    CAPS,
    CAPS_SENTENCE,
    INITIAL,
    LOWER,
    MIXED,
    TITLE,
    sentence_shapes,
    word_shape,
)
from nlp.model.labels import LabelScheme


def test_word_shapes_keep_the_casing_the_tokenizer_drops() -> None:
    assert word_shape("apple") == LOWER
    assert word_shape("Apple") == TITLE
    assert word_shape("IBM") == CAPS
    assert word_shape("iPhone") == MIXED
    shapes = sentence_shapes(["Apple", "buys", "IBM"])
    assert shapes == [TITLE + INITIAL, LOWER, CAPS]
    headline = sentence_shapes(["SOCCER", "-", "JAPAN", "GET", "LUCKY", "WIN"])
    assert headline[2] == CAPS_SENTENCE  # in a capitals headline, casing says nothing


def test_viterbi_never_starts_inside_an_entity() -> None:
    tags = ("O", "B-PER", "I-PER", "B-LOC", "I-LOC")
    probs = np.array([[0.1, 0.1, 0.1, 0.1, 0.6],   # I-LOC is most likely, but invalid first
                      [0.1, 0.1, 0.1, 0.1, 0.6],
                      [0.9, 0.025, 0.025, 0.025, 0.025]])
    path = decode.viterbi(np.log(probs), decode.transitions(tags), decode.starts(tags))
    assert tags[path[0]] != "I-LOC"
    found = decode.spans(path, probs, tags)
    assert [(s, e, t) for s, e, t, _ in found] == [(0, 2, "LOC")]
    assert 0 < found[0][3] < 1


def test_scheme_constrains_relation_types() -> None:
    scheme = LabelScheme.learn(["PER", "LOC", "ORG"],
                               [("Live_In", "PER", "LOC"), ("Work_For", "PER", "ORG")])
    assert scheme.tags[0] == "O" and "B-PER" in scheme.tags
    assert scheme.allowed("PER", "LOC") == [scheme.relations.index("Live_In") + 1]
    assert scheme.allowed("LOC", "PER") == []
    assert LabelScheme.from_json(scheme.to_json()) == scheme


@pytest.fixture(scope="module")
def tokenizer() -> object:
    from nlp.model.encoder import load_tokenizer

    return load_tokenizer(resolve_encoder())


def test_long_sentences_are_cut_into_windows_that_fit(tokenizer: object) -> None:
    words = ["Supercalifragilistic"] * 300 + ["end"]
    items = batching.encode(tokenizer, [words, ["Short", "one"]], [("d", 0), ("d", 1)], 64)
    chunks = [i for i in items if i.key[1] == 0]
    assert len(chunks) > 1
    assert sum(len(c.words) for c in chunks) == len(words)
    assert all(len(c.pieces) <= 62 for c in chunks)
    assert [c.key[2] for c in chunks] == sorted(c.key[2] for c in chunks)
    windows = batching.pack(items, 64)
    assert all(w.n_pieces <= 64 for w in windows)


def test_windows_never_mix_documents(tokenizer: object) -> None:
    sents = [["Paris", "is", "big", "."]] * 6
    keys = [("a", 0), ("a", 1), ("a", 2), ("b", 0), ("b", 1), ("c", 0)]
    windows = batching.pack(batching.encode(tokenizer, sents, keys, 128), 128)
    assert [[i.key[0] for i in w.items] for w in windows] == [["a"] * 3, ["b"] * 2, ["c"]]
    t = batching.collate(windows, None, 101, 102)
    assert t["input_ids"].shape[0] == 3
    assert int(t["word_pos"][0, 4]) > int(t["word_pos"][0, 3])  # word 4 = 2nd sentence


def test_relations_are_read_in_the_domain_that_taught_them() -> None:
    from nlp.model.bundle import relation_domain

    two = [{"name": "conll2003"}, {"name": "conll04"}]
    dev = {"conll2003": {"ner": {}, "re": None}, "conll04": {"ner": {}, "re": {"micro_f1": 0.7}}}
    assert relation_domain({"domains": two, "dev_metrics": dev}) == 1
    assert relation_domain({"domains": two[:1], "dev_metrics": dev}) is None  # one domain
    both = {**dev, "conll2003": {"re": {"micro_f1": 0.5}}}
    assert relation_domain({"domains": two, "dev_metrics": both}) is None
    assert relation_domain({"domains": two, "dev_metrics": dev, "relation_domain": 0}) == 0
    plain = {"domains": ["conll2003", "conll04"], "dev_metrics": dev}  # names only
    assert relation_domain(plain) == 1


def test_a_corpus_without_relations_teaches_no_relation_negatives() -> None:
    from nlp.model import batching

    def item(known_relations: bool) -> batching.Item:
        it = batching.Item(("d", 0, 0), ["Ann", "at", "Acme"], [1, 2, 3], [0, 1, 2], [1, 2, 3],
                           [0, 0, 0], spans=[(0, 1, "PER"), (2, 3, "ORG")])
        it.relations_known = known_relations
        return it

    allowed = lambda h, t: True  # noqa: E731
    ids = {"PER": 0, "ORG": 1}
    rows, gold = batching.relation_targets([batching.Window([item(True)])], ids, allowed,
                                           {"Work_For": 1})
    assert rows and set(gold) == {0}  # annotated corpus: unlinked pairs are negatives
    rows, gold = batching.relation_targets([batching.Window([item(False)])], ids, allowed,
                                           {"Work_For": 1})
    assert rows == [] and gold == []
