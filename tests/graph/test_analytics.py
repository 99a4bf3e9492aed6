"""Analytics on graphs with known answers, and against networkx where it has one."""

from __future__ import annotations

import networkx as nx
import pytest
from graph_samples import from_edges

from kg.graph import KnowledgeGraph
from kg.graph import analytics as an
from kg.graph.model import projection
from nlp.progress import Cancelled, CancelToken, Progress, run


def _graph(edges: list[tuple[str, str]], nodes: tuple[str, ...] = ()) -> KnowledgeGraph:
    return KnowledgeGraph.from_snapshot(from_edges(edges, nodes))


def _cliques() -> KnowledgeGraph:
    """Two 5-cliques, a0..a4 and b0..b4, joined by the bridge a4 - b0; two loners."""
    edges = [(f"{c}{i}", f"{c}{j}") for c in "ab" for i in range(5) for j in range(i + 1, 5)]
    return _graph([*edges, ("a4", "b0"), ("a4", "b0")], nodes=("z1", "z2"))


def test_the_centre_of_a_star_ranks_first() -> None:
    kg = _graph([("hub", f"leaf {i}") for i in range(8)] + [("leaf 0", "leaf 1")])
    assert an.top(an.pagerank(kg), 1)[0][0] == "hub"
    assert an.top(an.degree_centrality(kg), 1) == [("hub", 1.0)]
    assert an.top(an.betweenness(kg), 1)[0][0] == "hub"
    assert sum(an.pagerank(kg).values()) == pytest.approx(1.0)
    inward = _graph([(f"leaf {i}", "hub") for i in range(8)])
    assert an.top(an.pagerank(inward, directed=True), 1)[0][0] == "hub"
    outward = _graph([("hub", f"leaf {i}") for i in range(8)])
    assert an.top(an.pagerank(outward, directed=True), 1)[0][0] != "hub"
    assert an.ranked(kg, an.pagerank(kg), 2)[0] == {
        "id": "hub", "name": "name hub", "type": "PER", "score": an.pagerank(kg)["hub"]}


def test_bridges_communities_and_components_of_two_cliques() -> None:
    kg = _cliques()
    assert {v for v, _ in an.top(an.betweenness(kg), 2)} == {"a4", "b0"}
    found = an.communities(kg, seed=3)
    assert found.communities[:2] == [[f"a{i}" for i in range(5)], [f"b{i}" for i in range(5)]]
    assert found.communities[2:] == [["z1"], ["z2"]]
    assert found.modularity == pytest.approx(
        nx.community.modularity(projection(kg), found.communities, weight="weight"))
    assert found.modularity > 0.4
    assert an.components(kg) == [sorted(f"{c}{i}" for c in "ab" for i in range(5)),
                                 ["z1"], ["z2"]]
    assert projection(kg)["a4"]["b0"]["weight"] == 2  # two supporting relations
    assert an.communities(kg, seed=3) == found  # seeded: the same every time


def test_betweenness_matches_networkx_exact_and_sampled() -> None:
    g = nx.gnm_random_graph(120, 200, seed=7)
    g.add_edges_from([(200 + i, 201 + i) for i in range(90)])  # a long path: > 64 levels
    kg = _graph([(f"n{u}", f"n{v}") for u, v in g.edges()])
    proj = projection(kg)
    exact = an.betweenness(kg)
    ref = nx.betweenness_centrality(proj)
    assert exact == pytest.approx(ref, abs=1e-12)
    sampled = run(an.betweenness_work(kg, k=40, seed=5))
    assert sampled.sources == 40
    assert sampled.scores == pytest.approx(
        nx.betweenness_centrality(proj, k=40, seed=5), abs=1e-12)
    assert an.betweenness(_graph([("a", "b")])) == {"a": 0.0, "b": 0.0}


def test_analyse_is_long_work_that_can_be_cancelled() -> None:
    kg = _cliques()
    steps: list[Progress] = []
    result = run(an.analyse(kg, seed=1), steps.append)
    assert [s.message for s in steps if s.stage == "analytics"] == [*an.METRICS, "done"]
    assert result.betweenness_sources is None and len(result.components) == 3
    assert set(result.seconds) == set(an.METRICS)
    assert result.as_dict()["modularity"] == result.modularity
    assert result.pagerank == an.pagerank(kg)

    cancel = CancelToken()
    work = an.analyse(kg, cancel=cancel)
    next(work)
    cancel.cancel()
    with pytest.raises(Cancelled):
        next(work)

    empty = run(an.analyse(KnowledgeGraph()))
    assert empty.components == [] and empty.communities == [] and empty.pagerank == {}


def test_betweenness_is_sampled_above_the_exact_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(an, "EXACT_LIMIT", 50)
    monkeypatch.setattr(an, "SAMPLE_K", 20)
    g = nx.gnm_random_graph(80, 160, seed=2)
    kg = _graph([(f"n{u}", f"n{v}") for u, v in g.edges()])
    found = run(an.betweenness_work(kg, seed=9))
    assert found.sources == 20
    assert found.scores == pytest.approx(
        nx.betweenness_centrality(projection(kg), k=20, seed=9), abs=1e-12)
    assert run(an.analyse(kg, seed=9)).betweenness_sources == 20
    assert run(an.betweenness_work(kg, k=200)).sources is None  # k >= n: exact


def test_results_do_not_depend_on_the_order_the_graph_was_built_in() -> None:
    kg = _cliques()
    kg2 = KnowledgeGraph.from_snapshot(from_edges(
        list(reversed([(r.head, r.tail) for r in kg.relations()])), nodes=("z2", "z1")))
    assert run(an.analyse(kg2, seed=4)).communities == run(an.analyse(kg, seed=4)).communities
    assert an.betweenness(kg2, k=5, seed=1) == an.betweenness(kg, k=5, seed=1)
