"""The colour legend above the document text: one chip per entity type with its count."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from desktop.qt import plain
from desktop.state import ProjectState


class Legend(QWidget):
    """One coloured chip per entity type with its count in the selected document."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(12, 0, 12, 8)
        self._layout.setSpacing(6)
        self._layout.addStretch(1)
        self.chips: dict[str, QLabel] = {}

    def show_state(self, state: ProjectState) -> None:
        counts = state.label_counts()
        for label, count in counts.items():
            chip = self.chips.get(label)
            if chip is None:
                chip = self.chips[label] = plain.label("", self)
                chip.setAutoFillBackground(True)
                self._layout.insertWidget(len(self.chips) - 1, chip)
            chip.setText(f" {label} {count} ")
            pal = chip.palette()
            pal.setColor(QPalette.ColorRole.Window, QColor(state.colour(label)))
            chip.setPalette(pal)
            chip.setToolTip(plain.tooltip(f"{count} {label} mentions in this document"))
            chip.show()
        for label, chip in self.chips.items():
            if label not in counts:
                chip.hide()
