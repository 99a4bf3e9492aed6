"""Which sentence to review next: a score per sentence, with the reasons that make it up.

Each reason is a named signal in [0, 1], weighted (`WEIGHTS`) and summed into the score:

* ``uncertainty`` — 1 - the lowest confidence of the sentence's open suggestions (mentions
  and relations the model proposed and nobody decided);
* ``disagreement`` — how much another model version's entities differ from this one's
  (1 - Jaccard of their (start, end, type) sets), when the caller has them
  (`extracted_spans` reads them with any extraction backend);
* ``duplicate`` — a mention of an entity that the embedding pairs with a likely duplicate
  (`kg.embed.similar.duplicate_candidates`: close vectors and similar names), its score;
* ``central`` — a mention of an entity central to the graph (PageRank, scaled so the most
  central is 1) that people confirmed few times: centrality / (1 + confirmations);
* ``implausible`` — an open relation whose fact the embedding finds implausible:
  1 - plausibility (`kg.assist.relations.Plausibility`), when an embedding exists.

`priorities` returns frozen `SentencePriority` values, highest score first, so the review
queue (``review_queue(order="helpful")``) can sort by them and the GUI can say why.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.embed.similar import DuplicateCandidate
    from kg.embed.storage import Embedding
    from kg.store.project import Project
    from nlp.extract.types import Extractor

CharSpan = tuple[int, int, str]
"""(start, end, type) in document characters."""

WEIGHTS: Mapping[str, float] = {
    "uncertainty": 1.0, "disagreement": 1.0, "duplicate": 0.5, "central": 0.5,
    "implausible": 0.5,
}


@dataclass(frozen=True, slots=True)
class Reason:
    name: str
    value: float
    """The signal, in [0, 1] (before its weight)."""
    detail: str
    """What caused it, e.g. ``"Acme Corp." (ORG) may duplicate "Acme"``."""


@dataclass(frozen=True, slots=True)
class SentencePriority:
    sentence: int
    """The sentence's row id (``mentions.sentence``)."""
    document: str
    index: int
    """The sentence's position in its document."""
    score: float
    reasons: tuple[Reason, ...]
    """Non-zero signals, largest weighted contribution first."""


def priorities(
    project: Project,
    *,
    other: Mapping[int, Collection[CharSpan]] | None = None,
    duplicates: Sequence[DuplicateCandidate] = (),
    embedding: Embedding | None = None,
    weights: Mapping[str, float] = WEIGHTS,
) -> tuple[SentencePriority, ...]:
    """Every sentence with an open suggestion, most helpful to review first."""
    rows = project.query(
        "SELECT m.id, m.sentence, s.document, s.idx, m.start, m.end, m.text, m.label,"
        " m.confidence, m.status, m.entity FROM mentions m"
        " JOIN sentences s ON s.id = m.sentence JOIN documents d ON d.id = m.document"
        " WHERE d.status = 'extracted'")
    rels = project.query(
        "SELECT r.sentence, r.label, r.confidence, h.entity, t.entity, h.text, t.text"
        " FROM relations r JOIN mentions h ON h.id = r.head JOIN mentions t ON t.id = r.tail"
        " WHERE r.status = 'suggested' AND h.status != 'rejected' AND t.status != 'rejected'")
    where: dict[int, tuple[str, int]] = {}
    reasons: dict[int, dict[str, Reason]] = defaultdict(dict)
    spans: dict[int, set[CharSpan]] = defaultdict(set)
    open_sentences: set[int] = set()

    def note(sentence: int, reason: Reason) -> None:
        old = reasons[sentence].get(reason.name)
        if reason.value > 0 and (old is None or reason.value > old.value):
            reasons[sentence][reason.name] = reason

    for _, sent, doc, idx, start, end, text, label, conf, status, _ in rows:
        where[sent] = (str(doc), int(idx))
        if status != "rejected":
            spans[sent].add((int(start), int(end), str(label)))
        if status == "suggested":
            open_sentences.add(sent)
            note(sent, Reason("uncertainty", 1.0 - float(conf),
                              f'"{text}" ({label}) at {conf:.2f}'))
    for sent, label, conf, _, _, head, tail in rels:
        open_sentences.add(sent)
        note(sent, Reason("uncertainty", 1.0 - float(conf),
                          f"{head} → {tail} ({label}) at {conf:.2f}"))
    if other is not None:
        for sent in open_sentences:
            mine, theirs = spans.get(sent, set()), set(other.get(sent, ()))
            union = mine | theirs
            if union:
                differ = len(union - (mine & theirs))
                note(sent, Reason("disagreement", differ / len(union),
                                  f"{differ} of {len(union)} entities differ"))
    _graph_signals(project, rows, open_sentences, duplicates, note)
    if embedding is not None:
        _plausibility(project, rels, embedding, note)
    out = []
    for sent in open_sentences:
        doc, idx = where.get(sent, ("", 0))
        found = sorted(reasons[sent].values(),
                       key=lambda r: (-weights.get(r.name, 0.0) * r.value, r.name))
        score = sum(weights.get(r.name, 0.0) * r.value for r in found)
        out.append(SentencePriority(sent, doc, idx, round(score, 6), tuple(found)))
    out.sort(key=lambda p: (-p.score, p.document, p.index))
    return tuple(out)


