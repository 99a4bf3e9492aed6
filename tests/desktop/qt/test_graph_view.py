"""The graph view in the real window on a real project: search, click a node (the text
jumps to its mention), click an edge (its evidence), filters, context menu, path, zoom,
image export, theme, and reloading after an import."""

from __future__ import annotations

from pathlib import Path

import pytest
from analysis_helpers import WAIT_MS, node_named, on_screen, open_graph, wait
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QKeySequence, QPalette, QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.qt import theme
from desktop.qt.graph_view import GraphView
from desktop.qt.main_window import MainWindow
from desktop.state.graph_resolve import NO_RESOLUTION, resolution
from desktop.state.graph_visible import pair


def drawn_nodes(view: GraphView) -> set[str]:
    """The nodes the canvas painted in a fresh frame."""
    view.canvas.viewport().repaint()
    ids = view.state.visible.node_ids
    return {ids[i] for i in view.canvas.graph_scene.node_layer.last_painted.tolist()}


def drawn_edge_count(view: GraphView) -> int:
    return sum(item.path().elementCount() for item in view.canvas.graph_scene.edge_items) // 2


def test_ctrl_g_opens_the_graph_with_every_entity(window: MainWindow, qtbot: QtBot) -> None:
    assert window.actions_.graph.shortcut() == QKeySequence("Ctrl+G")
    assert not window.analysis.graph_dock.isVisible()
    view = open_graph(window, qtbot)
    graph = view.state.data.graph  # type: ignore[union-attr]
    assert drawn_nodes(view) == {e.id for e in graph.entities()}
    assert drawn_edge_count(view) == len(view.state.visible.visible_edges()) == 4
    assert "14 entities · 4 relations" in view.message.text()
    qtbot.waitUntil(lambda: bool(view.canvas.graph_scene.labels))  # central names written
    names = {label.text for label in view.canvas.graph_scene.labels.values()}
    ranked, _ = view.state.label_candidates()
    assert view.state.entity(ranked[0]).name in names  # the most central node is named
    assert names <= {e.name for e in graph.entities()}


def test_search_box_selects_and_centres_the_node(window: MainWindow, qtbot: QtBot) -> None:
    view = open_graph(window, qtbot)
    qtbot.keyClicks(view.tools.search, "john smi")
    qtbot.keyClick(view.tools.search, Qt.Key.Key_Return)
    john = node_named(view, "John Smith")
    assert view.state.selected == (john,)
    assert view.canvas.graph_scene.marked == {john: "selected"}
    assert view.details.text().startswith("John Smith\nPER · 2 mentions")
    centre = view.canvas.viewport().rect().center()
    assert (on_screen(view, john) - centre).manhattanLength() < 4
    view.tools.search.setText("nobody here")
    qtbot.keyClick(view.tools.search, Qt.Key.Key_Return)
    assert "no entity matches 'nobody here'" in view.message.text()


def test_clicking_a_node_selects_it_and_shows_its_mention(
        window: MainWindow, qtbot: QtBot) -> None:
    view = open_graph(window, qtbot)
    london = node_named(view, "London")
    qtbot.mouseClick(view.canvas.viewport(), Qt.MouseButton.LeftButton,
                     pos=on_screen(view, london))
    assert view.state.selected == (london,)
    assert view.canvas.graph_scene.marked[london] == "selected"
    cursor = window.document_view.text.textCursor()
    assert cursor.selectedText() == "London"  # the text jumped to its first mention
    assert window.state.focused is not None and window.state.focused.entity == london
    rows = [view.evidence_list.item(i).text() for i in range(view.evidence_list.count())]
    assert rows == ["← Live_In  John Smith", "← OrgBased_In  Acme Corp"]  # its relations
    first_doc = window.state.selected
    qtbot.mouseClick(view.canvas.viewport(), Qt.MouseButton.LeftButton,
                     pos=on_screen(view, london))  # again: its next mention
    assert window.state.selected != first_doc
    assert window.document_view.text.textCursor().selectedText() == "London"
    john = node_named(view, "John Smith")
    qtbot.mouseClick(view.canvas.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.ControlModifier, on_screen(view, john))
    assert view.state.selected == (london, john)
    assert "Selected: London and John Smith" in view.details.text()
    view.state.select(london)
    item = view.evidence_list.item(1)
    qtbot.mouseClick(view.evidence_list.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.evidence_list.visualItemRect(item).center())
    assert view.state.selected_edge == pair(node_named(view, "Acme Corp"), london)
    assert "😀 John Smith works for Acme Corp in London." in view.evidence_list.item(0).text()


