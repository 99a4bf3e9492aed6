"""Which records of a snapshot an export treats as facts (shared by the RDF and Gephi exports).

A rejected mention or relation is never exported. A relation is exported as an assertion when
it is not rejected and both its mentions are exported; it is also a *fact* between entities
when both mentions are linked to entities the snapshot holds. References to records the
snapshot lacks are treated as absent, never as errors: an export is a view, not a validator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.records import EntityRecord, MentionRecord, RelationRecord, Snapshot

REJECTED = "rejected"

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(value: str) -> str:
    """`value` with the characters XML 1.0 cannot carry (C0 controls but tab/LF/CR, lone
    surrogates, U+FFFE, U+FFFF) replaced by U+FFFD, so every format can hold it."""
    return _NOT_XML.sub("\ufffd", value)


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One exported relation with its mentions, and its entities when both are linked."""

    relation: RelationRecord
    head: MentionRecord
    tail: MentionRecord
    head_entity: EntityRecord | None
    tail_entity: EntityRecord | None

    @property
    def is_fact(self) -> bool:
        return self.head_entity is not None and self.tail_entity is not None


@dataclass(frozen=True, slots=True)
class Selection:
    """The exported part of a snapshot, indexed."""

    entities: dict[str, EntityRecord]
    mentions: dict[int, MentionRecord]
    """Mentions that are not rejected, by id."""
    occurrences: tuple[Occurrence, ...]

    def entity_of(self, mention: MentionRecord) -> EntityRecord | None:
        return self.entities.get(mention.entity) if mention.entity is not None else None


def select(snap: Snapshot) -> Selection:
    """Index `snap` and keep what an export shows."""
    entities = {e.id: e for e in snap.entities}
    mentions = {m.id: m for m in snap.mentions if m.status != REJECTED}
    occurrences: list[Occurrence] = []
    for rel in snap.relations:
        head, tail = mentions.get(rel.head), mentions.get(rel.tail)
        if rel.status == REJECTED or head is None or tail is None:
            continue
        occurrences.append(
            Occurrence(
                relation=rel,
                head=head,
                tail=tail,
                head_entity=entities.get(head.entity) if head.entity is not None else None,
                tail_entity=entities.get(tail.entity) if tail.entity is not None else None,
            )
        )
    return Selection(entities=entities, mentions=mentions, occurrences=tuple(occurrences))
