"""What training reads: gold labels attached to encoded sentences, packed into windows.

Shared by the training loop (`nlp.model.train`) and the tests that look at what a
sentence teaches.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from nlp.model import batching
from nlp.model.labels import LabelScheme
from nlp.model.runtime import Runtime
from nlp.training.examples import Example, Partial


def attach_gold(items: Sequence[batching.Item], by_key: Mapping[tuple[str, int], Example]) -> None:
    """Give each item (a sentence or chunk) its gold spans and relations, in its offsets;
    a partly annotated example also passes on its rejected spans and pairs."""
    for item in items:
        ex = by_key[item.key[0], item.key[1]]
        lo, hi = item.key[2], item.key[2] + len(item.words)
        keep = [i for i, s in enumerate(ex.entities) if lo <= s.start and s.end <= hi]
        new_index = {old: new for new, old in enumerate(keep)}
        item.spans = [(ex.entities[i].start - lo, ex.entities[i].end - lo,
                       ex.entities[i].label) for i in keep]
        item.relations = [(new_index[r.head], new_index[r.tail], r.label)
                          for r in ex.relations if r.head in new_index and r.tail in new_index]
        if isinstance(ex.known, Partial):
            item.known = False
            item.negatives = [(max(s.start, lo) - lo, min(s.end, hi) - lo)
                              for s in ex.known.rejected if s.start < hi and lo < s.end]
            item.rel_negatives = [
                ((h.start - lo, h.end - lo, h.label), (t.start - lo, t.end - lo, t.label))
                for h, t, _ in ex.known.rejected_relations
                if lo <= min(h.start, t.start) and max(h.end, t.end) <= hi
            ]


def scheme_of(examples: Sequence[Example]) -> LabelScheme:
    types = {s.label for ex in examples for s in ex.entities}
    triples = {(r.label, ex.entities[r.head].label, ex.entities[r.tail].label)
               for ex in examples for r in ex.relations}
    return LabelScheme.learn(types, triples)


def windows_of(runtime: Runtime, examples: Sequence[Example], gold: bool,
               domain: int = 0) -> list[batching.Window]:
    keys = batching.example_keys(examples)
    items = runtime.items([ex.tokens for ex in examples], keys)
    if gold:
        attach_gold(items, dict(zip(keys, examples, strict=True)))
    return batching.pack(items, runtime.max_len, domain)


def train_windows(runtime: Runtime, train_sets: Mapping[str, Sequence[Example]],
                  repeats: Mapping[str, int],
                  relations_only: bool = False) -> list[batching.Window]:
    """Each corpus packed in its own domain, `repeats` times. A corpus that annotates no
    relation says nothing about its entity pairs: they are not negatives. Relations only:
    just the corpora with relations, read in every domain."""
    n_domains = len(train_sets)
    windows: list[batching.Window] = []
    for d, (name, exs) in enumerate(train_sets.items()):
        has_relations = any(ex.relations for ex in exs)
        if relations_only and not has_relations:
            continue
        for read_in in (range(n_domains) if relations_only else (d,)):
            for w in windows_of(runtime, exs, gold=True, domain=read_in):
                if runtime.scheme.relations and not has_relations:
                    for item in w.items:
                        item.relations_known = False
                windows.extend([w] * repeats.get(name, 1))
    if relations_only and not windows:
        raise ValueError("relations_only needs a training corpus with relations")
    return windows
