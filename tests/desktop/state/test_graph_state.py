"""The graph view's Qt-free state on a real project (rule-based build) and on small
hand-made graphs: loading, filters, hide/expand/pin, search, paths, evidence, the document
view's focus, sizes, colours and label placement."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.state import ProjectState
from desktop.state.graph_data import GraphData
from desktop.state.graph_resolve import merge, resolution, user_of
from desktop.state.graph_state import (
    DATA,
    FOCUS,
    SELECTION,
    STYLE,
    VISIBLE,
    GraphState,
)
from desktop.state.graph_style import (
    COMMUNITY_COLOURS,
    R_MAX,
    R_MIN,
    LabelBox,
    node_colour,
    place_labels,
    radii,
)
from desktop.state.graph_text import edge_title, evidence_text, hint, links, node_text
from desktop.state.graph_visible import pair
from kg.graph import KnowledgeGraph
from kg.graph.analytics import analyse
from kg.graph.layout import compute_layout
from kg.query.search import SearchIndex
from kg.records import (
    DocumentRecord,
    EntityRecord,
    MentionRecord,
    ModelRecord,
    RelationRecord,
    SentenceRecord,
    Snapshot,
)
from nlp.progress import NEVER, run


@pytest.fixture(scope="module")
def loaded(template_project: Path, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[tuple[ProjectState, GraphData]]:
    """One copy of the test project, opened and read once for the tests that only read it."""
    path = tmp_path_factory.mktemp("graph-state") / "demo.skein"
    shutil.copyfile(template_project, path)
    ps = ProjectState.open(path)
    yield ps, run(GraphState(ps).load_work(NEVER))
    ps.close()


@pytest.fixture
def state(loaded: tuple[ProjectState, GraphData]) -> GraphState:
    ps, data = loaded
    gs = GraphState(ps)
    gs.set_data(data)
    return gs


def node(state: GraphState, name: str) -> str:
    return next(n for n in state.visible.node_ids if state.entity(n).name == name)


def chain_data(edges: list[tuple[str, str, float]], lonely: tuple[str, ...] = ()) -> GraphData:
    """A one-document graph: an entity per name, a relation per edge (with its confidence)."""
    model = ModelRecord("m@1", "rules", "test", "2025-01-01T00:00:00+00:00")
    names = sorted({n for e in edges for n in e[:2]} | set(lonely))
    doc = DocumentRecord("d", "/d.txt", "d", "txt", "extracted")
    sentences, mentions, relations = [], [], []
    first: dict[str, int] = {}
    for i, name in enumerate(names):
        sentences.append(SentenceRecord(i + 1, "d", i, 0, 1, name))
        mentions.append(MentionRecord(i + 1, "d", i + 1, 0, 1, name, "PER", 0.9, model.id,
                                      f"e-{name}", "suggested"))
        first[name] = i + 1
    for k, (a, b, conf) in enumerate(edges):
        relations.append(RelationRecord(k + 1, "d", first[a], first[a], first[b], "Live_In",
                                        conf, model.id, "suggested"))
    snap = Snapshot((doc,), tuple(sentences), (model,),
                    tuple(EntityRecord(f"e-{n}", "PER", n) for n in names), tuple(mentions),
                    tuple(relations))
    graph = KnowledgeGraph.from_snapshot(snap)
    found = run(analyse(graph))
    scores = {"degree": found.degree, "pagerank": found.pagerank,
              "betweenness": found.betweenness,
              "mentions": {e.id: float(e.mentions) for e in graph.entities()}}
    return GraphData(graph, compute_layout(graph), scores,
                     {n: i for i, c in enumerate(found.communities) for n in c},
                     SearchIndex.of(snap))


def test_loads_the_project_graph(state: GraphState) -> None:
    graph = KnowledgeGraph.load(state.project_state.project)
    v = state.visible
    assert set(v.visible_nodes()) == {e.id for e in graph.entities()}
    pairs = {pair(r.head, r.tail) for r in graph.relations() if r.head != r.tail}
    assert set(v.visible_edges()) == pairs and pairs
    assert not state.stale and state.data is not None
    assert set(state.data.scores) == {"degree", "pagerank", "betweenness", "mentions"}
    for n in v.node_ids:  # positions fill the scene frame
        x, y = v.xy(n)
        assert abs(x) <= v.scale * 1.001 and abs(y) <= v.scale * 1.001


def test_type_filter_hides_other_types_and_their_edges(state: GraphState) -> None:
    seen: list[str] = []
    state.changed.connect(seen.append)
    state.set_types({"PER"})
    shown = state.visible.visible_nodes()
    assert shown and all(state.entity(n).label == "PER" for n in shown)
    assert {n for n in state.visible.node_ids if state.entity(n).label == "PER"} == set(shown)
    assert all(a in shown and b in shown for a, b in state.visible.visible_edges())
    assert node(state, "London") not in shown
    state.set_types(None)
    assert len(state.visible.visible_nodes()) == len(state.visible.node_ids)
    assert seen == [VISIBLE, VISIBLE]


def test_confidence_filters_relations_not_entities(state: GraphState) -> None:
    macron, paris = node(state, "Emmanuel Macron"), node(state, "Paris")
    assert state.visible.edge_visible((macron, paris))  # Live_In, confidence 0.4
    state.set_min_confidence(0.45)
    assert not state.visible.edge_visible((macron, paris))
    assert state.visible.is_visible(macron) and state.visible.is_visible(paris)
    john, acme = node(state, "John Smith"), node(state, "Acme Corp")
    assert state.visible.edge_visible((john, acme))  # 0.55
    state.select_edge((john, acme))
    state.set_min_confidence(0.6)
    assert state.selected_edge is None and not state.visible.edge_visible((john, acme))


def test_document_filter(state: GraphState) -> None:
    alpha = next(d.id for d in state.project_state.documents if d.title == "alpha")
    state.set_document(alpha)
    shown = {state.entity(n).name for n in state.visible.visible_nodes()}
    assert "Emmanuel Macron" in shown and "John Smith" not in shown
    assert all(alpha in state.entity(n).documents for n in state.visible.visible_nodes())


def test_hide_expand_show_all_and_pin(state: GraphState) -> None:
    john, acme, london = (node(state, n) for n in ("John Smith", "Acme Corp", "London"))
    state.pin(john)
    state.hide(john)
    assert not state.visible.is_visible(john) and john not in state.pinned
    assert not state.visible.edge_visible((john, acme))
    state.set_types({"ORG"})
    assert state.visible.visible_nodes() == [acme] or acme in state.visible.visible_nodes()
    new = state.expand(acme)  # its neighbours come back, whatever the filters
    assert set(new) == {john, london}
    assert state.visible.edge_visible((john, acme)) and state.visible.edge_visible((acme, london))
    assert state.message == "2 more shown"
    state.show_all()
    assert not state.visible.is_visible(london)  # the type filter still holds
    state.set_types(None)
    assert state.visible.is_visible(john)
    state.pin(london)
    assert london in state.pinned and "pinned" in node_text(state, london)


def test_search_selects_reveals_and_focuses(state: GraphState) -> None:
    seen: list[str] = []
    state.changed.connect(seen.append)
    london = node(state, "London")
    state.hide(london)
    found = state.search("londo")
    assert found == london and state.selected == (london,) and state.focus == london
    assert state.visible.is_visible(london)  # a search shows what it finds
    assert seen[-2:] == [SELECTION, FOCUS]
    assert state.search("no such entity xyz") is None
    assert "no entity matches" in state.message and state.selected == (london,)


def test_two_selected_nodes_and_the_shortest_path() -> None:
    ps_less = GraphState(_NoProject())  # type: ignore[arg-type]  # no project: set_data only
    ps_less.set_data(chain_data([("a", "b", 0.9), ("b", "c", 0.9), ("c", "d", 0.9),
                                 ("a", "d", 0.2)], lonely=("z",)))
    a, d, z = "e-a", "e-d", "e-z"
    ps_less.select(a)
    ps_less.select(d, add=True)
    assert ps_less.shortest_path() == (a, d)  # the direct edge
    ps_less.set_min_confidence(0.5)  # drops it: three steps now
    ps_less.select(a)
    ps_less.select(d, add=True)
    assert ps_less.shortest_path() == (a, "e-b", "e-c", d)
    assert ps_less.message == "path of 3 steps"
    assert "Path: a → b → c → d" in hint(ps_less)
    ps_less.hide("e-c")
    assert ps_less.path == ()  # a hidden node breaks the highlighted path
    ps_less.select(a)
    ps_less.select(z, add=True)
    assert ps_less.shortest_path() == () and "no path between a and z" in ps_less.message
    ps_less.select(a)
    assert ps_less.shortest_path() == () and "select two" in ps_less.message


class _NoProject:
    """Stands in for a ProjectState where a test needs none (only `dark` is read)."""

    dark = False


def test_edge_evidence_and_texts(state: GraphState) -> None:
    john, acme = node(state, "John Smith"), node(state, "Acme Corp")
    state.select_edge((acme, john))
    assert state.selected_edge == pair(john, acme)
    (ev,) = state.evidence()
    assert ev.label == "Work_For" and ev.model == "rule-baseline@0.1"
    assert "John Smith works for Acme Corp" in ev.sentence_text
    assert ev.confidence == pytest.approx(0.55)
    text = evidence_text(ev)
    assert ev.sentence_text.strip() in text and "confidence 0.55" in text
    assert edge_title(state, [ev]).startswith("John Smith — Work_For → Acme Corp")


def test_links_of_a_node(state: GraphState) -> None:
    john, acme, london = (node(state, n) for n in ("John Smith", "Acme Corp", "London"))
    assert links(state, john) == [(pair(john, london), "→ Live_In  London"),
                                 (pair(john, acme), "→ Work_For  Acme Corp")]
    state.set_min_confidence(0.56)
    assert links(state, john) == [(pair(john, london), "→ Live_In  London")]
    assert links(state, acme) == []


def test_clicking_a_node_shows_its_mentions_in_turn(state: GraphState) -> None:
    ps = state.project_state
    john = node(state, "John Smith")
    assert state.data is not None
    mentions = state.data.graph.mentions_of(john)
    assert len(mentions) == 2 and mentions[0].document != mentions[1].document
    shown = []
    for _ in range(3):
        assert state.show_mentions(john)
        assert ps.selected is not None and ps.focused is not None
        shown.append((ps.selected.id, ps.focused.id))
    assert shown == [(m.document, m.id) for m in (*mentions, mentions[0])]
    state.select_edge((john, node(state, "Acme Corp")))
    (ev,) = state.evidence()
    assert state.show_evidence(ev)
    assert ps.focused is not None and ps.focused.id == ev.head.mention  # type: ignore[union-attr]


def test_sizes_colours_and_events(state: GraphState) -> None:
    seen: list[str] = []
    state.changed.connect(seen.append)
    state.set_size_by("mentions")
    sizes = dict(zip(state.visible.node_ids, state.radii(), strict=True))
    assert sizes[node(state, "John Smith")] == pytest.approx(R_MAX)
    assert sizes[node(state, "Paris")] < R_MAX
    state.set_colour_by("community")
    assert all(state.colour(n) in (*COMMUNITY_COLOURS, "#9a9a9a") for n in state.visible.node_ids)
    assert seen == [STYLE, STYLE]
    with pytest.raises(ValueError, match="unknown"):
        state.set_size_by("nonsense")


def test_label_candidates_put_selection_first(state: GraphState) -> None:
    state.label_count = 3
    paris = node(state, "Paris")
    state.select(paris)
    names, forced = state.label_candidates()
    assert names[0] == paris and forced == 1 and len(names) == 4
    x, y = state.visible.xy(paris)
    near, _ = state.label_candidates(within=(x - 1, y - 1, x + 1, y + 1))
    assert near == [paris]


def test_reload_keeps_positions_and_choices(state: GraphState) -> None:
    john = node(state, "John Smith")
    before = state.visible.xy(john)
    state.select(john)
    state.pin(john)
    seen: list[str] = []
    state.changed.connect(seen.append)
    state.set_data(run(state.load_work(NEVER)))
    assert state.visible.xy(john) == pytest.approx(before)  # incremental: nodes stay put
    assert state.selected == (john,) and john in state.pinned and seen == [DATA]


def test_relayout_of_the_visible_part(state: GraphState) -> None:
    state.set_types({"PER", "ORG"})
    g = state.relayout_input()
    assert set(g.nodes) == set(state.visible.visible_nodes())
    positions = run(state.relayout_work(g, NEVER))
    assert set(positions) == set(g.nodes)
    state.set_positions(positions)
    some = next(iter(positions))
    assert state.visible.xy(some) == pytest.approx(
        (positions[some][0] * state.visible.scale, positions[some][1] * state.visible.scale))


def test_style_helpers() -> None:
    assert radii({"a": 0.0, "b": 4.0, "c": 1.0}, ["a", "b", "c"]) == pytest.approx(
        [R_MIN, R_MAX, R_MIN + (R_MAX - R_MIN) * 0.5])
    assert radii({}, ["a"]) == [R_MIN]
    assert node_colour("community", "PER", 0) == COMMUNITY_COLOURS[0]
    assert node_colour("community", "PER", 99) == "#9a9a9a"
    assert node_colour("type", "PER", 0).startswith("#")
    boxes = [LabelBox("a", 0, 0, 50, 10), LabelBox("b", 10, 5, 50, 10),
             LabelBox("c", 100, 0, 20, 10), LabelBox("d", 0, 0, 5, 5)]
    assert place_labels(boxes) == ["a", "c"]
    assert place_labels(boxes, forced=2) == ["a", "b", "c"]


def test_hit_testing() -> None:
    state = GraphState(_NoProject())  # type: ignore[arg-type]
    state.set_data(chain_data([("a", "b", 0.9)], lonely=("c",)))
    v = state.visible
    (ax, ay), (bx, by) = v.xy("e-a"), v.xy("e-b")
    import numpy as np

    r = np.full(len(v), 5.0)
    assert v.node_at(ax + 3, ay, r) == "e-a"
    assert v.node_at(ax + 7, ay, r, slack=3.0) == "e-a"
    assert v.node_at(ax + 9, ay, r, slack=3.0) in (None, "e-b")
    mid = ((ax + bx) / 2, (ay + by) / 2)
    assert v.edge_at(*mid, tolerance=1.0) == ("e-a", "e-b")
    state.hide("e-b")
    assert v.edge_at(*mid, tolerance=1.0) is None and v.node_at(bx, by, r) is None


def test_entity_resolution_hook(project_path: Path) -> None:
    ps = ProjectState.open(project_path)  # its own copy: a merge writes to the project
    state = GraphState(ps)
    state.set_data(run(state.load_work(NEVER)))
    try:
        merge_or_refuse(state)
    finally:
        ps.close()


def merge_or_refuse(state: GraphState) -> None:
    module = resolution()
    if module is None:  # another part of Skein provides kg.resolve; without it, a clear error
        with pytest.raises(RuntimeError, match="entity resolution not available"):
            merge(state, node(state, "London"), node(state, "Paris"))
        return
    london, paris = node(state, "London"), node(state, "Paris")
    merge(state, london, paris)
    assert state.stale
    ((user,),) = state.project_state.project.query(
        "SELECT user FROM corrections WHERE action = 'entity-merge'")
    assert user == user_of(state) == state.project_state.annotation.user
    state.set_data(run(state.load_work(NEVER)))
    names = {state.entity(n).name for n in state.visible.node_ids}
    assert "Paris" not in names or "London" not in names  # one node for both now
