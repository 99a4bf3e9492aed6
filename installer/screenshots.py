"""Screenshots of the desktop app on the sample project, in the light and the dark theme:
the main window, the graph view (the most central entity selected), the SPARQL panel
with the results of an example query, the Embeddings panel (predicted links) and the
Model & training panel (`--scene NAME` shoots only some).

    xvfb-run -a .venv/bin/python installer/screenshots.py --out screenshots/
    QT_QPA_PLATFORM=offscreen .venv/bin/python installer/screenshots.py --out screenshots/

The sample project is built on first use (or reused) at $SKEIN_SAMPLE_PROJECT, else in
the user's data folder. The app's settings go to a temporary file, never the user's.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))


def _progress(step: object) -> None:
    done, total, message = (getattr(step, k) for k in ("done", "total", "message"))
    print(f"  sample project: {done}/{total} {message}", file=sys.stderr)


def _pump(seconds: float) -> None:
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.02)


def _wait_for(done: Callable[[], bool], seconds: float = 300.0) -> bool:
    end = time.monotonic() + seconds
    while not done() and time.monotonic() < end:
        _pump(0.1)
    return done()


def _graph(window: Any) -> str:
    """Open the graph view, wait for it, select the most central entity."""
    view = window.analysis.show_graph()
    if not _wait_for(lambda: view.job is None and view.state.data is not None):
        return "graph: not loaded in time"
    state = view.state
    if state.data is not None and len(state.visible):
        ranks, mentions = state.data.scores["pagerank"], state.data.scores["mentions"]
        top = max(state.visible.node_ids,
                  key=lambda n: (ranks.get(n, 0.0), mentions.get(n, 0.0), n))
        state.select(top)
        state.show_mentions(top)
    view.canvas.fit()
    _pump(0.5)
    return f"graph: {len(state.visible)} entities, {len(state.visible.visible_edges())} edges"


def _queries(window: Any) -> str:
    """Open the SPARQL panel and run an example query."""
    from desktop.state.query_examples import EXAMPLES

    panel = window.analysis.show_queries()
    example = next(i for i, e in enumerate(EXAMPLES) if e.name == "Most-mentioned entities")
    panel.examples.setCurrentIndex(example)
    panel.editor.setPlainText(EXAMPLES[example].text)
    panel.run()
    _wait_for(lambda: panel.job is None)
    _pump(0.3)
    return f"queries: {panel.status.text()}"


def _embeddings(window: Any) -> str:
    """Open the Embeddings panel; train a small model when the project has none (a few
    minutes at most on CPU), then show its predicted links."""
    panel = window.analysis.show_embeddings()
    if panel.state.info is None:
        panel.dim_box.setValue(32)
        panel.epochs_box.setValue(40)
        panel.train()
    else:
        panel.ensure_loaded()
    if not _wait_for(lambda: panel.job is None and panel.state.loaded is not None, 900.0):
        return "embeddings: not trained in time"
    if len(panel.state.queue) > 2:
        panel.state.select(2)
    panel.table.setFocus()
    _pump(0.5)
    return f"embeddings: {len(panel.state.queue)} predicted links"


def _training(window: Any) -> str:
    """Open the Model & training panel on the active model (its scores per type)."""
    panel = window.analysis.show_training()
    panel.ensure_loaded()
    _pump(0.5)
    return f"training: {panel.model_label.text()}"


SCENES: dict[str, Callable[[Any], str] | None] = {
    "": None, "graph": _graph, "query": _queries, "embeddings": _embeddings,
    "training": _training}
"""File name part -> what to open before the light and dark shots."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path, help="folder for the PNG files")
    parser.add_argument("--project", type=Path, help="a project to show (default: the sample)")
    parser.add_argument("--size", default="1440x900", help="window size, WIDTHxHEIGHT")
    parser.add_argument("--scene", action="append", choices=[s or "main" for s in SCENES],
                        help="only these views (repeatable; default: all)")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))

    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    settings_dir = tempfile.TemporaryDirectory(prefix="skein-shots-")
    os.environ["SKEIN_SETTINGS"] = str(Path(settings_dir.name) / "settings.ini")

    from nlp.progress import run

    if args.project is None:
        from desktop.sample import ensure_sample_project

        project = run(ensure_sample_project(), _progress)
    else:
        project = args.project

    from desktop.qt import theme
    from desktop.qt.app import ensure_app, make_window

    ensure_app()
    window = make_window(project)
    window.resize(width, height)
    window.show()
    _pump(0.5)
    state = window.state
    if state.mentions:  # show a clicked mention (one in a relation: its arrows show)
        related = {m for r in state.relations for m in (r.head, r.tail)}
        pick = next((i for i, m in enumerate(state.mentions) if m.id in related),
                    min(len(state.mentions) - 1, len(state.mentions) // 3))
        state.focus_mention(pick)
    args.out.mkdir(parents=True, exist_ok=True)
    written = []
    for scene, setup in SCENES.items():
        if args.scene and (scene or "main") not in args.scene:
            continue
        window.set_theme(theme.LIGHT, save=False)
        note = setup(window) if setup is not None else ""
        selected = state.selected.title if state.selected else "nothing"
        note = note or f"{selected}, {len(state.mentions)} mentions"
        for name in (theme.LIGHT, theme.DARK):
            window.set_theme(name, save=False)
            _pump(0.4)
            target = args.out / f"skein-{scene + '-' if scene else ''}{name}.png"
            if not window.grab().save(str(target)):
                print(f"could not write {target}", file=sys.stderr)
                return 1
            written.append((target, note))
    window.close()
    settings_dir.cleanup()
    for path, note in written:
        print(f"wrote {path} ({note})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
