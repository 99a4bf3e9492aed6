"""The desktop app's figures in one run, in a real window (offscreen, or under xvfb-run):

    python bench/app_startup.py [--json] [--project P.skein] [--nodes N] [--edges M]
    xvfb-run -a python bench/app_startup.py

1. cold start: a fresh Python process (what `skein app` runs) from its start to the main
   window shown on the sample project with the most-mentioned document highlighted, then
   to the graph view loaded (worker: graph, analytics, layout) and painted;
2. opening the largest sample document (most characters) in the document view: text,
   highlights, relation marks, mentions and relations lists, one painted frame;
3. frames per second panning a generated 10,000-node / 20,000-edge graph in the graph view
   (`bench/graph_view.py`'s graph and frames: whole graph in view, then zoomed in 8x).

The sample project is built first if needed (not timed). Timings are printed, never
asserted; they swing with the machine's load.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

T0_ENV = "SKEIN_BENCH_T0"


def _pump_until(done: Any, seconds: float = 600.0) -> bool:
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + seconds
    while not done() and time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.002)
    return bool(done())


def cold_child(project: Path) -> dict[str, Any]:
    """In the fresh process: open the window as `skein app` does, time each stage from
    the process's start (the parent's clock, passed in the environment)."""
    t0 = float(os.environ[T0_ENV])
    from desktop.qt.app import ensure_app, make_window

    ensure_app()
    window = make_window(project)
    window.show()
    view = window.document_view.text
    _pump_until(lambda: window.isVisible() and view.viewport().isVisible())
    view.viewport().repaint()
    shown, shown_cpu = time.time() - t0, time.process_time()
    graph = window.analysis.show_graph()
    _pump_until(lambda: graph.job is None and graph.state.data is not None)
    graph.canvas.viewport().repaint()
    loaded = time.time() - t0
    from PySide6.QtGui import QGuiApplication

    out = {"window_s": shown, "window_cpu_s": shown_cpu, "graph_s": loaded,
           "platform": QGuiApplication.platformName(),
           "document": window.state.selected.title if window.state.selected else None,
           "mentions": len(window.state.mentions), "entities": len(graph.state.visible)}
    window.close()
    return out


def cold_start(project: Path) -> dict[str, Any]:
    env = dict(os.environ)
    env[T0_ENV] = repr(time.time())
    done = subprocess.run([sys.executable, __file__, "--child", str(project)], env=env,
                          capture_output=True, text=True, check=True, timeout=900)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def largest_document(project: Path) -> dict[str, Any]:
    """Open the sample project, show another document, then time opening the largest."""
    from desktop.qt.app import make_window

    window = make_window(project)
    window.resize(1440, 900)
    window.show()
    state = window.state
    _pump_until(lambda: window.isVisible())
    rows = state.project.query("SELECT id, length(text) FROM documents WHERE status ="
                               " 'extracted' ORDER BY length(text) DESC")
    largest, chars = str(rows[0][0]), int(rows[0][1])
    other = next((str(r[0]) for r in rows[1:]), None)
    times = []
    for _ in range(3):
        state.select(other)
        _pump_until(lambda: True)
        t = time.perf_counter()
        state.select(largest)  # text, highlights, marks, both lists: synchronous
        window.document_view.text.viewport().repaint()
        times.append(time.perf_counter() - t)
    out = {"open_s": times[0], "open_again_s": statistics.median(times[1:]),
           "document": state.selected.title if state.selected else None, "chars": chars,
           "mentions": len(state.mentions), "relations": len(state.relations)}
    window.close()
    return out


def graph_fps(nodes: int, edges: int, count: int) -> dict[str, Any]:
    from bench.graph_view import frames, graph_data
    from desktop.qt.app import ensure_app
    from desktop.qt.graph_view import GraphView
    from desktop.state import ProjectState

    def quiet(label: str, action: Any) -> Any:
        return action()

    data = graph_data(nodes, edges, quiet)
    app = ensure_app()
    with tempfile.TemporaryDirectory() as folder:
        project = ProjectState.create(Path(folder) / "bench.skein")
        view = GraphView(project)
        view.resize(1200, 800)
        view.state.stale = False  # the data is set by hand, no load job
        view.show()
        app.processEvents()
        view.state.set_data(data)
        canvas = view.canvas
        canvas.fit()
        app.processEvents()
        cpu: list[float] = []

        def repaint() -> None:  # CPU time too: the fairer figure on a busy machine
            c = time.process_time()
            canvas.viewport().repaint()
            cpu.append(time.process_time() - c)

        with contextlib.redirect_stdout(sys.stderr):  # its lines are a log, not the result
            whole, zoomed = _pan(canvas, count, repaint, frames)
        view.close()
        project.close()
    return {"nodes": nodes, "edges": edges, "frames": count,
            "fps_whole": 1 / statistics.median(whole), "fps_zoomed": 1 / statistics.median(zoomed),
            "fps_whole_cpu": 1 / max(statistics.median(cpu[:count]), 1e-6),
            "fps_zoomed_cpu": 1 / max(statistics.median(cpu[count:]), 1e-6)}


def _pan(canvas: Any, count: int, repaint: Any, frames: Any) -> tuple[list[float], list[float]]:
    whole = frames("pan, whole graph in view", count,
                   lambda i: canvas.translate(5 if i % 2 else -5, 3), repaint)
    canvas.zoom(8.0)
    bar = canvas.horizontalScrollBar()
    zoomed = frames("pan, zoomed in 8x", count,
                    lambda i: bar.setValue(bar.value() + (20 if i % 2 else -20)), repaint)
    return whole, zoomed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--project", type=Path, help="a project (default: the sample)")
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--edges", type=int, default=20_000)
    parser.add_argument("--frames", type=int, default=30)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(cold_child(args.child)))
        return 0

    settings = tempfile.TemporaryDirectory(prefix="skein-bench-")
    os.environ["SKEIN_SETTINGS"] = str(Path(settings.name) / "settings.ini")
    project = args.project
    if project is None:
        from desktop.sample import ensure_sample_project
        from nlp.progress import run

        project = run(ensure_sample_project())
    log = sys.stderr if args.json else sys.stdout
    cold = cold_start(project)
    print(f"cold start to window (sample project, {cold['document']}, "
          f"{cold['mentions']} mentions)   {cold['window_s']:6.2f} s "
          f"(CPU {cold['window_cpu_s']:.2f} s)", file=log)
    print(f"cold start to graph loaded ({cold['entities']} entities)"
          f"{'':>24}{cold['graph_s']:6.2f} s", file=log)
    doc = largest_document(project)
    print(f"open the largest document ({doc['document']}, {doc['chars']} chars, "
          f"{doc['mentions']} mentions)  {doc['open_s']:6.3f} s (again "
          f"{doc['open_again_s']:.3f} s)", file=log)
    fps = graph_fps(args.nodes, args.edges, args.frames)
    print(f"graph {args.nodes} nodes / {args.edges} edges: pan {fps['fps_whole']:.1f} fps "
          f"whole graph in view, {fps['fps_zoomed']:.1f} fps zoomed in (by CPU time: "
          f"{fps['fps_whole_cpu']:.1f} / {fps['fps_zoomed_cpu']:.1f} fps)", file=log)
    if args.json:
        from PySide6.QtGui import QGuiApplication

        print(json.dumps({"platform": QGuiApplication.platformName(),
                          "cold_start": cold, "largest_document": doc, "graph": fps},
                         indent=2))
    settings.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
