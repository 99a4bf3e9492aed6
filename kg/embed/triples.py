"""The triples an embedding model is trained on, read from a project's graph.

**Facts** are the graph's relations as (head entity, label, tail entity): every relation that
is not rejected between two linked, not-rejected mentions (the analytic view of
`kg.graph.KnowledgeGraph`), plus the predictions a person accepted (``link_decisions``).

**Structural triples** are optional context, because a news graph built from a few documents
is sparse: most entities have one relation or none, and an entity without a triple gets no
embedding at all. Two kinds are offered by name (`STRUCTURES`):

- ``mentions``: ``entity skein:mentionedIn doc:<id>`` for each document an entity is
  mentioned in. Every entity gets at least one triple; entities of the same documents are
  drawn together (the signal a reader uses when nothing else links two names).
- ``cooccurrence``: ``a skein:coOccursWith b`` (both ways) for entities mentioned in one
  sentence (sentences naming more than `MAX_COOCCURRING` entities, lists and tables, are
  skipped). A relation the extractor missed is most often between two names of one sentence.

Structural relations are never predicted; document nodes are never offered as entities.
Because co-occurrence is also known at prediction time, it is legitimate signal, but it makes
held-out facts between co-mentioned entities easier to recover: metrics with ``cooccurrence``
are higher than the graph's relations alone would give.
"""

from __future__ import annotations

import hashlib
import itertools
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from kg.embed.config import DEFAULT_STRUCTURE
from kg.graph import KnowledgeGraph
from kg.records import Snapshot

Triple = tuple[str, str, str]

MENTIONED_IN = "skein:mentionedIn"
CO_OCCURS = "skein:coOccursWith"
DOCUMENT_PREFIX = "doc:"
MAX_COOCCURRING = 12


@dataclass(frozen=True, slots=True)
class GraphTriples:
    facts: tuple[Triple, ...]
    """Relations of the graph and accepted predictions, sorted, without duplicates."""
    structural: tuple[Triple, ...]
    structure: tuple[str, ...]
    """Names of the structural kinds included (see `STRUCTURES`)."""

    @property
    def all(self) -> tuple[Triple, ...]:
        return self.facts + self.structural

    def digest(self) -> str:
        """sha256 of every triple: tells whether a stored model still matches the graph."""
        h = hashlib.sha256()
        for triple in sorted(self.all):
            h.update("\t".join(triple).encode("utf-8", "surrogatepass") + b"\n")
        return h.hexdigest()


def _mentions(graph: KnowledgeGraph) -> Iterable[Triple]:
    for entity in graph.entities():
        for doc in entity.documents:
            yield entity.id, MENTIONED_IN, DOCUMENT_PREFIX + doc


def _cooccurrence(graph: KnowledgeGraph) -> Iterable[Triple]:
    by_sentence: dict[int, set[str]] = defaultdict(set)
    for entity in graph.entities():
        for mention in graph.mentions_of(entity.id):
            by_sentence[mention.sentence].add(entity.id)
    for _sentence, ids in sorted(by_sentence.items()):
        if len(ids) > MAX_COOCCURRING:
            continue
        for a, b in itertools.combinations(sorted(ids), 2):
            yield a, CO_OCCURS, b
            yield b, CO_OCCURS, a


STRUCTURES: dict[str, Callable[[KnowledgeGraph], Iterable[Triple]]] = {
    "mentions": _mentions,
    "cooccurrence": _cooccurrence,
}


def collect(
    snap: Snapshot,
    accepted: Iterable[Triple] = (),
    structure: Sequence[str] = DEFAULT_STRUCTURE,
    graph: KnowledgeGraph | None = None,
) -> GraphTriples:
    """The training triples of a project snapshot (see the module docstring)."""
    unknown = [s for s in structure if s not in STRUCTURES]
    if unknown:
        raise ValueError(f"unknown structural triples {', '.join(unknown)} "
                         f"(known: {', '.join(STRUCTURES)})")
    graph = graph if graph is not None else KnowledgeGraph.from_snapshot(snap)
    facts = {(r.head, r.label, r.tail) for r in graph.relations()}
    facts |= {t for t in accepted if t[0] in graph and t[2] in graph}
    structural: set[Triple] = set()
    for name in structure:
        structural.update(STRUCTURES[name](graph))
    return GraphTriples(tuple(sorted(facts)), tuple(sorted(structural - facts)),
                        tuple(structure))


def split(
    triples: GraphTriples, fraction: float, seed: int
) -> tuple[list[Triple], list[Triple]]:
    """(training, held-out): up to `fraction` of the facts are held out, chosen at random
    (seeded) among those whose head, tail and relation all still occur in training, so that
    every held-out triple can be ranked. Structural triples always stay in training."""
    if not 0.0 <= fraction < 1.0:
        raise ValueError("held-out fraction: must be in [0, 1)")
    everything = triples.all
    nodes = Counter(x for h, _, t in everything for x in (h, t))
    labels = Counter(r for _, r, _ in everything)
    candidates = list(triples.facts)
    random.Random(seed).shuffle(candidates)  # noqa: S311 (a seeded split, not a secret)
    want = int(len(triples.facts) * fraction)
    test: set[Triple] = set()
    for h, r, t in candidates:
        if len(test) >= want:
            break
        if nodes[h] > 1 and nodes[t] > 1 and labels[r] > 1 and h != t:
            test.add((h, r, t))
            nodes[h] -= 1
            nodes[t] -= 1
            labels[r] -= 1
    return [x for x in everything if x not in test], sorted(test)
