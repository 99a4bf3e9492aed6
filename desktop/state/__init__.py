"""Qt-free view state for the desktop app: plain Python objects the Qt views render.

Nothing under `desktop.state` imports PySide6, so it is testable headless.
"""

from desktop.state.annotation import AnnotationState, RelationDraft
from desktop.state.annotation_keys import KEY_HELP, LABEL_KEYS
from desktop.state.colours import label_colour, label_colours
from desktop.state.events import Event
from desktop.state.offsets import Utf16Index
from desktop.state.project_state import ENTITY_TYPES, Counts, ProjectState

__all__ = [
    "ENTITY_TYPES",
    "KEY_HELP",
    "LABEL_KEYS",
    "AnnotationState",
    "Counts",
    "Event",
    "ProjectState",
    "RelationDraft",
    "Utf16Index",
    "label_colour",
    "label_colours",
]
