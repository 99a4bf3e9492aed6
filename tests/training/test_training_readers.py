"""Corpus readers on tiny fixtures: CoNLL (IOB1/IOB2, DOCSTART, 2-column, TSV) and SpERT."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from nlp.training import (
    CONLL04_TO_DEFAULT,
    Example,
    RelLabel,
    SpanLabel,
    documents,
    formats,
    normalise_labels,
    read_conll,
    read_examples,
    read_spert,
)

WriteFile = Callable[[str, str], Path]

IOB2 = """-DOCSTART- -X- -X- O

EU NNP B-NP B-ORG
rejects VBZ B-VP O
German JJ B-NP B-MISC
call NN I-NP O

Peter NNP B-NP B-PER
Blackburn NNP I-NP I-PER

-DOCSTART- -X- -X- O

BRUSSELS NNP B-NP B-LOC
1996-08-22 CD I-NP O
"""

# The same sentences in IOB1: I- opens an entity, B- only between two of the same type.
IOB1 = """-DOCSTART- -X- -X- O

Peter NNP I-NP I-PER
Blackburn NNP I-NP I-PER
Mary NNP I-NP B-PER
in IN I-PP O
New NNP I-NP I-LOC
York NNP I-NP I-LOC
Reuters NNP I-NP I-ORG
"""


def test_iob2_conll_with_documents(write: WriteFile) -> None:
    examples = read_conll(write("tiny.txt", IOB2))
    assert [ex.tokens for ex in examples] == [
        ("EU", "rejects", "German", "call"),
        ("Peter", "Blackburn"),
        ("BRUSSELS", "1996-08-22"),
    ]
    assert examples[0].entities == (SpanLabel(0, 1, "ORG"), SpanLabel(2, 3, "MISC"))
    assert examples[1].entities == (SpanLabel(0, 2, "PER"),)
    assert examples[2].entities == (SpanLabel(0, 1, "LOC"),)
    assert [(ex.doc_id, ex.index) for ex in examples] == [
        ("tiny-0", 0),
        ("tiny-0", 1),
        ("tiny-1", 0),
    ]
    docs = documents(examples)
    assert list(docs) == ["tiny-0", "tiny-1"]
    assert docs["tiny-0"] == examples[:2]


def test_iob1_conll_decodes_like_iob2(write: WriteFile) -> None:
    (ex,) = read_conll(write("iob1.txt", IOB1))
    assert ex.entities == (
        SpanLabel(0, 2, "PER"),
        SpanLabel(2, 3, "PER"),
        SpanLabel(4, 6, "LOC"),
        SpanLabel(6, 7, "ORG"),
    )


def test_no_docstart_is_one_document_and_no_trailing_newline(write: WriteFile) -> None:
    examples = read_conll(write("plain.txt", "a O\nb B-X\n\n\n\nc I-X\nd I-X"))
    assert [(ex.doc_id, ex.index) for ex in examples] == [("plain-0", 0), ("plain-0", 1)]
    assert examples[1].entities == (SpanLabel(0, 2, "X"),)


def test_two_columns_tabs_and_crlf(write: WriteFile) -> None:
    two = read_conll(write("two.txt", "Angela B-PER\nMerkel I-PER\nspoke O\n"))
    tsv_path = write("tabs.tsv", "")
    tsv_path.write_bytes(b"New York\tNNP\tB-LOC\r\nis\tVBZ\tO\r\n \t \r\nok\tUH\tO\r\n")
    tsv = read_conll(tsv_path)
    assert two[0].entities == (SpanLabel(0, 2, "PER"),)
    assert tsv[0].tokens == ("New York", "is")
    assert tsv[0].entities == (SpanLabel(0, 1, "LOC"),)
    assert [ex.tokens for ex in tsv[1:]] == [("ok",)]  # a whitespace-only line ends a sentence


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("EU NNP B-NP B-ORG\nrejects\n", 2, "2 or more columns"),
        ("EU NNP B-NP B-ORG\nrejects VBZ O\n", 2, "expected 4 columns"),
        ("EU B-ORG\n\nrejects X-ORG\n", 3, "malformed IOB tag 'X-ORG'"),
        ("EU B-\n", 1, "malformed IOB tag"),
        ("a\tB-X\n\tO\n", 2, "empty column"),
    ],
)
def test_malformed_line_names_file_and_line(
    write: WriteFile, text: str, line: int, reason: str
) -> None:
    path = write("bad.txt", text)
    with pytest.raises(ValueError, match=rf"bad\.txt:{line}: .*{reason}") as err:
        read_conll(path)
    assert str(err.value).startswith(f"{path}:{line}: ")


def spert_items() -> list[dict[str, object]]:
    return [
        {
            "tokens": ["John", "works", "for", "Acme", "."],
            "entities": [
                {"type": "Peop", "start": 0, "end": 1},
                {"type": "Org", "start": 3, "end": 4},
            ],
            "relations": [{"type": "Work_For", "head": 0, "tail": 1}],
            "orig_id": 7,
        },
        {
            "tokens": ["He", "lives", "in", "Paris"],
            "entities": [{"type": "Loc", "start": 3, "end": 4}],
            "relations": [],
            "orig_id": 7,
        },
        {"tokens": ["No", "id"], "entities": [], "relations": []},
    ]


def test_spert_reader(write: WriteFile) -> None:
    examples = read_spert(write("small.json", json.dumps(spert_items())))
    assert examples[0] == Example(
        ("John", "works", "for", "Acme", "."),
        (SpanLabel(0, 1, "Peop"), SpanLabel(3, 4, "Org")),
        (RelLabel(0, 1, "Work_For"),),
        "7",
        0,
    )
    assert [(ex.doc_id, ex.index) for ex in examples] == [("7", 0), ("7", 1), ("small-2", 0)]
    assert examples[0].relation_triples() == {
        (SpanLabel(0, 1, "Peop"), SpanLabel(3, 4, "Org"), "Work_For")
    }


@pytest.mark.parametrize(
    ("patch", "reason"),
    [
        ({"relations": [{"type": "Kill", "head": 0, "tail": 1}]}, r"relation 0: tail 1 is not"),
        ({"relations": [{"type": "Kill", "head": -1, "tail": 0}]}, r"relation 0: head -1 is not"),
        ({"entities": [{"type": "Loc", "start": 3, "end": 5}]}, r"entity 0: span \[3, 5\)"),
        ({"entities": [{"type": "Loc", "start": 2, "end": 2}]}, r"entity 0: span \[2, 2\)"),
        ({"entities": [{"type": "Loc", "start": "2", "end": 3}]}, r"entity 0: needs"),
        ({"relations": [{"type": "Kill", "head": 0}]}, r"relation 0: needs"),
        ({"tokens": "He lives in Paris"}, r"'tokens' must be a list"),
        ({"entities": {"type": "Loc"}}, r"'entities' must be a list"),
    ],
)
def test_spert_errors_name_file_and_item(
    write: WriteFile, patch: dict[str, object], reason: str
) -> None:
    items = spert_items()
    items[1] = {**items[1], **patch}
    path = write("broken.json", json.dumps(items))
    with pytest.raises(ValueError, match=rf"broken\.json: item 1: {reason}"):
        read_spert(path)


@pytest.mark.parametrize(
    ("text", "reason"),
    [("{}", "expected a JSON array"), ("[1]", "item 0: expected an object"), ("[", "JSON")],
)
def test_spert_bad_top_level(write: WriteFile, text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=rf"top\.json: .*{reason}"):
        read_spert(write("top.json", text))


def test_read_examples_sniffs_the_format(write: WriteFile) -> None:
    assert set(formats()) >= {"conll", "spert"}
    conll = write("data.dat", IOB2)
    spert = write("data.txt", json.dumps(spert_items(), indent=2))
    assert read_examples(conll) == read_conll(conll)
    assert read_examples(spert) == read_spert(spert)
    assert read_examples(write("two.dat", "a B-X\nb I-X\n"))[0].entities == (SpanLabel(0, 2, "X"),)
    assert read_examples(write("empty.json", "[]")) == []
    assert read_examples(conll, fmt="conll") == read_conll(conll)


def test_read_examples_rejects_unknown_content_and_names(write: WriteFile) -> None:
    prose = write("prose.txt", "This is just a paragraph of text.\nAnother line here.\n")
    with pytest.raises(ValueError, match="cannot tell the corpus format"):
        read_examples(prose)
    with pytest.raises(ValueError, match="unknown corpus format 'brat'"):
        read_examples(prose, fmt="brat")


def test_normalise_labels(write: WriteFile) -> None:
    examples = read_spert(write("small.json", json.dumps(spert_items())))
    mapped = normalise_labels(examples, CONLL04_TO_DEFAULT)
    assert [e.label for e in mapped[0].entities] == ["PER", "ORG"]
    assert mapped[1].entities == (SpanLabel(3, 4, "LOC"),)
    assert mapped[0].relations == examples[0].relations
    kept = normalise_labels(examples, {"Task": "X"}, {"Work_For": "works_for"})
    assert [e.label for e in kept[0].entities] == ["Peop", "Org"]
    assert kept[0].relations == (RelLabel(0, 1, "works_for"),)
    assert (kept[0].doc_id, kept[0].tokens) == (examples[0].doc_id, examples[0].tokens)
