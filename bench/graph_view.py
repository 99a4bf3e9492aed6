"""The graph view at 10,000 nodes / 20,000 edges, offscreen, in one run (seconds, ms/frame):

    QT_QPA_PLATFORM=offscreen python bench/graph_view.py [--nodes N] [--edges M] [--frames F]
        [--png PICTURE]

A generated knowledge graph (planted communities, four entity types, one mention per
relation end, seeded) goes through what the app does: `KnowledgeGraph` + analytics + layout
(the worker's `load_work` steps), `GraphState.set_data`, the scene build, then F frames of
zooming and F of panning (each a synchronous `viewport().repaint()`), frames zoomed in,
a type filter, a size-metric change and label placement. Timings are printed, never
asserted. Wall times swing with the machine's load (CPU time is printed beside them: the
drawing is single-threaded, so it is the fairer figure on a shared machine).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from kg.records import (  # noqa: E402 - after the path is set
    DocumentRecord,
    EntityRecord,
    MentionRecord,
    ModelRecord,
    RelationRecord,
    SentenceRecord,
    Snapshot,
)

if TYPE_CHECKING:
    from desktop.state.graph_data import GraphData

T = TypeVar("T")
TYPES = ("PER", "ORG", "LOC", "MISC")
LABELS = ("Work_For", "Live_In", "Located_In", "OrgBased_In")


def snapshot(n: int, m: int, seed: int = 1, per_document: int = 200) -> Snapshot:
    """`n` entities in communities of about 50, `m` relations (85% inside a community)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    size = 50
    edges: set[tuple[int, int]] = set()
    while len(edges) < m:
        u = rng.randrange(n)
        if rng.random() < 0.85:
            base = u - u % size
            v = base + rng.randrange(min(size, n - base))
        else:
            v = rng.randrange(n)
        if u != v:
            edges.add((min(u, v), max(u, v)))
    model = ModelRecord("bench@0", "rules", "generated", "2025-01-01T00:00:00+00:00")
    docs: list[DocumentRecord] = []
    sentences: list[SentenceRecord] = []
    mentions: list[MentionRecord] = []
    relations: list[RelationRecord] = []
    for i, (u, v) in enumerate(sorted(edges)):
        if i % per_document == 0:
            docs.append(DocumentRecord(f"d{len(docs)}", f"/bench/d{len(docs)}.txt",
                                       f"report {len(docs)}", "txt", "extracted"))
        doc = docs[-1].id
        sentences.append(SentenceRecord(i + 1, doc, i, 0, 20, f"entity {u} and entity {v}"))
        for node in (u, v):
            mentions.append(MentionRecord(len(mentions) + 1, doc, i + 1, 0, 8, f"entity {node}",
                                          TYPES[node % 4], 0.9, model.id, f"e{node}",
                                          "suggested"))
        relations.append(RelationRecord(i + 1, doc, i + 1, len(mentions) - 1, len(mentions),
                                        LABELS[i % 4], rng.uniform(0.3, 1.0), model.id,
                                        "suggested"))
    seen = {int(mm.entity[1:]) for mm in mentions if mm.entity}
    for node in sorted(set(range(n)) - seen):
        sid = len(sentences) + 1
        sentences.append(SentenceRecord(sid, docs[-1].id, sid, 0, 8, f"entity {node}"))
        mentions.append(MentionRecord(len(mentions) + 1, docs[-1].id, sid, 0, 8,
                                      f"entity {node}", TYPES[node % 4], 0.9, model.id,
                                      f"e{node}", "suggested"))
    entities = tuple(EntityRecord(f"e{i}", TYPES[i % 4], f"Entity {i:05d} of group {i // size}")
                     for i in range(n))
    return Snapshot(tuple(docs), tuple(sentences), (model,), entities, tuple(mentions),
                    tuple(relations))


def timed(label: str, action: Callable[[], T]) -> T:
    t, c = time.perf_counter(), time.process_time()
    result = action()
    print(f"{label:<44} {time.perf_counter() - t:8.3f} s (CPU {time.process_time() - c:.3f} s)")
    return result


def frames(label: str, count: int, step: Callable[[int], None], repaint: Callable[[], None]
           ) -> list[float]:
    """Time `count` repaints after `step(i)` each; print the median; the wall times."""
    times, cpu = [], []
    for i in range(count):
        step(i)
        t, c = time.perf_counter(), time.process_time()
        repaint()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    print(f"{label:<44} {statistics.median(times) * 1000:8.1f} ms/frame median "
          f"(max {max(times) * 1000:.0f}; CPU {statistics.median(cpu) * 1000:.1f} ms), "
          f"{count} frames")
    return times


