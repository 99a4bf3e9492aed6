"""`AnnotationState`: what an annotator does in the window, without Qt.

Every change goes through `kg.annotate` (saved at once, one transaction, logged) and lands
on an undo stack; the keys the views feed it are in `desktop.state.annotation_keys`.
"""

from __future__ import annotations

import getpass
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from desktop.state.annotation_keys import Span, handle_key
from desktop.state.events import Event
from desktop.state.review import ReviewQueue
from kg import annotate as an
from kg.annotate import DEFAULT_SCHEMA, Edit, RelationSchema
from kg.annotate.relations import with_article

if TYPE_CHECKING:
    from desktop.state.project_state import ProjectState
    from kg.records import MentionRecord

MAX_UNDO = 1000


def default_user() -> str:
    """Who is annotating: $SKEIN_USER, else the login name."""
    try:
        return os.environ.get("SKEIN_USER") or getpass.getuser()
    except (KeyError, OSError):  # no user database entry (containers)
        return "annotator"


@dataclass(frozen=True, slots=True)
class RelationDraft:
    """A relation being drawn: pick the head, then the tail, then one of `labels`."""

    head: MentionRecord | None = None
    tail: MentionRecord | None = None
    labels: tuple[str, ...] = ()
    """Relation types the schema allows from head to tail (known once both are picked)."""

    @property
    def stage(self) -> str:
        """``head``, ``tail`` or ``label``: what the annotator picks next."""
        return "head" if self.head is None else "tail" if self.tail is None else "label"


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


