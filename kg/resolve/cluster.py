"""From scored pairs and people's decisions to merges: constrained union-find.

A person's ``same`` decisions join their entities first, whatever the rules say; then the
automatic pairs, best first, join two groups unless that would put together two entities
a person called ``different``, two full names of different people (``Barack Obama`` /
``Michelle Obama``), or entities known as two different IRIs. Each group then gets one
canonical entity - its most mentioned full name (a person's full name, an organisation's
long form rather than its acronym), longer names first on a tie - and every other member
becomes a `Merge` into it. The pairs that joined groups form a tree over each group; a
member's merge carries the score and reason of its tree edge towards the canonical entity,
so every piece of evidence that holds the group together is stored once (a build that does
not run the encoder can keep the encoder's merges by their reason).
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from kg.resolve.names import acronym_letters, conflict, person
from kg.resolve.types import (
    AUTO,
    DIFFERENT,
    MERGE_THRESHOLD,
    SAME,
    USER,
    Decision,
    EntityInfo,
    Merge,
    Pair,
    types_compatible,
)


def effective(decisions: Iterable[Decision]) -> dict[frozenset[str], Decision]:
    """The latest decision on each pair (decisions come oldest first)."""
    out: dict[frozenset[str], Decision] = {}
    for d in decisions:
        if d.a != d.b:
            out[frozenset((d.a, d.b))] = d
    return out


def full_name(e: EntityInfo) -> bool:
    if acronym_letters(e.name) is not None:
        return False
    return len(e.words) >= 2 if e.label == "PER" else True


def canonical_of(members: Iterable[EntityInfo]) -> EntityInfo:
    return max(members, key=lambda e: (full_name(e), e.mentions, len(e.name), e.name, e.id))


@dataclass
class _Groups:
    entities: Mapping[str, EntityInfo]
    different: set[frozenset[str]]
    known: Mapping[str, str]
    parent: dict[str, str] = field(default_factory=dict)
    members: dict[str, list[str]] = field(default_factory=dict)

    def find(self, x: str) -> str:
        root = x
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while x != root:
            self.parent[x], x = root, self.parent.get(x, x)
        return root

    def group(self, root: str) -> list[str]:
        return self.members.get(root, [root])

    def blocked(self, ra: str, rb: str, *, user: bool) -> bool:
        for a in self.group(ra):
            for b in self.group(rb):
                if frozenset((a, b)) in self.different:
                    return True
                if user:
                    continue
                ka, kb = self.known.get(a), self.known.get(b)
                if ka is not None and kb is not None and ka != kb:
                    return True
                ea, eb = self.entities[a], self.entities[b]
                if ea.label == eb.label == "PER":
                    pa, pb = person(ea.words), person(eb.words)
                    if pa is not None and pb is not None and conflict(pa, pb):
                        return True
        return False

    def join(self, a: str, b: str, *, user: bool) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb or self.blocked(ra, rb, user=user):
            return False
        if len(self.group(ra)) < len(self.group(rb)):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] = self.group(ra) + self.group(rb)
        self.members.pop(rb, None)
        return True


def cluster(
    entities: Mapping[str, EntityInfo],
    pairs: Iterable[Pair],
    decisions: Sequence[Decision] = (),
    known: Mapping[str, str] | None = None,
) -> list[Merge]:
    """The merges of `entities` (see the module docstring); sorted by merged id."""
    latest = effective(d for d in decisions if d.a in entities and d.b in entities)
    groups = _Groups(
        entities,
        {p for p, d in latest.items() if d.decision == DIFFERENT},
        known or {},
    )
    joins: dict[str, list[tuple[str, Merge]]] = defaultdict(list)
    """entity -> (other end, evidence) of each pair that joined two groups"""

    def joined(a: str, b: str, score: float, reason: str, method: str) -> None:
        joins[a].append((b, Merge(a, b, score, reason, method)))
        joins[b].append((a, Merge(b, a, score, reason, method)))

    for d in sorted(latest.values(), key=lambda d: d.at):
        if d.decision == SAME and groups.join(d.a, d.b, user=True):
            joined(d.a, d.b, 1.0, "user", USER)
    usable = [
        p for p in pairs
        if p.a != p.b and p.a in entities and p.b in entities and p.score >= MERGE_THRESHOLD
        and types_compatible(entities[p.a].label, entities[p.b].label, p.score)
    ]
    usable.sort(key=lambda p: (-p.score, p.reason, min(p.a, p.b), max(p.a, p.b)))
    for p in usable:
        if groups.join(p.a, p.b, user=False):
            joined(p.a, p.b, p.score, p.reason, AUTO)
    merges = []
    for root, ids in groups.members.items():
        if len(ids) < 2 or groups.find(root) != root:
            continue
        canonical = canonical_of(entities[i] for i in ids).id
        # the joining pairs form a tree over the group: each member is merged with the
        # evidence of its tree edge towards the canonical entity
        seen, queue = {canonical}, deque([canonical])
        while queue:
            here = queue.popleft()
            for other, evidence in joins[here]:
                if other not in seen:
                    seen.add(other)
                    queue.append(other)
                    merges.append(replace(evidence, merged=other, canonical=canonical))
    merges.sort(key=lambda m: m.merged)
    return merges