def _graph_signals(project: Project, rows: Sequence[Sequence[Any]], open_sentences: set[int],
                   duplicates: Sequence[DuplicateCandidate], note: Any) -> None:
    """``duplicate`` and ``central``: per open sentence, its suggested mentions' entities."""
    from kg.graph import KnowledgeGraph
    from kg.graph.analytics import pagerank

    dup: dict[str, tuple[float, str]] = {}
    for c in duplicates:
        for a, b in ((c.a, c.b), (c.b, c.a)):
            if c.score > dup.get(a, (0.0, ""))[0]:
                dup[a] = (c.score, b)
    graph = KnowledgeGraph.load(project)
    canonical = {str(a): str(b) for a, b in project.query(
        "SELECT merged, canonical FROM entity_merges")}
    rank = pagerank(graph) if len(graph) else {}
    top = max(rank.values(), default=0.0) or 1.0
    confirmed: dict[str, int] = defaultdict(int)
    for *_, status, entity in rows:
        if status == "accepted" and entity:
            confirmed[canonical.get(entity, entity)] += 1
    names = {e.id: e.name for e in graph.entities()} if dup else {}
    for _, sent, _, _, _, _, text, label, _, status, entity in rows:
        if sent not in open_sentences or status != "suggested" or not entity:
            continue
        entity = canonical.get(entity, entity)
        if entity in dup:
            score, other = dup[entity]
            note(sent, Reason("duplicate", score,
                              f'"{text}" ({label}) may duplicate "{names.get(other, other)}"'))
        central = rank.get(entity, 0.0) / top
        if central:
            n = confirmed[entity]
            note(sent, Reason("central", central / (1 + n),
                              f'"{text}" is central ({central:.2f}), confirmed {n}×'))


def _plausibility(project: Project, rels: Sequence[Sequence[Any]], embedding: Embedding,
                  note: Any) -> None:
    from kg.assist.relations import Plausibility

    types = {str(e): str(label) for e, label in project.query("SELECT id, label FROM entities")}
    plausible = Plausibility(embedding.model, embedding.entity_to_id, embedding.relation_to_id,
                             types)
    for sent, label, _, head, tail, htext, ttext in rels:
        p = plausible(str(head), str(label), str(tail)) if head and tail else None
        if p is not None:
            note(sent, Reason("implausible", 1.0 - p,
                              f"{htext} → {ttext} ({label}): plausibility {p:.2f}"))


def extracted_spans(project: Project, extractor: Extractor) -> dict[int, frozenset[CharSpan]]:
    """Another model's entities per sentence row id, for ``priorities(other=...)``: each
    extracted document's stored text re-read with `extractor` (e.g. the previous bundle)."""
    from nlp.text import split_sentences

    out: dict[int, frozenset[CharSpan]] = {}
    for doc, text in project.query("SELECT id, text FROM documents WHERE status = 'extracted'"):
        ids = dict(project.query("SELECT idx, id FROM sentences WHERE document = ?", (doc,)))
        sentences = split_sentences(str(text))
        found: dict[int, set[CharSpan]] = defaultdict(set)
        for m in extractor.extract(str(text), sentences).mentions:
            found[m.sentence].add((m.start, m.end, m.label))
        for idx, sid in ids.items():
            out[int(sid)] = frozenset(found.get(int(idx), ()))
    return out


def scores(found: Sequence[SentencePriority]) -> dict[int, float]:
    """Sentence row id -> score, the form ``review_queue(priority=...)`` takes."""
    return {p.sentence: p.score for p in found}
