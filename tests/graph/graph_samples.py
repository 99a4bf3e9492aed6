"""Hand-made snapshots for the graph tests: real offsets into real texts, odd names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.records import (
    DocumentRecord,
    EntityRecord,
    MentionRecord,
    ModelRecord,
    RelationRecord,
    SentenceRecord,
    Snapshot,
)

RULES = "rule-baseline@0.1"
MODELS = (ModelRecord(RULES, "rules", "baseline", "2025-01-01T00:00:00+00:00"),)


@dataclass
class Builder:
    """Builds a `Snapshot` whose offsets point into the document texts it was given."""

    documents: list[DocumentRecord] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    sentences: list[SentenceRecord] = field(default_factory=list)
    entities: dict[str, EntityRecord] = field(default_factory=dict)
    mentions: list[MentionRecord] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)

    def doc(self, doc_id: str, text: str, title: str = "", source: str = "") -> str:
        self.documents.append(DocumentRecord(doc_id, source or f"/docs/{doc_id}.txt",
                                             title or doc_id, "txt", "extracted"))
        self.texts[doc_id] = text
        for i, m in enumerate(re.finditer(r"[^.]+\.?", text)):
            start = m.start() + len(m.group()) - len(m.group().lstrip())
            if m.end() > start:
                sid = len(self.sentences) + 1
                self.sentences.append(SentenceRecord(sid, doc_id, i, start, m.end(),
                                                     text[start : m.end()]))
        return doc_id

    def entity(self, eid: str, name: str, label: str = "PER", *aliases: str) -> str:
        self.entities[eid] = EntityRecord(eid, label, name, tuple(aliases))
        return eid

    def mention(
        self, doc: str, surface: str, entity: str | None, *, nth: int = 0,
        status: str = "suggested", label: str | None = None,
    ) -> int:
        text = self.texts[doc]
        start = -1
        for _ in range(nth + 1):
            start = text.index(surface, start + 1)
        end = start + len(surface)
        sent = next(s for s in self.sentences
                    if s.document == doc and s.start <= start and end <= s.end)
        mid = len(self.mentions) + 1
        if label is None:
            known = self.entities.get(entity or "")
            label = known.label if known else "MISC"
        self.mentions.append(MentionRecord(mid, doc, sent.id, start, end, surface, label, 0.7,
                                           RULES, entity, status))
        return mid

    def relation(
        self, head: int, tail: int, label: str = "related_to", *, status: str = "suggested",
        confidence: float = 0.8, confirmed_by: str | None = None,
    ) -> int:
        h = self.mentions[head - 1]
        rid = len(self.relations) + 1
        self.relations.append(RelationRecord(
            rid, h.document, h.sentence, head, tail, label, confidence, RULES, status,
            confirmed_by, "2025-01-02T03:04:05+00:00" if confirmed_by else None))
        return rid

    def snapshot(self) -> Snapshot:
        return Snapshot(tuple(self.documents), tuple(self.sentences), MODELS,
                        tuple(self.entities.values()), tuple(self.mentions),
                        tuple(self.relations))


ANN, ACME, ZURICH, PARIS = "e-ann", "e-acme", "e-zürich", 'e odd/#?"id'


def odd() -> Builder:
    """Two documents and a failed one; rejected, unlinked and dangling mentions; a self-loop."""
    b = Builder()
    b.entity(ANN, 'Ann "The Hammer" O\'Neil', "PER", "Ann")
    b.entity(ACME, "<Acme & Sons> Ltd", "ORG")
    b.entity(ZURICH, "Zürich 🇨🇭", "LOC")
    b.entity(PARIS, '"Paris"@fr', "LOC")
    d1 = b.doc("d1", "Ann \"The Hammer\" O'Neil works for <Acme & Sons> Ltd in Zürich 🇨🇭. "
                     "Ann visited Paris twice. Ann met Ann.", title='Report "Q1" <draft>',
               source="/home/ana/My Docs/report #1 (final).txt")
    d2 = b.doc("d2", "<Acme & Sons> Ltd left Zürich 🇨🇭 for Paris. Paris liked Bob.",
               title="notes\nline two")
    b.documents.append(DocumentRecord("d3", "/docs/broken.pdf", "broken", "pdf", "failed",
                                      "empty file"))
    ann = b.mention(d1, 'Ann "The Hammer" O\'Neil', ANN)
    acme = b.mention(d1, "<Acme & Sons> Ltd", ACME)
    zur = b.mention(d1, "Zürich 🇨🇭", ZURICH)
    b.relation(ann, acme, "works_for", status="accepted", confidence=1.0, confirmed_by="Dana")
    b.relation(acme, zur, "located_in")
    ann2 = b.mention(d1, "Ann", ANN, nth=1)
    paris = b.mention(d1, "Paris", PARIS)
    b.relation(ann2, paris, "visited", status="rejected")
    ann3, ann4 = b.mention(d1, "Ann", ANN, nth=2), b.mention(d1, "Ann", ANN, nth=3)
    b.relation(ann3, ann4, "met")  # a self-loop: kept as an edge
    acme2 = b.mention(d2, "<Acme & Sons> Ltd", ACME)
    zur2 = b.mention(d2, "Zürich 🇨🇭", ZURICH, status="rejected")
    paris2 = b.mention(d2, "Paris", PARIS)
    b.relation(acme2, zur2, "left")  # tail mention rejected: no edge
    b.relation(acme2, paris2, "moved_to", confidence=0.4)
    bob = b.mention(d2, "Bob", None, label="PER")  # unlinked
    b.relation(b.mention(d2, "Paris", PARIS, nth=1), bob, "liked")  # tail unlinked: no edge
    return b


def from_edges(edges: list[tuple[str, str]], nodes: tuple[str, ...] = ()) -> Snapshot:
    """One document per edge list: a mention per endpoint, a relation per edge."""
    b = Builder()
    names = sorted({n for e in edges for n in e} | set(nodes))
    text = ". ".join(f"<{n}> x" for n in names) + "."
    doc = b.doc("doc", text)
    first = {}
    for n in names:
        b.entity(n, f"name {n}", "PER")
        first[n] = b.mention(doc, f"<{n}>", n)
    for u, v in edges:
        b.relation(first[u], first[v])
    return b.snapshot()


def synthetic(edges: list[tuple[int, int]], n: int, per_document: int = 200) -> Snapshot:
    """Entities ``s0``..``s{n-1}``; each edge a relation between two new mentions, in
    documents of `per_document` relations; entities without an edge get one mention."""
    docs, sentences, mentions, relations = [], [], [], []
    touched: set[int] = set()

    def mention(doc: str, sid: int, node: int) -> int:
        touched.add(node)
        mentions.append(MentionRecord(len(mentions) + 1, doc, sid, 0, 4, "name", "PER", 0.9,
                                      RULES, f"s{node}", "suggested"))
        return len(mentions)

    for i, (u, v) in enumerate([*edges, *[(-1, -1)]]):
        if i % per_document == 0 or u < 0:
            doc = f"doc{len(docs)}"
            docs.append(DocumentRecord(doc, f"/s/{doc}", doc, "txt", "extracted"))
        if u < 0:
            break
        sentences.append(SentenceRecord(len(sentences) + 1, doc, i, 0, 9, "name name"))
        sid = len(sentences)
        h, t = mention(doc, sid, u), mention(doc, sid, v)
        relations.append(RelationRecord(i + 1, doc, sid, h, t, "rel", 0.8, RULES, "suggested"))
    for node in range(n):
        if node not in touched:
            sentences.append(SentenceRecord(len(sentences) + 1, doc, len(sentences), 0, 4, "name"))
            mention(doc, len(sentences), node)
    entities = tuple(EntityRecord(f"s{i}", "PER", f"entity {i}") for i in range(n))
    return Snapshot(tuple(docs), tuple(sentences), MODELS, entities, tuple(mentions),
                    tuple(relations))