class AnnotationState:
    """Undo/redo, the current label, keys, relation drawing and the review queue."""

    def __init__(self, project: ProjectState, user: str | None = None,
                 schema: RelationSchema = DEFAULT_SCHEMA) -> None:
        self.project = project
        self.user = user or default_user()
        self.schema = schema
        self.label = "PER"
        self.undo_stack: list[Edit] = []
        self.redo_stack: list[Edit] = []
        self.draft: RelationDraft | None = None
        self.queue = ReviewQueue(self)
        self.edited: Event[[Edit]] = Event()
        """An edit (or its undo) was saved; `ProjectState.mentions_changed` has fired."""
        self.history_changed: Event[[]] = Event()
        self.label_changed: Event[[str]] = Event()
        self.draft_changed: Event[[]] = Event()
        self.message: Event[[str]] = Event()
        """One line for the status bar: what was saved, or why an edit was refused."""
        project.mention_focused.connect(self._picked)
        project.selection_changed.connect(self.cancel_relation)
        project.documents_changed.connect(self.queue.refresh)
        self.queue.refresh()

    # -- running commands and the history ---------------------------------------------------
    def run(self, command: Callable[..., Edit], *args: Any) -> Edit | None:
        """Run a `kg.annotate` command on the project; refusals become a `message`."""
        try:
            edit = command(self.project.project, *args, self.user)
        except an.AnnotationError as e:
            self.message.emit(_sentence_case(str(e)))
            return None
        except sqlite3.Error as e:  # disk full, read-only file...: nothing was written
            self.message.emit(f"Could not save the edit: {e}")
            return None
        self.undo_stack = [*self.undo_stack[-MAX_UNDO + 1:], edit]
        self.redo_stack.clear()
        self._after(edit, f"Saved: {edit.summary}")
        return edit

    @property
    def can_undo(self) -> bool:
        return bool(self.undo_stack)

    @property
    def can_redo(self) -> bool:
        return bool(self.redo_stack)

    def undo_text(self) -> str:
        return f"Undo {self.undo_stack[-1].summary}" if self.undo_stack else "Undo"

    def redo_text(self) -> str:
        return f"Redo {self.redo_stack[-1].summary}" if self.redo_stack else "Redo"

    def undo(self) -> Edit | None:
        return self._step(self.undo_stack, self.redo_stack, an.undo, "undo")

    def redo(self) -> Edit | None:
        return self._step(self.redo_stack, self.undo_stack, an.redo, "redo")

    def _step(self, source: list[Edit], target: list[Edit],
              apply: Callable[..., Edit], name: str) -> Edit | None:
        if not source:
            return None
        edit = source.pop()
        try:
            apply(self.project.project, edit, self.user)
        except (an.AnnotationError, sqlite3.Error) as e:  # the edit is dropped: it cannot apply
            self.history_changed.emit()
            self.message.emit(f"Cannot {name} “{edit.summary}”: {e}")
            return None
        target.append(edit)
        done = {"undo": "Undone", "redo": "Redone"}[name]
        self._after(edit, f"{done}: {edit.summary}")
        return edit

    def _after(self, edit: Edit, message: str) -> None:
        state = self.project
        shown = state.selected.id if state.selected is not None else None
        if edit.document is not None and edit.document != shown:
            state.select(edit.document)  # show where the change happened
        state.reload_mentions()
        if edit.target is not None and edit.target[0] == "mentions":
            target = state.mention(edit.target[1])
            if target is not None and target != state.focused:
                state.focus(target)
        self.queue.refresh()
        self.edited.emit(edit)
        self.history_changed.emit()
        self.message.emit(message)

    # -- mentions ---------------------------------------------------------------------------
    def set_label(self, label: str) -> None:
        if label != self.label:
            self.label = label
            self.label_changed.emit(label)

    def annotate(self, span: Span, label: str | None = None) -> Edit | None:
        """Annotate the selected text `span` (code points) as `label` (the current label).
        When a mention has exactly that span, relabel it instead, or accept it if it is a
        suggestion with that label already."""
        state, label = self.project, label or self.label
        if state.selected is None:
            return None
        start, end = an.snap_span(state.text, *span)
        same = [m for m in state.mentions if (m.start, m.end) == (start, end)]
        match = next((m for m in same if m.label == label), None)
        if match is not None and match.status == "suggested":
            return self.run(an.accept_mention, match.id)
        if same and match is None:
            return self.run(an.relabel_mention, same[0].id, label)
        return self.run(an.add_mention, state.selected.id, span[0], span[1], label)

    def label_key(self, label: str, selection: Span | None) -> Edit | None:
        self.set_label(label)
        if selection is not None and selection[0] != selection[1]:
            return self.annotate(selection, label)
        focused = self.project.focused
        if focused is not None:
            return self.run(an.relabel_mention, focused.id, label)
        self.message.emit(f"Label: {label} — select text to annotate")
        return None

    def decide_focused(self, accept: bool) -> Edit | None:
        """Accept or reject the focused mention, then focus the next suggestion."""
        focused = self.project.focused
        if focused is None:
            self.message.emit("Click a highlighted mention (or press j) first")
            return None
        edit = self.run(an.accept_mention if accept else an.reject_mention, focused.id)
        if edit is not None:
            self.next_suggestion(1, after=focused.start)
        return edit

    def next_suggestion(self, step: int = 1, after: int | None = None) -> MentionRecord | None:
        """Focus the next (`step` 1) or previous (-1) suggested mention of the document."""
        state = self.project
        here = after if after is not None else (
            state.focused.start if state.focused is not None else -1 if step > 0 else 1 << 62)
        suggested = [m for m in state.mentions if m.status == "suggested"]
        later = [m for m in suggested if (m.start > here if step > 0 else m.start < here)]
        found = (later[0] if step > 0 else later[-1]) if later else None
        if found is None:
            self.message.emit("No more suggestions in this document" if suggested else
                              "No open suggestions in this document")
            return None
        state.focus(found)
        return found

    def toggle_reviewed(self, offset: int) -> Edit | None:
        """Mark the sentence at character `offset` reviewed (or take the mark off)."""
        state = self.project
        if state.selected is None:
            return None
        rows = state.project.query(
            "SELECT id FROM sentences WHERE document = ? AND start <= ? AND end > ?",
            (state.selected.id, offset, offset))
        if not rows:
            self.message.emit("Put the cursor in a sentence first")
            return None
        sentence = int(rows[0][0])
        if sentence in an.reviewed_sentences(state.project, state.selected.id):
            return self.run(an.unmark_sentence_reviewed, sentence)
        return self.run(an.mark_sentence_reviewed, sentence)

    # -- relations --------------------------------------------------------------------------
    def start_relation(self) -> None:
        """Start drawing a relation from the focused mention (or from the next one picked)."""
        self.draft = RelationDraft(self.project.focused)
        self.draft_changed.emit()
        what = "the head mention, then the tail" if self.draft.head is None else "the tail"
        self.message.emit(f"Relation: click {what} (Esc cancels)")

    def pick(self, mention: MentionRecord) -> None:
        """The annotator picked `mention` while drawing a relation."""
        draft = self.draft
        if draft is None or draft.stage == "label":
            return
        if draft.head is None:
            self.draft = RelationDraft(mention)
            self.message.emit(f"Relation from “{mention.text}”: click the tail (Esc cancels)")
        elif mention.id == draft.head.id:
            self.message.emit("Pick another mention as the tail")
            return
        else:
            labels = self.schema.allowed(draft.head.label, mention.label)
            if not labels:
                back = self.schema.allowed(mention.label, draft.head.label)
                hint = f" (the other way round: {', '.join(back)})" if back else ""
                self.message.emit(f"No relation type links {with_article(draft.head.label)} "
                                  f"to {with_article(mention.label)}{hint}; pick another tail")
                return
            self.draft = RelationDraft(draft.head, mention, labels)
        self.draft_changed.emit()

    def _picked(self, mention: MentionRecord) -> None:
        if self.draft is not None:  # focusing a mention while drawing picks it
            self.pick(mention)

    def finish_relation(self, label: str) -> Edit | None:
        draft = self.draft
        if draft is None or draft.head is None or draft.tail is None:
            return None
        self.draft = None
        self.draft_changed.emit()
        return self.run(an.add_relation, draft.head.id, draft.tail.id, label)

    def cancel_relation(self) -> None:
        if self.draft is not None:
            self.draft = None
            self.draft_changed.emit()

    def relation_lines(self, offset: int) -> list[str]:
        """``—Work_For→ “Acme Corp.”`` for each relation of a mention at `offset`."""
        state = self.project
        here = {m.id for m in state.mentions_at(offset)}
        names = {m.id: m.text for m in state.mentions}
        out = []
        for r in state.relations:
            status = "" if r.status == "accepted" else f" ({r.status} {r.confidence:.2f})"
            if r.head in here:
                out.append(f"—{r.label}→ “{names.get(r.tail, '?')}”{status}")
            if r.tail in here:
                out.append(f"←{r.label}— “{names.get(r.head, '?')}”{status}")
        return out

    # -- keys -------------------------------------------------------------------------------
    def handle_key(self, key: str, selection: Span | None = None, cursor: int | None = None
                   ) -> bool:
        """Act on key `key` (its text, or ``delete``/``escape``) with the text selection and
        cursor (code points); False when the key is not an annotation key."""
        return handle_key(self, key, selection, cursor)
