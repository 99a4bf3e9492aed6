"""Entity resolution: one node per real-world thing.

The linker (`kg.linking`) gives each (type, normalised name) one entity row with a stable
id. Resolution then groups entity rows that are one thing and stores, for each merged
entity, its group's canonical entity (``entity_merges``: score in [0, 1], reason, method
``auto`` or ``user``); nothing else is rewritten, so every merge can be undone.

* `kg.resolve.rules` (with `acronyms`, `people`, `known`) - string rules, type-aware;
  `kg.resolve.embed` - the encoder's signal for pairs strings leave open.
* `kg.resolve.tune` - people's decisions on the pairs the encoder judges move its threshold.
* `kg.resolve.cluster` - decisions first, then pairs best first, under constraints.
* `kg.resolve.run` - `resolve`, the whole project as long work (rerun by every build).
* `kg.resolve.store` - `merge` / `split` (a person's decisions, which always win),
  `canonical_map`, `canonical`; `kg.resolve.known.known_links` (entity -> known IRI).
* `kg.resolve.view` - `resolve_snapshot`: what the graph and the exports read.

Importing this package loads neither torch nor transformers (the encoder is loaded on use).
"""

from kg.resolve.known import known_links
from kg.resolve.run import resolve
from kg.resolve.store import canonical, canonical_map, merge, split
from kg.resolve.types import Merge, Pair, ResolveOptions, ResolveReport
from kg.resolve.view import resolve_snapshot

__all__ = [
    "Merge",
    "Pair",
    "ResolveOptions",
    "ResolveReport",
    "canonical",
    "canonical_map",
    "known_links",
    "merge",
    "resolve",
    "resolve_snapshot",
    "split",
]
