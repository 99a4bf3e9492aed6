"""The graph view's scene: what a `GraphState` looks like as QGraphicsItems.

Kept cheap at 10,000 nodes and 20,000 edges:

* one plain `QGraphicsEllipseItem` per node (not subclassed, so Qt paints it without
  calling Python), created once per data load; filters only toggle `setVisible`;
* edges as a few `QGraphicsPathItem`s, each holding up to `EDGE_BATCH` lines that lie near
  each other (sorted by the grid cell of their midpoint), so zoomed-in views skip the
  batches outside the viewport;
* hit testing (which node or edge is under the mouse) is done on the state's arrays, never
  with Qt's item shapes (a path item's shape is costly);
* labels only for the few nodes `GraphState.label_candidates` offers and that fit on screen
  without overlapping (`graph_style.place_labels`), drawn at a fixed pixel size.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QTransform,
)
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QStyleOptionGraphicsItem,
    QWidget,
)

from desktop.state.graph_state import GraphState
from desktop.state.graph_style import R_MIN, LabelBox, place_labels

EDGE_BATCH = 1500
Z_EDGES, Z_PATH, Z_NODES, Z_RINGS, Z_LABELS = 0.0, 1.0, 2.0, 3.0, 4.0
SELECTED_EDGE = "#e8590c"


def _cosmetic(colour: QColor, width: float = 1.0, style: Qt.PenStyle = Qt.PenStyle.SolidLine
              ) -> QPen:
    pen = QPen(colour, width, style)
    pen.setCosmetic(True)  # the same width in pixels at every zoom
    return pen


class LabelItem(QGraphicsItem):
    """A node's name at a fixed pixel size, on a translucent plate (readable over edges)."""

    def __init__(self, text: str, font: QFont, fg: QColor, bg: QColor) -> None:
        super().__init__()
        self.text = text
        self._font, self._fg, self._bg = font, fg, bg
        metrics = QFontMetricsF(font)
        width, height = metrics.horizontalAdvance(text) + 8, metrics.height() + 2
        self._rect = QRectF(-width / 2, 3, width, height)
        self._ascent = metrics.ascent()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setZValue(Z_LABELS)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._bg)
        painter.drawRoundedRect(self._rect, 3, 3)
        painter.setFont(self._font)
        painter.setPen(self._fg)
        painter.drawText(QPointF(self._rect.left() + 4, self._rect.top() + 1 + self._ascent),
                         self.text)


class NodeLayer(QGraphicsItem):
    """Every node in one item: a Python loop of `drawEllipse` over the nodes inside the exposed
    rectangle is cheaper than Qt's per-item work for 10,000 ellipse items. Outlines are drawn
    only when nodes are a few pixels wide."""

    def __init__(self) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)
        self.setZValue(Z_NODES)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.xy, self.r = np.zeros((0, 2)), np.zeros(0)
        self.shown = np.zeros(0, bool)
        self.codes = np.zeros(0, np.intp)
        self._rects: list[QRectF] = []
        self._looks: list[tuple[QBrush, QPen]] = []
        self._bounds = QRectF()
        self.last_painted = np.zeros(0, np.intp)
        """Indices (into `state.visible.node_ids`) of the nodes the last paint drew."""

    def set_nodes(self, xy: np.ndarray, r: np.ndarray, codes: np.ndarray,
                  looks: list[tuple[QBrush, QPen]], shown: np.ndarray) -> None:
        self.prepareGeometryChange()
        self.xy, self.r, self.codes, self._looks = xy.copy(), r, codes, looks
        self.shown = shown
        self._rects = [QRectF(x - d, y - d, 2 * d, 2 * d)
                       for (x, y), d in zip(xy.tolist(), r.tolist(), strict=True)]
        if len(xy):
            low, high = (xy - r[:, None]).min(axis=0), (xy + r[:, None]).max(axis=0)
            self._bounds = QRectF(low[0] - 2, low[1] - 2, high[0] - low[0] + 4,
                                  high[1] - low[1] + 4)
        else:
            self._bounds = QRectF()
        self.update()

    def set_shown(self, shown: np.ndarray) -> None:
        self.shown = shown
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        box = option.exposedRect
        x, y, r = self.xy[:, 0], self.xy[:, 1], self.r
        inside = (self.shown & (x + r >= box.left()) & (x - r <= box.right())
                  & (y + r >= box.top()) & (y - r <= box.bottom()))
        index = np.flatnonzero(inside)
        index = index[np.argsort(self.codes[index], kind="stable")]
        self.last_painted = index
        outline = option.levelOfDetailFromTransform(painter.worldTransform()) * R_MIN >= 2.5
        rects, codes = self._rects, self.codes[index].tolist()
        current = -1
        for i, code in zip(index.tolist(), codes, strict=True):
            if code != current:
                current = code
                brush, pen = self._looks[code]
                painter.setBrush(brush)
                painter.setPen(pen if outline else Qt.PenStyle.NoPen)
            painter.drawEllipse(rects[i])


