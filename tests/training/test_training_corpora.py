"""The readers on the real corpora in ``<repo>/../shared/data`` (skipped when absent)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from nlp.training import (
    CONLL04_TO_DEFAULT,
    data_hash,
    documents,
    entity_counts,
    from_bio,
    normalise_labels,
    read_examples,
    to_bio,
)

# file, sentences, entities, relations, documents (None: not checked)
FIGURES = [
    ("conll2003/train.txt", 14_041, 23_499, 0, 946),
    ("conll2003/valid.txt", 3_250, 5_942, 0, 216),
    ("conll04/conll04_train.json", 922, 3_377, 1_283, None),
    ("conll04/conll04_dev.json", 231, 893, 343, None),
    ("scierc/scierc_train.json", 1_861, 5_598, 3_219, None),
    ("scierc/scierc_dev.json", 275, 811, 455, None),
]


@pytest.mark.parametrize(("name", "sentences", "entities", "relations", "docs"), FIGURES)
def test_corpus_figures(
    shared_data: Path, name: str, sentences: int, entities: int, relations: int, docs: int | None
) -> None:
    examples = read_examples(shared_data / name)
    assert len(examples) == sentences
    assert sum(len(ex.entities) for ex in examples) == entities
    assert sum(len(ex.relations) for ex in examples) == relations
    if docs is not None:
        assert len(documents(examples)) == docs
    for doc in documents(examples).values():
        assert [ex.index for ex in doc] == list(range(len(doc)))


def test_conll2003_train_types_and_round_trip(shared_data: Path) -> None:
    examples = read_examples(shared_data / "conll2003/train.txt")
    assert entity_counts(examples) == {"PER": 6_600, "LOC": 7_140, "ORG": 6_321, "MISC": 3_438}
    assert examples[0].doc_id == "train-0"
    assert examples[0].tokens[:3] == ("EU", "rejects", "German")
    assert all(from_bio(to_bio(ex)) == list(ex.entities) for ex in examples)
    assert len(data_hash(examples)) == 64


def test_conll04_maps_to_default_types(shared_data: Path) -> None:
    examples = read_examples(shared_data / "conll04/conll04_train.json")
    mapped = entity_counts(normalise_labels(examples, CONLL04_TO_DEFAULT))
    assert set(mapped) == {"PER", "ORG", "LOC", "MISC"}
    assert mapped.total() == 3_377


def test_scierc_overlaps_are_dropped_and_counted(shared_data: Path) -> None:
    examples = read_examples(shared_data / "scierc/scierc_train.json")
    assert len(entity_counts(examples)) == 6
    dropped: Counter[str] = Counter()
    for ex in examples:
        to_bio(ex, dropped)
    # README: 61 overlapping pairs in train; each pair costs one span.
    assert dropped.total() == 61
