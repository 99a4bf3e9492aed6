"""Small hand-made triple sets for the embedding tests."""

from __future__ import annotations

from typing import Any


def toy_factory(n: int = 12, inverse: bool = False) -> Any:
    """People working for one of three companies, each company in one city."""
    import torch
    from pykeen.triples import TriplesFactory

    triples = [(f"person{i}", "Work_For", f"org{i % 3}") for i in range(n)]
    triples += [(f"org{j}", "OrgBased_In", f"city{j}") for j in range(3)]
    triples += [(f"person{i}", "Live_In", f"city{i % 3}") for i in range(n)]
    entities = sorted({x for h, _, t in triples for x in (h, t)})
    relations = sorted({r for _, r, _ in triples})
    e2i = {e: i for i, e in enumerate(entities)}
    r2i = {r: i for i, r in enumerate(relations)}
    mapped = torch.tensor([(e2i[h], r2i[r], e2i[t]) for h, r, t in triples])
    return TriplesFactory(mapped, e2i, r2i, create_inverse_triples=inverse)