def test_hovering_a_node_rings_and_names_it(window: MainWindow, qtbot: QtBot) -> None:
    view = open_graph(window, qtbot)
    paris = node_named(view, "Paris")
    qtbot.mouseMove(view.canvas.viewport(), on_screen(view, paris))
    qtbot.waitUntil(lambda: view.state.hovered == paris)
    assert view.canvas.graph_scene.marked == {paris: "hovered"}
    assert "Paris" in view.canvas.toolTip() and "LOC · 1 mention" in view.canvas.toolTip()
    qtbot.mouseMove(view.canvas.viewport(), QPoint(2, 2))
    qtbot.waitUntil(lambda: view.state.hovered is None)
    assert view.canvas.graph_scene.marked == {}


def edge_point(view: GraphView, a: str, b: str) -> QPoint:
    """A point on the edge a-b, between the two discs, in viewport pixels."""
    scene = view.canvas.graph_scene
    (ax, ay), (bx, by) = view.state.visible.xy(a), view.state.visible.xy(b)
    length = ((bx - ax) ** 2 + (by - ay) ** 2) ** 0.5
    ra, rb = scene.radius(a), scene.radius(b)
    t = (ra + (length - rb)) / 2 / length
    point = view.canvas.mapFromScene(QPointF(ax + t * (bx - ax), ay + t * (by - ay)))
    assert view.canvas.node_at(point) is None, "the nodes overlap: no edge to click"
    return point


def test_clicking_an_edge_lists_its_evidence(window: MainWindow, qtbot: QtBot) -> None:
    view = open_graph(window, qtbot)
    john, acme = node_named(view, "John Smith"), node_named(view, "Acme Corp")
    view.canvas.zoom(3.0)
    view.canvas.centerOn(*view.state.visible.xy(john))
    qtbot.mouseClick(view.canvas.viewport(), Qt.MouseButton.LeftButton,
                     pos=edge_point(view, john, acme))
    assert view.state.selected_edge == pair(john, acme)
    assert view.details.text().startswith("John Smith — Work_For → Acme Corp")
    assert view.evidence_list.count() == 1
    item = view.evidence_list.item(0)
    assert "😀 John Smith works for Acme Corp in London." in item.text()
    assert "rule-baseline@0.1 · confidence 0.55" in item.text()
    qtbot.mouseClick(view.evidence_list.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.evidence_list.visualItemRect(item).center())
    assert window.document_view.text.textCursor().selectedText() == "John Smith"
    qtbot.mouseClick(view.canvas.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(3, 3))
    assert view.state.selected_edge is None and view.evidence_list.count() == 0


def test_type_filter_and_confidence_slider(window: MainWindow, qtbot: QtBot) -> None:
    view = open_graph(window, qtbot)
    locations = {n for n in view.state.visible.node_ids if view.state.entity(n).label == "LOC"}
    assert locations and locations <= drawn_nodes(view)
    view.tools.types_button.menu()  # the menu the toolbar button opens
    view.tools.type_actions["LOC"].trigger()  # unchecked
    drawn = drawn_nodes(view)
    assert not drawn & locations and len(drawn) == 14 - len(locations)
    assert view.tools.types_button.text() == "Types (3)"
    assert drawn_edge_count(view) == 1  # John Smith - Acme Corp is left
    view.tools.type_actions["LOC"].trigger()
    assert locations <= drawn_nodes(view) and drawn_edge_count(view) == 4
    view.tools.confidence.setValue(45)  # Emmanuel Macron - Paris (0.40) goes
    macron, paris = node_named(view, "Emmanuel Macron"), node_named(view, "Paris")
    assert not view.state.visible.edge_visible((macron, paris)) and drawn_edge_count(view) == 3
    assert {macron, paris} <= drawn_nodes(view)
    assert view.tools.confidence_label.text() == "relations ≥ 0.45"


