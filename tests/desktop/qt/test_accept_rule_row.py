"""The training panel's accept-rule row: showing the stored rule says nothing; a person's
edit says the whole rule."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop.qt.training_widgets import AcceptRuleRow


def test_showing_is_silent_and_edits_emit_the_rule(qtbot: QtBot) -> None:
    row = AcceptRuleRow()
    qtbot.addWidget(row)
    seen: list[tuple[bool, float]] = []
    row.changed.connect(lambda automatic, drop: seen.append((automatic, drop)))
    row.show_rule(True, 2.5)
    assert seen == [] and row.auto_box.isChecked() and row.drop_box.value() == 2.5
    row.auto_box.setChecked(False)
    row.drop_box.setValue(4.0)
    assert seen == [(False, 2.5), (False, 4.0)]
    row.drop_box.setValue(99.0)  # clamped to the box's range
    assert seen[-1] == (False, 20.0)
