"""Conversion between entity spans and IOB tags.

Convention
----------
`to_bio` writes **IOB2**: every entity starts with ``B-TYPE``, continues with ``I-TYPE``.

`from_bio` reads IOB tags in one of two modes:

* ``strict=False`` (default) -- the **conlleval** convention, which is also seqeval's
  default mode: an entity starts at ``B-X``, *or* at an ``I-X`` that follows ``O``, the
  start of the sentence or a token of another type (a "stray" ``I-X`` starts a new entity);
  ``I-X`` after ``B-X``/``I-X`` continues it. This reads IOB1 and IOB2 alike, so the
  CoNLL reader uses it for both, and a model's ill-formed output still yields entities.
* ``strict=True`` -- seqeval's ``mode="strict", scheme=IOB2``: only ``B-X`` starts an
  entity; a stray ``I-X`` (and any ``I-X`` run following it) is no entity at all.

On well-formed IOB2 both modes decode identically. `nlp.training.metrics` scores spans,
so NER scores from tags agree with conlleval/seqeval-default when decoded leniently and
with seqeval strict when decoded with ``strict=True`` (`ner_scores_from_tags`).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable

from nlp.training.examples import Example, SpanLabel

__all__ = ["from_bio", "parse_tag", "resolve_overlaps", "spans_to_bio", "to_bio"]

log = logging.getLogger(__name__)


def parse_tag(tag: str) -> tuple[str, str]:
    """Split an IOB tag into ``(prefix, type)``: ``"B-PER"`` -> ``("B", "PER")``.

    ``"O"`` gives ``("O", "")``. Types may contain hyphens (``"I-Used-for"``). Anything
    else raises `ValueError`.
    """
    if tag == "O":
        return "O", ""
    prefix, sep, label = tag.partition("-")
    if prefix not in ("B", "I") or not sep or not label or label != label.strip():
        raise ValueError(f"malformed IOB tag {tag!r} (expected O, B-TYPE or I-TYPE)")
    return prefix, label


def from_bio(tags: Iterable[str], *, strict: bool = False) -> list[SpanLabel]:
    """Decode IOB tags into spans (see the module docstring for the two conventions)."""
    spans: list[SpanLabel] = []
    start: int | None = None
    current = ""
    i = 0
    for i, tag in enumerate(tags):
        prefix, label = parse_tag(tag)
        if prefix == "I" and start is not None and label == current:
            continue
        if start is not None:
            spans.append(SpanLabel(start, i, current))
            start = None
        if prefix == "B" or (prefix == "I" and not strict):
            start, current = i, label
    if start is not None:
        spans.append(SpanLabel(start, i + 1, current))
    return spans


def resolve_overlaps(spans: Iterable[SpanLabel]) -> tuple[list[SpanLabel], list[SpanLabel]]:
    """Make spans non-overlapping: ``(kept, dropped)``, ``kept`` sorted by position.

    Longer spans win; between equally long ones the earlier start (then the earlier one in
    the input) wins. An exact duplicate span with another label counts as an overlap.
    """
    items = list(spans)
    order = sorted(range(len(items)), key=lambda k: (-items[k].length, items[k].start, k))
    kept: list[SpanLabel] = []
    dropped: list[SpanLabel] = []
    for k in order:
        span = items[k]
        (dropped if any(span.overlaps(other) for other in kept) else kept).append(span)
    return sorted(kept), dropped


def spans_to_bio(
    spans: Iterable[SpanLabel], length: int, dropped: Counter[str] | None = None
) -> list[str]:
    """IOB2 tags for ``length`` tokens; overlaps are resolved by `resolve_overlaps`.

    Each dropped span's label is counted in ``dropped`` when given (and logged at DEBUG).
    """
    kept, lost = resolve_overlaps(spans)
    if lost:
        log.debug("dropped %d overlapping span(s): %s", len(lost), lost)
        if dropped is not None:
            dropped.update(s.label for s in lost)
    tags = ["O"] * length
    for span in kept:
        if not 0 <= span.start < span.end <= length:
            raise ValueError(f"span {span} is outside a sentence of {length} tokens")
        tags[span.start] = f"B-{span.label}"
        for k in range(span.start + 1, span.end):
            tags[k] = f"I-{span.label}"
    return tags


def to_bio(example: Example, dropped: Counter[str] | None = None) -> list[str]:
    """IOB2 tags for an example's entities; see `spans_to_bio` for overlaps."""
    return spans_to_bio(example.entities, len(example.tokens), dropped)
