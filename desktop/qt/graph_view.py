"""The graph view (a dock): toolbar, canvas and a side panel with the selected node's details
or the selected edge's evidence sentences. It loads the graph through the worker the first
time it is shown, and again when the project changed while it was open.

Right-click on a node: show mentions, expand neighbours, hide, pin, shortest path to the
other selected node, and (when `kg.resolve` exists) merge or split entities.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.qt import plain
from desktop.qt.graph_canvas import GraphCanvas
from desktop.qt.graph_toolbar import GraphToolbar
from desktop.qt.job_strip import JobStrip
from desktop.qt.worker import Job, MakeWork
from desktop.state import ProjectState, graph_resolve
from desktop.state.events import Event, Subscriptions
from desktop.state.graph_state import (
    DATA,
    FOCUS,
    HOVER,
    SELECTION,
    STYLE,
    VISIBLE,
    GraphState,
)
from desktop.state.graph_text import edge_title, evidence_text, hint, links
from desktop.state.text import error_message

CHANGE_EVENTS = ("documents_changed", "counts_changed")
"""`ProjectState` events after which the graph is read again (when shown)."""


class GraphView(QWidget):
    def __init__(self, project_state: ProjectState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = GraphState(project_state)
        self._subs = Subscriptions()
        self._dirty = False
        self._note = ""
        """Said after the graph is read again (what a resolution run did)."""
        self.tools = GraphToolbar(self.state, self)
        self.canvas = GraphCanvas(self.state, self)
        self.details = plain.label("", self)
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.evidence_list = QListWidget(self)
        self.evidence_list.setWordWrap(True)
        self.evidence_list.setAlternatingRowColors(True)
        self.evidence_list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.strip = JobStrip(self)
        self.message, self.cancel_button = self.strip.message, self.strip.cancel_button
        self.progress = self.strip.progress
        side = QWidget(self)
        column = QVBoxLayout(side)
        column.setContentsMargins(4, 0, 0, 0)
        column.addWidget(self.details)
        column.addWidget(self.evidence_list, 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.canvas)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([700, 260])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.addWidget(self.tools)
        layout.addWidget(split, 1)
        layout.addWidget(self.strip)

        self.tools.connect_actions(self.find_entity, self.canvas.fit, self.state_show_all,
                                   self.relayout, self.ask_export_image)
        self.cancel_button.clicked.connect(self.cancel)
        self.strip.idle.connect(self._on_done)
        self.canvas.node_menu_requested.connect(self._popup_menu)
        self.evidence_list.itemActivated.connect(self._evidence_clicked)
        self.evidence_list.itemClicked.connect(self._evidence_clicked)
        self._handlers: dict[str, Callable[[], None]] = {
            DATA: self._on_data, VISIBLE: self._on_visible,
            STYLE: lambda: self.canvas.restyle(edges=False),
            SELECTION: self._on_selection, FOCUS: self._on_focus,
            HOVER: self.canvas.update_selection,
        }
        self.bind(project_state)

    # -- binding and loading ------------------------------------------------------------------
    def bind(self, project_state: ProjectState) -> None:
        """Show the graph of `project_state` (a newly opened project)."""
        self.shutdown()
        self._subs.clear()
        self.state = GraphState(project_state)
        self.tools.bind(self.state)
        self.canvas.set_state(self.state)
        self._subs.connect(self.state.changed, self._on_change)
        for name in CHANGE_EVENTS:  # an import; an annotator's edit (where the state has it)
            event = getattr(project_state, name, None)
            if isinstance(event, Event):
                self._subs.connect(event, self._project_changed)
        self._subs.connect(project_state.colours_changed, lambda: self.canvas.restyle())
        self._on_selection()
        if self.isVisible():
            self.ensure_loaded()

    def _on_change(self, aspect: str) -> None:
        self._handlers[aspect]()

    def _project_changed(self) -> None:
        self.state.stale = True
        self._dirty = self.job is not None
        if self.isVisible():
            self.ensure_loaded()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.ensure_loaded()

    def ensure_loaded(self) -> Job | None:
        """Load (or reload) the graph when it is stale; the job, or None when not needed."""
        if not self.state.stale or self.job is not None:
            return None
        self._dirty = False
        return self._start(self.state.load_work, "graph", self.state.set_data,
                           "Reading the graph…")

    def relayout(self) -> Job | None:
        if self.job is not None or self.state.data is None:
            return None
        g, state = self.state.relayout_input(), self.state
        return self._start(lambda cancel: state.relayout_work(g, cancel), "graph layout",
                           state.set_positions, "Laying out…")

    @property
    def job(self) -> Job | None:
        """The long work running now (one at a time)."""
        return self.strip.job

    def _start(self, make: MakeWork, name: str, on_result: Callable[[Any], None],
               text: str) -> Job:
        job = self.strip.prepare(make, name, text)
        job.finished.connect(on_result)
        job.cancelled.connect(lambda _: self.message.setText("Cancelled"))
        job.start()
        return job

    def _on_done(self) -> None:
        if self._dirty:
            self._project_changed()

    def cancel(self) -> None:
        self.strip.cancel()

    def shutdown(self) -> None:
        """Stop a running job and wait for it (the project is closing or changing)."""
        self.strip.shutdown()

    # -- rendering state changes --------------------------------------------------------------
    def _on_data(self) -> None:
        self.canvas.rebuild()
        self.tools.sync()
        self._on_selection()
        data = self.state.data
        if data is not None and not self.state.message:
            stats, communities = data.graph.stats(), len(set(data.communities.values()))
            self.message.setText(f"{stats.entities} entities · {stats.relations} relations · "
                                 f"{communities} communities{self._note}")
        self._note = ""

    def _on_visible(self) -> None:
        self.canvas.update_visibility()
        self._on_selection()

    def _on_focus(self) -> None:
        if self.state.focus is not None:
            self.canvas.centre_on(self.state.focus)

    def _on_selection(self) -> None:
        self.canvas.update_selection()
        state = self.state
        self.evidence_list.clear()
        if state.message:  # a note about the last request: shown once
            self.message.setText(state.message)
            state.message = ""
        if state.data is None:
            self.details.setText(hint(state))
            return
        if state.selected_edge is not None:
            found = state.evidence()
            self.details.setText(edge_title(state, found))
            for ev in found:
                item = QListWidgetItem(evidence_text(ev))
                item.setData(Qt.ItemDataRole.UserRole, ev)
                item.setToolTip(plain.tooltip(ev.document_source))
                self.evidence_list.addItem(item)
        else:
            self.details.setText(hint(state))
            if len(state.selected) == 1:
                for edge, text in links(state, state.selected[0]):
                    item = QListWidgetItem(text)
                    item.setData(Qt.ItemDataRole.UserRole, edge)
                    item.setToolTip("Click to see the sentences behind it")
                    self.evidence_list.addItem(item)

    # -- user intent --------------------------------------------------------------------------
    def find_entity(self) -> str | None:
        return self.state.search(self.tools.search.text())

    def state_show_all(self) -> None:
        self.state.show_all()

    def _evidence_clicked(self, item: QListWidgetItem) -> None:
        """An evidence row: show its sentence in the text; a link row: select that edge."""
        data = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(data, tuple | list):  # Qt may hand a Python tuple back as a list
            self.state.select_edge((str(data[0]), str(data[1])))
        elif data is not None:
            self.state.show_evidence(data)

    def _popup_menu(self, node: str, where: QPoint) -> None:
        self.node_menu(node or None).popup(where)

    def node_menu(self, node: str | None) -> QMenu:
        """The context menu for `node` (None: empty canvas)."""
        state, menu = self.state, QMenu(self)
        menu.setToolTipsVisible(True)
        if node is not None:
            name = _short(state.entity(node).name)
            menu.addAction("Show mentions", lambda: state.show_mentions(node))
            menu.addAction("Expand neighbours", lambda: state.expand(node))
            menu.addAction("Hide", lambda: state.hide(node))
            pin = menu.addAction("Pinned", lambda: state.pin(node, node not in state.pinned))
            pin.setCheckable(True)
            pin.setChecked(node in state.pinned)
            other = next((n for n in reversed(state.selected) if n != node), None)
            target = _short(state.entity(other).name) if other else "the other selected node"
            path = menu.addAction(f"Shortest path to {target}",
                                  lambda: self._path(other, node) if other else None)
            path.setEnabled(other is not None)
            menu.addSeparator()
            module = graph_resolve.resolution()
            merge = menu.addAction(f"Merge with {target}",
                                   lambda: self._resolve(
                                       lambda: graph_resolve.merge(state, node, other or "")))
            split = menu.addAction(f"Split {name} from its merged entities",
                                   lambda: self._resolve(
                                       lambda: graph_resolve.split(state, node)))
            merge.setEnabled(module is not None and other is not None)
            split.setEnabled(module is not None)
            if module is None:
                merge.setToolTip(graph_resolve.NO_RESOLUTION)
                split.setToolTip(graph_resolve.NO_RESOLUTION)
            menu.addSeparator()
        menu.addAction("Show all hidden", state.show_all)
        menu.addAction("Fit to window", self.canvas.fit)
        menu.addSeparator()
        again = menu.addAction("Resolve entities again", self.resolve_entities)
        again.setToolTip("Find entities that are one thing across the project, asking the "
                         "encoder about open pairs; people's merges and splits tune its "
                         "threshold")
        again.setEnabled(graph_resolve.resolution() is not None and self.job is None)
        return menu

    def resolve_entities(self) -> Job | None:
        """Run entity resolution again in the background (`graph_resolve.resolve_work`)."""
        if self.job is not None or graph_resolve.resolution() is None:
            return None
        state = self.state
        return self._start(lambda cancel: graph_resolve.resolve_work(state, cancel),
                           "resolve", self._resolved, "Resolving entities…")

    def _resolved(self, report: object) -> None:
        text = graph_resolve.describe(report)
        self.message.setText(text)
        self._note = f" · resolved: {text}"  # kept when the graph is read again
        self.state.project_state.refresh()  # merges change counts; the graph is stale

    def _path(self, a: str, b: str) -> None:
        self.state.select(a)
        self.state.select(b, add=True)
        self.state.shortest_path()

    def _resolve(self, action: Callable[[], object]) -> None:
        try:
            action()
        except Exception as e:  # kg.resolve refuses with a reason: show it
            self.message.setText(error_message(e))
            return
        self.state.project_state.refresh()  # counts change; the graph reads the project again

    def ask_export_image(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(
            self, "Export image", "graph.png", "PNG image (*.png);;SVG drawing (*.svg)")
        if path:
            target = Path(path)
            if not target.suffix:
                target = target.with_suffix(".svg" if "svg" in chosen.lower() else ".png")
            self.export_image(target)

    def export_image(self, path: Path) -> bool:
        ok = self.canvas.export_image(path)
        self.message.setText(f"Saved {path.name}" if ok else f"Could not write {path}")
        return ok


def _short(name: str, limit: int = 30) -> str:
    name = " ".join(name.split())
    return name if len(name) <= limit else name[: limit - 1] + "…"
