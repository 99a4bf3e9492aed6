"""Annotation keys: one per label, one per decision; the views pass each key's text.

====================  ===============================================================
``p o l m`` / ``1-4``  label PER / ORG / LOC / MISC: with text selected, annotate it
                       (a mention with exactly that span is relabelled, or accepted if
                       it has that label); otherwise relabel the focused mention;
                       always: make it the current label
``a`` / ``x``          accept / reject the focused suggestion, then go to the next one
``delete``             reject the focused mention (a span a person added is removed)
``j`` / ``k``          next / previous suggestion in the document
``r``                  draw a relation: from the focused mention (or the next one
                       picked) to the next mention picked, then choose its type
``v``                  mark the focused (or the cursor's) sentence reviewed, or unmark
``escape``             stop drawing a relation
====================  ===============================================================
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.state.annotation import AnnotationState

Span = tuple[int, int]
LABEL_KEYS: dict[str, str] = {"p": "PER", "o": "ORG", "l": "LOC", "m": "MISC",
                              "1": "PER", "2": "ORG", "3": "LOC", "4": "MISC"}
KEY_HELP = ("Select text, then p/o/l/m (or 1–4) for PER/ORG/LOC/MISC · a accept · x reject · "
            "j/k next/previous suggestion · r relation · v sentence reviewed")


def handle_key(s: AnnotationState, key: str, selection: Span | None, cursor: int | None
               ) -> bool:
    """Act on `key` for annotation state `s`; False: not an annotation key."""
    key = key.lower() if len(key) == 1 else key
    if key in LABEL_KEYS:
        s.label_key(LABEL_KEYS[key], selection)
        return True
    action = KEYS.get(key)
    if action is None:
        return False
    action(s, cursor)
    return True


def _relation_key(s: AnnotationState, cursor: int | None) -> None:
    if s.draft is None:
        s.start_relation()
    elif s.project.focused is not None:
        s.pick(s.project.focused)


def _review_key(s: AnnotationState, cursor: int | None) -> None:
    focused = s.project.focused
    offset = cursor if cursor is not None else focused.start if focused is not None else None
    if offset is not None:
        s.toggle_reviewed(offset)


KEYS: dict[str, Callable[[AnnotationState, int | None], object]] = {
    "a": lambda s, _: s.decide_focused(True),
    "x": lambda s, _: s.decide_focused(False),
    "delete": lambda s, _: s.decide_focused(False),
    "j": lambda s, _: s.next_suggestion(1),
    "k": lambda s, _: s.next_suggestion(-1),
    "r": _relation_key,
    "v": _review_key,
    "escape": lambda s, _: s.cancel_relation(),
}
"""Keys other than the label keys: key text -> what it does (cursor: the text cursor)."""
