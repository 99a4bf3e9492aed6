"""Nearest entities and duplicate candidates from a trained embedding."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.embed import storage
from kg.embed.config import NO_METRICS, TrainConfig
from kg.embed.similar import duplicate_pairs, name_similarity, nearest
from kg.embed.train import fit
from kg.graph import Entity
from nlp.progress import run


def _entity(eid: str, label: str, name: str, mentions: int = 1) -> Entity:
    return Entity(eid, name, label, (), mentions, ("d",))


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory) -> storage.Embedding:
    """"IBM" and "International Business Machines" with the very same facts; "Acme" and
    "Acme Labs" with different ones."""
    import torch
    from pykeen.triples import TriplesFactory

    triples = []
    for org in ("ibm", "intl"):
        triples += [(f"p{i}", "Work_For", org) for i in range(6)]
        triples += [(org, "OrgBased_In", "armonk")]
    triples += [(f"p{i}", "Work_For", "acme") for i in range(6, 10)]
    triples += [("acme", "OrgBased_In", "boston"), ("labs", "OrgBased_In", "paris")]
    triples += [(f"p{i}", "Work_For", "labs") for i in range(10, 14)]
    triples += [(f"p{i}", "Live_In", c) for i, c in enumerate(["armonk"] * 6 + ["boston"] * 8)]
    e2i = {e: i for i, e in enumerate(sorted({x for h, _, t in triples for x in (h, t)}))}
    r2i = {r: i for i, r in enumerate(sorted({r for _, r, _ in triples}))}
    factory = TriplesFactory(torch.tensor([(e2i[h], r2i[r], e2i[t]) for h, r, t in triples]),
                             e2i, r2i)
    config = TrainConfig(model="DistMult", dim=16, epochs=60, loop="lcwa",
                         loss="crossentropy", learning_rate=0.05, seed=1)
    fitted = run(fit(factory, config))
    folder = tmp_path_factory.mktemp("twins") / "distmult"
    storage.save(folder, fitted.model, e2i, r2i, config, NO_METRICS, {})
    return storage.load(Path(folder))


ORGS = [
    _entity("ibm", "ORG", "IBM", 5),
    _entity("intl", "ORG", "International Business Machines", 2),
    _entity("acme", "ORG", "Acme"),
    _entity("labs", "ORG", "Acme Labs"),
    _entity("armonk", "LOC", "Armonk"),
    _entity("boston", "LOC", "Boston"),
]


def test_nearest_is_ordered_by_cosine_and_excludes_the_entity(
    twins: storage.Embedding,
) -> None:
    found = nearest(twins, "ibm", k=5)
    assert found[0].entity == "intl" and found[0].cosine > 0.9
    assert "ibm" not in [n.entity for n in found]
    assert [n.cosine for n in found] == sorted((n.cosine for n in found), reverse=True)
    only = nearest(twins, "ibm", k=5, among={"acme", "labs", "ibm"})
    assert {n.entity for n in only} == {"acme", "labs"}
    with pytest.raises(KeyError):
        nearest(twins, "nobody")


def test_duplicates_need_close_vectors_and_similar_names(twins: storage.Embedding) -> None:
    pairs = duplicate_pairs(twins, ORGS, k=10)
    assert [(p.a, p.b) for p in pairs][:1] == [("ibm", "intl")]  # more mentions first
    best = pairs[0]
    assert best.label == "ORG" and best.cosine > 0.9 and best.name_similarity == 0.9
    assert best.score == pytest.approx(best.cosine * best.name_similarity, abs=1e-5)
    assert "embedding" in best.reason
    # Acme and Acme Labs: alike names, different facts: not close enough
    assert ("acme", "labs") not in {(p.a, p.b) for p in pairs}
    # never across types, and nothing without a similar name
    assert all(p.label == "ORG" for p in pairs)
    assert duplicate_pairs(twins, ORGS, k=10, min_name=0.95) == []


@pytest.mark.parametrize(("a", "b", "low", "high"), [
    ("IBM", "International Business Machines", 0.9, 0.9),
    ("Smith", "John Smith", 0.8, 1.0),
    ("Zürich", "ZURICH", 1.0, 1.0),
    ("Acme Corp.", "Acme Corp", 1.0, 1.0),
    ("Boston", "Paris", 0.0, 0.4),
    ("", "Paris", 0.0, 0.0),
])
def test_name_similarity(a: str, b: str, low: float, high: float) -> None:
    assert low <= name_similarity(a, b) <= high
    assert name_similarity(a, b) == name_similarity(b, a)
