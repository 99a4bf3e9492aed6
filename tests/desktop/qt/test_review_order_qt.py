"""The review queue's order switch: most helpful first is scored in the worker, then the
queue follows `kg.assist` priorities; least confident first comes back at once."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop.qt.main_window import MainWindow
from kg import annotate as an
from kg.assist.priority import priorities, scores


def test_most_helpful_first_follows_the_graph_priorities(window: MainWindow,
                                                        qtbot: QtBot) -> None:
    panel = window.review_panel
    queue = window.state.annotation.queue
    project = window.state.project
    least_sure = [item.key for item in queue.items]
    assert least_sure and "least confident first" in panel.summary.text()

    panel.order_box.setCurrentIndex(panel.order_box.findData("helpful"))
    qtbot.waitUntil(lambda: queue.order == "helpful" and panel.job is not None
                    and not panel.job.is_running(), timeout=30000)
    expected = an.review_queue(project, queue.limit, order="helpful",
                               priority=scores(priorities(project)))
    assert [item.key for item in queue.items] == [item.key for item in expected]
    assert [item.key for item in expected] != least_sure  # the two orders differ here
    assert "most helpful first" in panel.summary.text()
    found = priorities(project)
    assert queue.items[0].sentence in {p.sentence for p in found if p.score == found[0].score}

    panel.order_box.setCurrentIndex(panel.order_box.findData("confidence"))
    assert queue.order == "confidence"
    assert [item.key for item in queue.items] == least_sure
