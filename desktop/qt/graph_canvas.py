"""The graph canvas: a QGraphicsView over `GraphScene` with zoom (wheel, +/-, 0 fits), pan
(drag), click (node: select and show its mentions; Ctrl+click: select a second node; edge:
select it), hover (name tooltip) and a context-menu request per node. It forwards intent to
`GraphState`; the scene renders the state."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QPoint, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsView, QWidget

from desktop.qt import plain
from desktop.qt.graph_items import GraphScene
from desktop.state.graph_state import GraphState

CLICK_SLOP = 5
"""A press and release closer than this many pixels is a click, not a drag."""
PICK_PIXELS = 4.0
"""How near (in pixels) the mouse must be to a node's rim or an edge to pick it."""
MIN_ZOOM, MAX_ZOOM = 0.01, 40.0
SMOOTH_LIMIT = 2000
"""Antialiasing only while at most this many nodes are in view: in a denser view nodes are
a pixel or two wide and it would double the cost of a frame (bench/graph_view.py)."""


class GraphCanvas(QGraphicsView):
    node_menu_requested = Signal(str, QPoint)
    """(node id or "" for empty space, global position) on a right click."""

    def __init__(self, state: GraphState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.graph_scene = GraphScene(state, self)
        self.setScene(self.graph_scene)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMouseTracking(True)
        self.setMinimumSize(QSize(200, 160))
        self._press: QPoint | None = None
        self._labels = QTimer(self)
        self._labels.setSingleShot(True)
        self._labels.setInterval(40)
        self._labels.timeout.connect(self.refresh_labels)

    def set_state(self, state: GraphState) -> None:
        self.state = state
        self.graph_scene.state = state
        self.rebuild()

    # -- rendering the state ------------------------------------------------------------------
    def rebuild(self) -> None:
        self.graph_scene.rebuild()
        self.fit()

    def restyle(self, *, edges: bool = True) -> None:
        """New sizes or colours (`edges`: the theme changed, edges take its colours too)."""
        self.graph_scene.recolour_background()
        self.graph_scene.restyle(edges=edges)
        self.drop_labels()

    def update_visibility(self) -> None:
        self.graph_scene.update_visibility()
        self.schedule_labels()

    @property
    def smooth(self) -> bool:
        return bool(self.renderHints() & QPainter.RenderHint.Antialiasing)

    def update_selection(self) -> None:
        self.graph_scene.update_overlay()
        self.schedule_labels()

    def drop_labels(self) -> None:
        """Remove every label (their colours follow the theme) and place them again."""
        scene = self.graph_scene
        for item in scene.labels.values():
            scene.removeItem(item)
        scene.labels.clear()
        self.refresh_labels()

    def schedule_labels(self) -> None:
        self._labels.start()
        self._tune_quality()

    def _tune_quality(self) -> None:
        box = self.mapToScene(self.viewport().rect()).boundingRect()
        v = self.state.visible
        x, y = v.xy_array[:, 0], v.xy_array[:, 1]
        inside = v.node_shown & (x >= box.left()) & (x <= box.right()) \
            & (y >= box.top()) & (y <= box.bottom())
        smooth = int(inside.sum()) <= SMOOTH_LIMIT
        if self.smooth != smooth:
            self.setRenderHint(QPainter.RenderHint.Antialiasing, smooth)

    def refresh_labels(self) -> None:
        box = self.mapToScene(self.viewport().rect()).boundingRect()
        self.graph_scene.place_labels(box, self.viewportTransform())

    def zoom_level(self) -> float:
        return float(self.transform().m11())

    def zoom(self, factor: float) -> None:
        level = self.zoom_level()
        factor = min(max(factor, MIN_ZOOM / level), MAX_ZOOM / level)
        self.scale(factor, factor)
        self.schedule_labels()

    def fit(self) -> None:
        """Show every visible node."""
        v = self.state.visible
        xy = v.xy_array[v.node_shown] if len(v) else np.zeros((0, 2))
        if not len(xy):
            self.resetTransform()
            self.centerOn(0, 0)
        else:
            (x0, y0), (x1, y1) = xy.min(axis=0), xy.max(axis=0)
            pad = 40.0
            self.fitInView(QRectF(x0 - pad, y0 - pad, x1 - x0 + 2 * pad, y1 - y0 + 2 * pad),
                           Qt.AspectRatioMode.KeepAspectRatio)
            if self.zoom_level() > 2.0:  # one or two nodes: not huge
                self.resetTransform()
                self.scale(2.0, 2.0)
                self.centerOn((x0 + x1) / 2, (y0 + y1) / 2)
        self.schedule_labels()

    def centre_on(self, node: str) -> None:
        if node in self.state.visible.node_index:
            if self.zoom_level() < 0.6:
                self.zoom(0.6 / self.zoom_level())
            self.centerOn(*self.state.visible.xy(node))
            self.schedule_labels()

    # -- picking ------------------------------------------------------------------------------
    def node_at(self, pos: QPoint) -> str | None:
        point = self.mapToScene(pos)
        slack = PICK_PIXELS / max(self.zoom_level(), 1e-9)
        return self.state.visible.node_at(point.x(), point.y(), self.graph_scene.node_radii,
                                          slack)

    def edge_at(self, pos: QPoint) -> tuple[str, str] | None:
        point = self.mapToScene(pos)
        return self.state.visible.edge_at(point.x(), point.y(),
                                          PICK_PIXELS / max(self.zoom_level(), 1e-9))

    def click(self, pos: QPoint, modifiers: Qt.KeyboardModifier) -> None:
        """What a left click at viewport point `pos` does (see the module docstring)."""
        state = self.state
        node = self.node_at(pos)
        if node is not None:
            add = bool(modifiers & (Qt.KeyboardModifier.ControlModifier
                                    | Qt.KeyboardModifier.ShiftModifier))
            state.select(node, add=add)
            if not add:
                state.show_mentions(node)
            return
        edge = self.edge_at(pos)
        if edge is not None:
            state.select_edge(edge)
        else:
            state.select(None)

    # -- Qt events ----------------------------------------------------------------------------
    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom(1.2 ** steps)
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        actions = {
            Qt.Key.Key_Plus: lambda: self.zoom(1.25), Qt.Key.Key_Equal: lambda: self.zoom(1.25),
            Qt.Key.Key_Minus: lambda: self.zoom(0.8), Qt.Key.Key_0: self.fit,
        }
        action = actions.get(Qt.Key(event.key()))
        if action is None:
            super().keyPressEvent(event)
        else:
            action()
            event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        press, self._press = self._press, None
        pos = event.position().toPoint()
        if (event.button() == Qt.MouseButton.LeftButton and press is not None
                and (pos - press).manhattanLength() < CLICK_SLOP):
            self.click(pos, event.modifiers())
        self.schedule_labels()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        super().mouseMoveEvent(event)
        if event.buttons() != Qt.MouseButton.NoButton:
            return
        node = self.node_at(event.position().toPoint())
        if node != self.state.hovered:
            self.state.hover(node)
            if node is None:
                self.setToolTip("")
            else:
                e = self.state.entity(node)
                count = f"{e.mentions} mention{'s' * (e.mentions != 1)}"
                self.setToolTip(plain.tooltip(f"{e.name}\n{e.label} · {count}"))

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        node = self.node_at(event.pos())
        self.node_menu_requested.emit(node or "", event.globalPos())
        event.accept()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        self.schedule_labels()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.schedule_labels()

    # -- pictures -----------------------------------------------------------------------------
    def export_image(self, path: Path) -> bool:
        """What the canvas shows, as SVG (by suffix) or PNG at twice the screen's pixels."""
        size = self.viewport().size()
        source = QRectF(self.viewport().rect())
        if path.suffix.lower() == ".svg":
            from PySide6.QtSvg import QSvgGenerator

            generator = QSvgGenerator()
            generator.setFileName(str(path))
            generator.setSize(size)
            generator.setViewBox(source)
            generator.setTitle("Skein graph")
            painter = QPainter(generator)
            self.render(painter, source, source.toRect())
            painter.end()
            return path.is_file() and path.stat().st_size > 0
        image = QImage(size * 2, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(self.graph_scene.backgroundBrush().color())
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.render(painter, QRectF(image.rect()), source.toRect())
        painter.end()
        # PySide6 6.11 takes the format as str at run time; its stubs say bytes
        return bool(image.save(str(path), "PNG"))  # type: ignore[call-overload]