def test_context_menu_hide_expand_pin_and_path(window: MainWindow, qtbot: QtBot) -> None:
    view = open_graph(window, qtbot)
    john, acme, london = (node_named(view, n) for n in ("John Smith", "Acme Corp", "London"))

    def act(node: str, text: str) -> None:
        menu = view.node_menu(node)
        action = next(a for a in menu.actions() if a.text().startswith(text))
        assert action.isEnabled(), text
        action.trigger()

    menu = view.node_menu(acme)
    texts = [a.text() for a in menu.actions() if a.text()]
    assert texts[:4] == ["Show mentions", "Expand neighbours", "Hide", "Pinned"]
    path_action = next(a for a in menu.actions() if a.text().startswith("Shortest path"))
    assert not path_action.isEnabled()  # one node selected at most: nothing to go to
    merge = next(a for a in menu.actions() if a.text().startswith("Merge"))
    if resolution() is None:
        assert not merge.isEnabled() and merge.toolTip() == NO_RESOLUTION
    act(john, "Hide")
    assert john not in drawn_nodes(view)
    act(acme, "Expand neighbours")
    assert john in drawn_nodes(view) and view.message.text() == "1 more shown"
    act(acme, "Pinned")
    assert view.canvas.graph_scene.marked[acme] == "pinned"
    view.state.select(john)
    act(london, "Shortest path to John Smith")
    assert view.state.path == (john, london)
    assert view.canvas.graph_scene.marked == {john: "selected", london: "selected", acme: "pinned"}
    assert len(view.canvas.graph_scene.overlay) == 1 + 3  # the path's line, three rings


