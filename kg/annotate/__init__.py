"""Annotation commands: the edits an annotator makes to mentions, relations and sentences.

Each command is one transaction on the project file that also appends one row to the
corrections log, marks what it touched as confirmed by the user, and returns an `Edit`
whose `inverse()` is the exact undo (`undo` / `redo` apply and log it). Nothing here knows
about Qt: the desktop's annotation state and the views call these functions.
"""

from kg.annotate.edit import AnnotationError, Edit, Op, StaleEdit, redo, undo
from kg.annotate.mentions import (
    accept_mention,
    add_mention,
    delete_mention,
    reject_mention,
    relabel_mention,
    snap_span,
)
from kg.annotate.queue import ReviewItem, open_suggestions, review_queue
from kg.annotate.relations import (
    DEFAULT_SCHEMA,
    RelationSchema,
    accept_relation,
    add_relation,
    delete_relation,
    reject_relation,
)
from kg.annotate.reviews import (
    mark_sentence_reviewed,
    reviewed_sentences,
    unmark_sentence_reviewed,
)

__all__ = [
    "DEFAULT_SCHEMA",
    "AnnotationError",
    "Edit",
    "Op",
    "RelationSchema",
    "ReviewItem",
    "StaleEdit",
    "accept_mention",
    "accept_relation",
    "add_mention",
    "add_relation",
    "delete_mention",
    "delete_relation",
    "mark_sentence_reviewed",
    "open_suggestions",
    "redo",
    "reject_mention",
    "reject_relation",
    "relabel_mention",
    "review_queue",
    "reviewed_sentences",
    "snap_span",
    "undo",
    "unmark_sentence_reviewed",
]
