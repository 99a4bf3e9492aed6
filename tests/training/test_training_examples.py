"""Value types, document grouping and the data hash."""

from __future__ import annotations

import dataclasses

import pytest

from nlp.training import (
    Example,
    RelLabel,
    SpanLabel,
    data_hash,
    documents,
    entity_counts,
    relation_counts,
)


def corpus() -> list[Example]:
    return [
        Example(
            ("Ann", "met", "Bob", "in", "Zürich"),
            (SpanLabel(0, 1, "PER"), SpanLabel(2, 3, "PER"), SpanLabel(4, 5, "LOC")),
            (RelLabel(0, 1, "Meet"),),
            "d1",
            0,
        ),
        Example(("Nothing",), (), (), "d2", 0),
        Example(("Then", "Bob", "left"), (SpanLabel(1, 2, "PER"),), (), "d1", 1),
    ]


def test_values_are_frozen_and_hashable() -> None:
    ex = corpus()[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        ex.doc_id = "x"  # type: ignore[misc]
    assert len({ex, corpus()[0]}) == 1
    assert SpanLabel(2, 5, "X").length == 3
    assert SpanLabel(0, 2, "X").overlaps(SpanLabel(1, 3, "Y"))
    assert not SpanLabel(0, 2, "X").overlaps(SpanLabel(2, 3, "Y"))


def test_documents_keep_order() -> None:
    docs = documents(corpus())
    assert list(docs) == ["d1", "d2"]
    assert [ex.index for ex in docs["d1"]] == [0, 1]


def test_counts() -> None:
    assert entity_counts(corpus()) == {"PER": 3, "LOC": 1}
    assert relation_counts(corpus()) == {"Meet": 1}


def test_data_hash_is_stable_and_sensitive() -> None:
    data = corpus()
    digest = data_hash(data)
    # Pinned: the canonical form must not drift, or recorded bundle hashes stop matching.
    assert digest == PINNED
    assert data_hash(iter(corpus())) == digest
    assert data_hash(list(reversed(data))) != digest
    relabelled = [dataclasses.replace(data[0], entities=(SpanLabel(0, 1, "ORG"),)), *data[1:]]
    assert data_hash(relabelled) != digest
    moved = [dataclasses.replace(data[0], index=3), *data[1:]]
    assert data_hash(moved) != digest
    assert data_hash([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


PINNED = "5f8251ec794316a053b6061babcac3e16de0e374702681573c13fd49f568a100"