def test_zoom_with_keys_and_wheel_then_fit(window: MainWindow, qtbot: QtBot) -> None:
    view = open_graph(window, qtbot)
    canvas = view.canvas
    level = canvas.zoom_level()
    qtbot.keyClick(canvas, Qt.Key.Key_Plus)
    assert canvas.zoom_level() == pytest.approx(level * 1.25)
    qtbot.keyClick(canvas, Qt.Key.Key_Minus)
    assert canvas.zoom_level() == pytest.approx(level)
    centre = QPointF(canvas.viewport().rect().center())
    wheel = QWheelEvent(centre, canvas.mapToGlobal(centre), QPoint(), QPoint(0, 240),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(canvas.viewport(), wheel)
    assert canvas.zoom_level() == pytest.approx(level * 1.44)
    qtbot.keyClick(canvas, Qt.Key.Key_0)
    assert canvas.zoom_level() == pytest.approx(level)
    assert canvas.smooth  # 14 nodes in view: antialiased


def test_dense_views_are_drawn_without_antialiasing(window: MainWindow, qtbot: QtBot,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.qt import graph_canvas

    view = open_graph(window, qtbot)
    monkeypatch.setattr(graph_canvas, "SMOOTH_LIMIT", 5)
    view.canvas.fit()
    assert not view.canvas.smooth  # all 14 in view
    view.canvas.centre_on(node_named(view, "Seattle"))
    view.canvas.zoom(20.0)
    assert view.canvas.smooth  # a few in view


def test_export_image_png_and_svg(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    view = open_graph(window, qtbot)
    png, svg = tmp_path / "graph.png", tmp_path / "graph.svg"
    assert view.export_image(png) and view.message.text() == "Saved graph.png"
    image = QImage(str(png))
    size = view.canvas.viewport().size()
    assert (image.width(), image.height()) == (2 * size.width(), 2 * size.height())
    background = QApplication.palette().color(QPalette.ColorRole.Base)
    assert image.pixelColor(1, 1) == background
    assert len({image.pixel(x, image.height() // 2) for x in range(0, image.width(), 3)}) > 3
    assert view.export_image(svg)
    text = svg.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text and "Skein graph" in text


def test_dark_theme_recolours_the_canvas(window: MainWindow, qtbot: QtBot) -> None:
    view = open_graph(window, qtbot)
    window.set_theme(theme.DARK, save=False)
    try:
        scene = view.canvas.graph_scene
        assert scene.backgroundBrush().color() == QColor("#1e1e1e")
        assert scene.edge_items[0].pen().color().lightness() > 60  # edges visible on dark
        view.canvas.refresh_labels()
        label = next(iter(scene.labels.values()))
        assert label._fg.lightness() > 180  # light text on the dark plate
    finally:
        window.set_theme(theme.LIGHT, save=False)
    assert view.canvas.graph_scene.backgroundBrush().color() == QColor("#ffffff")


def test_the_graph_follows_an_import(window: MainWindow, qtbot: QtBot, tmp_path: Path,
                                     make_documents: object) -> None:
    view = open_graph(window, qtbot)
    john = node_named(view, "John Smith")
    before = view.state.visible.xy(john)
    folder = make_documents(tmp_path / "more", 2)  # type: ignore[operator]
    job = window.import_paths([folder])
    wait(qtbot, job)
    # the graph reads the project again (a reload may start, or even end, mid-import)
    qtbot.waitUntil(lambda: view.job is None and not view.state.stale, timeout=WAIT_MS)
    names = {view.state.entity(n).name for n in view.state.visible.node_ids}
    assert {"Maria Lopez", "Madrid"} <= names
    assert view.state.visible.xy(john) == pytest.approx(before)  # placed nodes stay put


def test_merging_two_entities_from_the_menu(window: MainWindow, qtbot: QtBot) -> None:
    if resolution() is None:
        pytest.skip("kg.resolve is not part of this build")
    view = open_graph(window, qtbot)
    paris, london = node_named(view, "Paris"), node_named(view, "London")
    view.state.select(paris)
    view.state.select(london, add=True)
    merge = next(a for a in view.node_menu(london).actions() if a.text() == "Merge with Paris")
    assert merge.isEnabled()
    merge.trigger()
    wait(qtbot, view.job)  # the merge is saved; the graph reads the project again
    names = [view.state.entity(n).name for n in view.state.visible.node_ids]
    assert len(names) == 13 and ("Paris" in names) != ("London" in names)
    corrections = window.state.project.query("SELECT action FROM corrections")
    assert ("entity-merge",) in corrections


def test_resolving_again_keeps_peoples_merges_and_reports(window: MainWindow,
                                                          qtbot: QtBot) -> None:
    if resolution() is None:
        pytest.skip("kg.resolve is not part of this build")
    view = open_graph(window, qtbot)
    paris, london = node_named(view, "Paris"), node_named(view, "London")
    view.state.select(paris)
    view.state.select(london, add=True)
    next(a for a in view.node_menu(london).actions() if a.text() == "Merge with Paris").trigger()
    wait(qtbot, view.job)
    again = next(a for a in view.node_menu(None).actions() if a.text() == "Resolve entities again")
    assert again.isEnabled()
    again.trigger()
    assert view.job is not None and not view.node_menu(None).actions()[-1].isEnabled()
    wait(qtbot, view.job)  # resolution, then the graph read again
    wait(qtbot, view.job)
    total = window.state.project.counts()["entities"]
    merged = len(window.state.project.query("SELECT merged FROM entity_merges"))
    assert f"resolved: {total} entities → {total - merged} (" in view.message.text()
    names = [view.state.entity(n).name for n in view.state.visible.node_ids]
    assert len(names) == 13 and ("Paris" in names) != ("London" in names)  # the person's merge
