"""Snapshots with awkward content for the RDF/graph export tests, and dataset comparison."""

from __future__ import annotations

from hypothesis import strategies as st
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.records import (
    DocumentRecord,
    EntityRecord,
    MentionRecord,
    ModelRecord,
    RelationRecord,
    SentenceRecord,
    Snapshot,
)

D1, D2, D3 = "a" * 64, "b" * 64, "c" * 64
RULES, NER = "rule-baseline@0.1", "ner/minilm@2026-11-23T10:00:00Z"
DANA, BOB = "Dana Analyst", 'Bob <bob@example.org> "#1"'
CONFIRMED_AT = "2025-01-02T03:04:05+00:00"

NAMES = {
    "e-1": 'Ann "The Hammer" O\'Neil',
    "e-2": '<Acme & Sons> """Ltd""" \\ co.',
    "e-3": "Zürich 🇨🇭",
    "e-4": "Müller\r\nback\\slash\ttab\nline",
    "e-5": "COVID-19 ☣ ]]> --> <!-- '",
    "e odd/#?id": '"Paris"@fr',
    "e-7": "ctrl\x01char\x0bhere",
}


def _mention(
    mid: int, doc: str, sent: int, entity: str | None, label: str, **kw: object
) -> MentionRecord:
    fields: dict[str, object] = {
        "id": mid,
        "document": doc,
        "sentence": sent,
        "start": mid * 10,
        "end": mid * 10 + 5,
        "text": f"{NAMES.get(entity or '', 'somebody')}",
        "label": label,
        "confidence": 0.5,
        "model": RULES,
        "entity": entity,
        "status": "suggested",
    }
    fields.update(kw)
    return MentionRecord(**fields)  # type: ignore[arg-type]


def _relation(
    rid: int, doc: str, sent: int, head: int, tail: int, label: str, **kw: object
) -> RelationRecord:
    fields: dict[str, object] = {
        "id": rid,
        "document": doc,
        "sentence": sent,
        "head": head,
        "tail": tail,
        "label": label,
        "confidence": 0.8,
        "model": RULES,
        "status": "suggested",
    }
    fields.update(kw)
    return RelationRecord(**fields)  # type: ignore[arg-type]


def odd_snapshot() -> Snapshot:
    """Two documents with facts, one failed document, odd names, paths and labels."""
    documents = (
        DocumentRecord(
            D1, "/home/ana/My Docs/report #1 (final).pdf", 'Report "Q1" <draft>', "pdf", "extracted"
        ),
        DocumentRecord(
            D2, "C:\\Users\\bob\\notes v2#final.txt", "notes\nline two", "txt", "extracted"
        ),
        DocumentRecord(
            D3,
            "file:///tmp/broken%20one.pdf",
            "broken",
            "pdf",
            "failed",
            error='bad "xref" \\ table',
        ),
    )
    sentences = (
        SentenceRecord(1, D1, 0, 0, 60, 'Ann "The Hammer" O\'Neil works for <Acme & Sons>.'),
        SentenceRecord(2, D1, 1, 61, 140, "Acme is based in Zürich 🇨🇭.\nNew line."),
        SentenceRecord(3, D2, 0, 0, 200, "Müller lives in Zürich; COVID-19 ☣ hit him."),
    )
    models = (
        ModelRecord(RULES, "rules", "Baseline rules", "2025-01-01T00:00:00"),
        ModelRecord(NER, "transformer", 'MiniLM "fine-tuned" \\ v1', "yesterday"),
    )
    entities = (
        EntityRecord("e-1", "PER", NAMES["e-1"], ("Ann", "A\\N", "Ann\nO'Neil")),
        EntityRecord("e-2", "ORG", NAMES["e-2"], ("Acme",)),
        EntityRecord("e-3", "LOC", NAMES["e-3"], ('"Zurich"@en', "Zurich")),
        EntityRecord("e-4", "PER", NAMES["e-4"]),
        EntityRecord("e-5", "DISEASE / illness", NAMES["e-5"], ("covid",)),
        EntityRecord("e odd/#?id", "MISC", NAMES["e odd/#?id"], ("<x>",)),
        EntityRecord("e-7", "PER", NAMES["e-7"]),
    )
    mentions = (
        _mention(
            1,
            D1,
            1,
            "e-1",
            "PER",
            status="accepted",
            confirmed_by=DANA,
            confirmed_at=CONFIRMED_AT,
            confidence=0.91,
        ),
        _mention(2, D1, 1, "e-2", "ORG"),
        _mention(3, D1, 2, "e-3", "LOC", model=NER),
        _mention(4, D2, 3, "e-4", "PER", model=NER),
        _mention(5, D2, 3, "e-3", "LOC", model=NER),
        _mention(6, D1, 2, "e-4", "PER", status="rejected"),
        _mention(
            7,
            D2,
            3,
            None,
            "ORG",
            model=None,
            status="accepted",
            confirmed_by=BOB,
            confirmed_at="last tuesday",
        ),
        _mention(8, D2, 3, "e-5", "DISEASE / illness", model=NER, confidence=0.3),
        _mention(9, D1, 2, "e odd/#?id", "MISC", confidence=float("nan")),
        _mention(10, D1, 2, "e-7", "PER"),
        _mention(11, D2, 3, "e-missing", "PER"),
    )
    relations = (
        _relation(
            1,
            D1,
            1,
            1,
            2,
            "Work_For",
            status="accepted",
            confirmed_by=DANA,
            confirmed_at=CONFIRMED_AT,
            confidence=0.9,
        ),
        _relation(2, D1, 2, 2, 3, "OrgBased_In", confidence=0.75),
        _relation(3, D2, 3, 4, 5, "Live_In", model=NER, confidence=0.6),
        _relation(4, D2, 3, 8, 4, "has symptom ✓", model=NER, confidence=0.1 + 0.2),
        _relation(5, D1, 2, 1, 10, "Kill", status="rejected"),
        _relation(6, D2, 3, 4, 7, "Work_For", model=NER),
        _relation(7, D1, 2, 10, 6, "Kill"),
        _relation(8, D1, 2, 1, 2, "Work_For", confidence=0.95, model=NER),
        _relation(9, D2, 3, 5, 3, "Located_In", confidence=float("nan"), model=NER),
        _relation(10, D1, 2, 9, 10, "Work_For", model=None, confirmed_by=BOB),
        _relation(11, D1, 1, 1, 2, "founder of", confidence=0.4),  # parallel to Work_For
    )
    return Snapshot(documents, sentences, models, entities, mentions, relations)


