"""Edit ▸ Settings: the extraction model and device imports use, the confidence below which
they keep no suggestion, and the one below which the views hide suggestions. The values
are `desktop.state.preferences.Preferences`; OK saves them and applies them at once."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

from desktop.qt import plain
from desktop.state.preferences import BACKENDS, DEVICES, Preferences

NOTE = ("The model and device apply to the next import; documents already extracted keep "
        "their suggestions. A GPU needs the CUDA build of torch (installer/install.sh picks "
        "it on a machine with an NVIDIA GPU); without one, the model runs on the CPU.")


def _threshold(value: float, tip: str, parent: QWidget) -> QDoubleSpinBox:
    box = QDoubleSpinBox(parent)
    box.setRange(0.0, 1.0)
    box.setSingleStep(0.05)
    box.setDecimals(2)
    box.setValue(value)
    box.setToolTip(tip)
    return box


class SettingsDialog(QDialog):
    def __init__(self, preferences: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.backend = QComboBox(self)
        for name, text in BACKENDS.items():
            self.backend.addItem(text, name)
        if self.backend.findData(preferences.backend) < 0:  # named by $SKEIN_EXTRACTOR
            self.backend.addItem(preferences.backend, preferences.backend)
        self.backend.setCurrentIndex(self.backend.findData(preferences.backend))
        self.device = QComboBox(self)
        for name, text in DEVICES.items():
            self.device.addItem(text, name)
        self.device.setCurrentIndex(max(self.device.findData(preferences.device), 0))
        self.min_confidence = _threshold(
            preferences.min_confidence,
            "Imports keep no mention or relation the model is less sure of", self)
        self.show_confidence = _threshold(
            preferences.show_confidence,
            "The text and the lists hide suggestions below this confidence "
            "(what a person added or accepted is always shown)", self)
        form = QFormLayout()
        form.addRow(plain.label("Extraction model", self), self.backend)
        form.addRow(plain.label("Device", self), self.device)
        form.addRow(plain.label("Keep suggestions from", self), self.min_confidence)
        form.addRow(plain.label("Show suggestions from", self), self.show_confidence)
        note = plain.label(NOTE, self)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 12)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def preferences(self) -> Preferences:
        """The values shown (what OK saves)."""
        return Preferences(str(self.backend.currentData()), str(self.device.currentData()),
                           round(self.min_confidence.value(), 2),
                           round(self.show_confidence.value(), 2))
