"""A model's label scheme: entity types, BIO tags, relation types and their type schema."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class LabelScheme:
    types: tuple[str, ...]
    relations: tuple[str, ...] = ()
    schema: tuple[tuple[str, str, str], ...] = ()
    """Allowed (relation, head type, tail type) triples; relations outside it are never
    predicted (e.g. ``Live_In`` links a PER to a LOC)."""
    _tags: tuple[str, ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        tags = ("O", *(f"{p}-{t}" for t in self.types for p in ("B", "I")))
        object.__setattr__(self, "_tags", tags)

    @property
    def tags(self) -> tuple[str, ...]:
        return self._tags

    def tag_id(self, tag: str) -> int:
        return self._tags.index(tag)

    def allowed(self, head_type: str, tail_type: str) -> list[int]:
        """Relation ids (1-based; 0 is "none") allowed between these entity types."""
        return [
            self.relations.index(r) + 1
            for r, h, t in self.schema
            if h == head_type and t == tail_type and r in self.relations
        ]

    def to_json(self) -> dict[str, Any]:
        return {"types": list(self.types), "relations": list(self.relations),
                "schema": [list(s) for s in self.schema]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LabelScheme:
        return cls(tuple(data["types"]), tuple(data.get("relations", ())),
                   tuple((str(r), str(h), str(t)) for r, h, t in data.get("schema", ())))

    @classmethod
    def learn(cls, entity_types: Iterable[str],
              triples: Iterable[tuple[str, str, str]]) -> LabelScheme:
        """The scheme seen in training data: every type, every observed relation triple."""
        triples = sorted(set(triples))
        return cls(tuple(sorted(set(entity_types))), tuple(sorted({r for r, _, _ in triples})),
                   tuple(triples))