def named_graphs(ds: Dataset) -> dict[str, Graph]:
    """The non-empty graphs of `ds` by name (the default graph under rdflib's own name)."""
    return {str(g.identifier): g for g in ds.graphs() if len(g)}


def assert_same_dataset(expected: Dataset, actual: Dataset) -> None:
    exp, act = named_graphs(expected), named_graphs(actual)
    assert sorted(act) == sorted(exp)
    for name, graph in exp.items():
        assert isomorphic(graph, act[name]), f"graph {name} differs"


_text = st.text(max_size=40)
_status = st.sampled_from(["suggested", "accepted", "rejected"])
_conf = st.floats(allow_nan=True, allow_infinity=True) | st.floats(0, 1)


@st.composite
def snapshots(draw: st.DrawFn) -> Snapshot:
    """Small snapshots whose ids, names, labels and texts are any unicode text."""
    doc = draw(st.text(min_size=1, max_size=20))
    labels = st.sampled_from(["PER", "ORG", "LOC", "MISC"]) | _text
    entities = tuple(
        EntityRecord(
            f"e-{i}{draw(_text)}",
            draw(labels),
            draw(_text),
            tuple(draw(st.lists(_text, max_size=3))),
        )
        for i in range(draw(st.integers(1, 3)))
    )
    mentions = tuple(
        MentionRecord(
            i,
            doc,
            1,
            i,
            i + 1,
            draw(_text),
            draw(labels),
            draw(_conf),
            draw(st.none() | _text),
            e.id,
            draw(_status),
            draw(st.none() | _text),
            draw(st.none() | _text),
        )
        for i, e in enumerate(entities)
    )
    relations = tuple(
        RelationRecord(
            i,
            doc,
            1,
            draw(st.sampled_from(mentions)).id,
            draw(st.sampled_from(mentions)).id,
            draw(st.sampled_from(["Work_For", "Kill"]) | _text),
            draw(_conf),
            draw(st.none() | _text),
            draw(_status),
            draw(st.none() | _text),
        )
        for i in range(draw(st.integers(0, 3)))
    )
    return Snapshot(
        (DocumentRecord(doc, draw(_text), draw(_text), "txt", "extracted"),),
        (SentenceRecord(1, doc, 0, 0, 10, draw(_text)),),
        (),
        entities,
        mentions,
        relations,
    )


LINK_MODEL = "transe:TransE@2025-01-02T03:04:05Z"


def linked_snapshot() -> Snapshot:
    """`odd_snapshot` with accepted link predictions: one scored and confirmed at an ISO time,
    one with no score or model and a free-text time, one to an entity the snapshot lacks."""
    from dataclasses import replace

    from kg.records import LinkRecord

    return replace(odd_snapshot(), links=(
        LinkRecord(1, "e-4", "Work_For", "e-2", -2.75, LINK_MODEL, DANA, CONFIRMED_AT),
        LinkRecord(2, "e-7", "has symptom ✓", "e odd/#?id", None, None, BOB, "last tuesday"),
        LinkRecord(3, "e-1", "Kill", "e-missing", 1.5, LINK_MODEL, DANA, CONFIRMED_AT),
    ))
