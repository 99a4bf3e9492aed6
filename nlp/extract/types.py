"""Value types every extraction backend produces and every consumer (kg/) reads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from nlp.text import Sentence

ENTITY_TYPES = ("PER", "ORG", "LOC", "MISC")
"""The default label scheme (CoNLL-2003 person/organisation/location/misc)."""


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity mention: a character span of a document's text with a label."""

    start: int
    end: int
    text: str
    label: str
    confidence: float
    sentence: int
    """Index of the sentence (within the document) that holds the span."""


@dataclass(frozen=True, slots=True)
class RelationMention:
    """A directed relation between two mentions of one sentence."""

    head: Mention
    tail: Mention
    label: str
    confidence: float


@dataclass(frozen=True, slots=True)
class Extraction:
    """What a backend found in one document."""

    mentions: tuple[Mention, ...]
    relations: tuple[RelationMention, ...]


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """Who made an extraction: recorded as provenance on every fact."""

    id: str
    """Stable version id, e.g. ``rule-baseline@0.1`` or ``ner-minilm@2026-11-23T...``."""
    kind: str
    """``rules`` for heuristics, ``transformer`` for trained models."""
    description: str


class Extractor(Protocol):
    """An extraction backend. Implementations live behind `nlp.extract.registry`."""

    @property
    def info(self) -> ModelInfo: ...

    def extract(self, text: str, sentences: Sequence[Sentence]) -> Extraction:
        """Find mentions and relations in `text`, split into `sentences`."""
        ...