class Step(Protocol):
    def __call__(self, label: str, action: Callable[[], T]) -> T: ...


def graph_data(nodes: int, edges: int, step: Step = timed) -> GraphData:
    """The generated graph as the worker's `load_work` makes it: graph, analytics, layout,
    search index (each step through `step`, which times it)."""
    from desktop.state.graph_data import GraphData
    from kg.graph import KnowledgeGraph
    from kg.graph.analytics import analyse
    from kg.graph.layout import compute_layout
    from kg.query.search import SearchIndex
    from nlp.progress import run

    snap = snapshot(nodes, edges)
    graph = step("KnowledgeGraph.from_snapshot", lambda: KnowledgeGraph.from_snapshot(snap))
    found = step("analytics (degree, PageRank, betweenness, Louvain)",
                 lambda: run(analyse(graph, seed=0)))
    positions = step("layout (kg.graph.layout, full)", lambda: compute_layout(graph, seed=0))
    search = step("search index", lambda: SearchIndex.of(snap))
    scores = {"degree": found.degree, "pagerank": found.pagerank,
              "betweenness": found.betweenness,
              "mentions": {e.id: float(e.mentions) for e in graph.entities()}}
    communities = {n: i for i, c in enumerate(found.communities) for n in c}
    return GraphData(graph, positions, scores, communities, search)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--edges", type=int, default=20_000)
    parser.add_argument("--frames", type=int, default=30)
    parser.add_argument("--png", type=Path, help="also save a picture of the whole graph here")
    args = parser.parse_args()

    from desktop.qt.app import ensure_app
    from desktop.qt.graph_view import GraphView
    from desktop.state import ProjectState
    from nlp.progress import NEVER, run

    print(f"graph: {args.nodes} nodes, {args.edges} edges; Qt platform "
          f"{os.environ['QT_QPA_PLATFORM']}")
    data = graph_data(args.nodes, args.edges)

    app = ensure_app()
    with tempfile.TemporaryDirectory() as folder:
        project = ProjectState.create(Path(folder) / "bench.skein")
        view = GraphView(project)
        view.resize(1200, 800)
        view.state.stale = False  # the data is set by hand below, no load job
        view.show()
        app.processEvents()
        canvas = view.canvas
        timed("GraphState.set_data + scene build + fit", lambda: view.state.set_data(data))
        timed("  of which the scene alone (rebuild)", canvas.graph_scene.rebuild)
        canvas.fit()
        app.processEvents()
        repaint = canvas.viewport().repaint
        timed("first full frame (all nodes in view)", repaint)
        frames("zoom in/out, whole graph in view", args.frames,
               lambda i: canvas.zoom(1.1 if i % 2 else 1 / 1.1), repaint)
        frames("pan, whole graph in view", args.frames,
               lambda i: canvas.translate(5 if i % 2 else -5, 3), repaint)
        canvas.zoom(8.0)
        frames("pan, zoomed in 8x", args.frames,
               lambda i: canvas.horizontalScrollBar().setValue(
                   canvas.horizontalScrollBar().value() + (20 if i % 2 else -20)), repaint)
        timed("label placement (zoomed in)", canvas.refresh_labels)
        canvas.fit()
        timed("label placement (whole graph)", canvas.refresh_labels)
        print(f"  labels drawn: {len(canvas.graph_scene.labels)}")
        picture = timed("grab() of the whole view", view.grab)
        if args.png is not None:
            picture.save(str(args.png))
        timed("filter: PER and ORG only", lambda: view.state.set_types({"PER", "ORG"}))
        print(f"  visible: {len(view.state.visible.visible_nodes())} nodes, "
              f"{len(view.state.visible.visible_edges())} edges")
        timed("filter: all types again", lambda: view.state.set_types(None))
        timed("size by PageRank", lambda: view.state.set_size_by("pagerank"))
        timed("colour by community", lambda: view.state.set_colour_by("community"))
        timed("search + select + centre", lambda: view.state.search("Entity 04321"))
        a, b = view.state.visible.node_ids[0], view.state.visible.node_ids[-1]
        view.state.select(a)
        view.state.select(b, add=True)
        path = timed("shortest path (visible edges)", view.state.shortest_path)
        print(f"  path: {len(path) if isinstance(path, tuple) else 0} nodes")
        g = view.state.relayout_input()
        timed("relayout (visible part)", lambda: run(view.state.relayout_work(g, NEVER)))
        view.close()
        project.close()


if __name__ == "__main__":
    main()