class GraphScene(QGraphicsScene):
    """Renders one `GraphState` (the view calls the update_* methods on its events)."""

    def __init__(self, state: GraphState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.node_layer = NodeLayer()
        self.addItem(self.node_layer)
        self.edge_items: list[QGraphicsPathItem] = []
        self.overlay: list[QGraphicsItem] = []
        self.marked: dict[str, str] = {}
        """Nodes drawn with a ring: node id -> ``selected``, ``path``, ``pinned``, ``hovered``."""
        self.labels: dict[str, LabelItem] = {}
        self.label_font = QFont(QApplication.font())
        self.node_radii = np.zeros(0)
        """A radius per node of `state.visible.node_ids` (scene units)."""
        self.recolour_background()

    # -- palette ------------------------------------------------------------------------------
    def palette_colour(self, role: QPalette.ColorRole) -> QColor:
        return QApplication.palette().color(role)

    def recolour_background(self) -> None:
        self.setBackgroundBrush(self.palette_colour(QPalette.ColorRole.Base))

    def _edge_pen(self) -> QPen:
        """Opaque (a blend of text and background): blending 20,000 translucent lines costs
        several times more per frame."""
        fg = self.palette_colour(QPalette.ColorRole.Text)
        bg = self.palette_colour(QPalette.ColorRole.Base)
        t = 0.42 if self.state.project_state.dark else 0.3
        mixed = QColor.fromRgbF(*(t * a + (1 - t) * b for a, b in zip(
            (fg.redF(), fg.greenF(), fg.blueF()), (bg.redF(), bg.greenF(), bg.blueF()),
            strict=True)))
        return _cosmetic(mixed)

    # -- building -----------------------------------------------------------------------------
    def rebuild(self) -> None:
        """Everything anew (new data or new positions)."""
        for item in [*self.edge_items, *self.overlay, *self.labels.values()]:
            self.removeItem(item)
        self.edge_items, self.overlay, self.labels = [], [], {}
        self.recolour_background()
        v = self.state.visible
        self.restyle()
        room = 10 * v.scale + 2000  # any node can be brought to the centre, or panned past
        self.setSceneRect(QRectF(-room, -room, 2 * room, 2 * room))

    def restyle(self, *, edges: bool = True) -> None:
        """Node sizes and colours from the chosen metric and mode; the edges' colour follows
        the theme (`edges`: redraw them too)."""
        state = self.state
        self.node_radii = np.asarray(state.radii(), dtype=float)
        dark = state.project_state.dark
        codes: dict[str, int] = {}
        node_codes = [codes.setdefault(state.colour(n), len(codes))
                      for n in state.visible.node_ids]
        looks = []
        for colour in codes:
            fill = QColor(colour)
            looks.append((QBrush(fill), _cosmetic(fill.lighter(150) if dark else fill.darker(170))))
        self.node_layer.set_nodes(state.visible.xy_array, self.node_radii,
                                  np.array(node_codes, dtype=np.intp), looks,
                                  state.visible.node_shown)
        if edges:
            self.update_edges()
        self.update_overlay()

    def update_visibility(self) -> None:
        self.node_layer.set_shown(self.state.visible.node_shown)
        self.update_edges()
        self.update_overlay()

    def update_edges(self) -> None:
        for item in self.edge_items:
            self.removeItem(item)
        self.edge_items = []
        v = self.state.visible
        shown = np.flatnonzero(v.pair_shown)
        if not len(shown):
            return
        a, b = v.xy_array[v.ends[shown, 0]], v.xy_array[v.ends[shown, 1]]
        cell = np.floor((a + b) / 2 / max(v.scale / 8, 1.0)).astype(np.int64)
        order = np.lexsort((cell[:, 1], cell[:, 0]))
        pen = self._edge_pen()
        for start in range(0, len(order), EDGE_BATCH):
            chunk = order[start:start + EDGE_BATCH]
            path = QPainterPath()
            for (x1, y1), (x2, y2) in zip(a[chunk].tolist(), b[chunk].tolist(), strict=True):
                path.moveTo(x1, y1)
                path.lineTo(x2, y2)
            item = QGraphicsPathItem(path)
            item.setPen(pen)
            item.setZValue(Z_EDGES)
            item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            self.addItem(item)
            self.edge_items.append(item)

    # -- selection, path, labels --------------------------------------------------------------
    def radius(self, node: str) -> float:
        i = self.state.visible.node_index.get(node)
        return float(self.node_radii[i]) if i is not None and i < len(self.node_radii) else 0.0

    def update_overlay(self) -> None:
        """Rings round selected/hovered/pinned nodes, the path and the selected edge."""
        for item in self.overlay:
            self.removeItem(item)
        self.overlay = []
        state, v = self.state, self.state.visible
        accent = self.palette_colour(QPalette.ColorRole.Highlight)
        if state.project_state.dark:  # the dark theme's highlight is too deep for thin rings
            accent = accent.lighter(160)
        if state.path:
            self._lines(v.path_edges(state.path), _cosmetic(accent, 4))
        if state.selected_edge is not None and v.edge_visible(state.selected_edge):
            self._lines([state.selected_edge], _cosmetic(QColor(SELECTED_EDGE), 4))
        text = self.palette_colour(QPalette.ColorRole.Text)
        rings: dict[str, tuple[str, QPen]] = {}  # one ring per node, the strongest mark
        if state.hovered is not None:
            rings[state.hovered] = ("hovered", _cosmetic(accent, 1.5))
        rings.update((n, ("path", _cosmetic(accent, 2))) for n in state.path)
        rings.update((n, ("selected", _cosmetic(accent, 3.5))) for n in state.selected)
        pins = [n for n in state.pinned if n not in rings]
        rings.update((n, ("pinned", _cosmetic(text, 1.5, Qt.PenStyle.DashLine))) for n in pins)
        self.marked = {}
        for node, (kind, pen) in rings.items():
            if v.is_visible(node):
                self.marked[node] = kind
                self._ring(node, pen, 3.0)
        for node in state.pinned:  # a pinned node that is also marked: a second, dashed ring
            if node in rings and rings[node][0] != "pinned" and v.is_visible(node):
                self._ring(node, _cosmetic(text, 1.5, Qt.PenStyle.DashLine), 7.0)

    def _ring(self, node: str, pen: QPen, gap: float) -> None:
        r = self.radius(node) + gap
        x, y = self.state.visible.xy(node)
        ring = self.addEllipse(x - r, y - r, 2 * r, 2 * r, pen)
        ring.setZValue(Z_RINGS)
        ring.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.overlay.append(ring)

    def _lines(self, pairs: list[tuple[str, str]], pen: QPen) -> None:
        v = self.state.visible
        path = QPainterPath()
        for a, b in pairs:
            path.moveTo(*v.xy(a))
            path.lineTo(*v.xy(b))
        item = self.addPath(path, pen)
        item.setZValue(Z_PATH)
        item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.overlay.append(item)

    def place_labels(self, scene_box: QRectF, transform: QTransform) -> None:
        """Labels for the nodes that fit on screen; `scene_box` is the part in view and
        `transform` maps scene points to viewport pixels."""
        state = self.state
        inside = (scene_box.left(), scene_box.top(), scene_box.right(), scene_box.bottom())
        candidates, forced = state.label_candidates(within=inside)
        metrics = QFontMetricsF(self.label_font)
        boxes = []
        for node in candidates:
            x, y = state.visible.xy(node)
            point = transform.map(QPointF(x, y + self.radius(node)))
            name = _short(state.entity(node).name)
            width = metrics.horizontalAdvance(name) + 8
            boxes.append(LabelBox(node, point.x() - width / 2, point.y() + 3, width,
                                  metrics.height() + 2))
        keep = set(place_labels(boxes, forced))
        for node in list(self.labels):
            if node not in keep:
                self.removeItem(self.labels.pop(node))
        fg = self.palette_colour(QPalette.ColorRole.Text)
        bg = QColor(self.palette_colour(QPalette.ColorRole.Base))
        bg.setAlpha(200)
        for node in keep:
            item = self.labels.get(node)
            if item is None:
                item = self.labels[node] = LabelItem(_short(state.entity(node).name),
                                                     self.label_font, fg, bg)
                self.addItem(item)
            x, y = state.visible.xy(node)
            item.setPos(x, y + self.radius(node))


def _short(name: str, limit: int = 40) -> str:
    name = " ".join(name.split())
    return name if len(name) <= limit else name[: limit - 1] + "…"
