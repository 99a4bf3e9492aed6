"""Choosing a relation's type once its head and tail mentions are picked (the ``r`` key).

Only the types the schema allows from the head's entity type to the tail's are offered; OK
saves the relation through the annotation state, Cancel (or Esc) stops drawing it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.qt import plain
from desktop.state import AnnotationState


class RelationDialog(QDialog):
    """Lists the allowed relation types for `annotation.draft`; the first is preselected."""

    def __init__(self, annotation: AnnotationState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._annotation = annotation
        draft = annotation.draft
        assert draft is not None and draft.head is not None and draft.tail is not None
        self.setWindowTitle("New relation")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        head, tail = draft.head, draft.tail
        self.question = plain.label(
            f"“{head.text}” ({head.label})  →  “{tail.text}” ({tail.label})\n"
            "Which relation is it?", self)
        self.question.setWordWrap(True)
        self.labels = QListWidget(self)
        for label in draft.labels:
            QListWidgetItem(label, self.labels)
        self.labels.setCurrentRow(0)
        self.labels.itemActivated.connect(lambda _: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addWidget(self.labels)
        layout.addWidget(buttons)
        self.labels.setFocus()

    def chosen(self) -> str | None:
        item = self.labels.currentItem()
        return item.text() if item is not None else None

    def accept(self) -> None:
        label = self.chosen()
        super().accept()
        if label is None:
            self._annotation.cancel_relation()
        else:
            self._annotation.finish_relation(label)

    def reject(self) -> None:
        super().reject()
        self._annotation.cancel_relation()
