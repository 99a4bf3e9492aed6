"""Help ▸ About Skein: versions and the project's extraction models, as plain text."""

from __future__ import annotations

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from desktop.qt import plain
from desktop.state import ProjectState
from desktop.state.about import about_text


def text_for(state: ProjectState) -> str:
    return about_text(qVersion(), PySide6.__version__, state.models)


class AboutDialog(QDialog):
    def __init__(self, state: ProjectState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Skein")
        self.label = plain.label(text_for(state), self)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 12)
        layout.addWidget(self.label)
        layout.addWidget(buttons)

    def text(self) -> str:
        return self.label.text()
