"""`ProjectState`: what the window shows of one open project. Reads the store, nothing else.

Views observe its events and render; user intent comes back as method calls (`select`,
`focus_mention`, `refresh`). No Qt here, so all of it is testable headless.
"""

from __future__ import annotations

import bisect
import functools
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.state.colours import label_colour
from desktop.state.events import Event
from desktop.state.offsets import Utf16Index
from desktop.state.preferences import Preferences
from desktop.state.text import mentions_tooltip
from kg.records import DocumentRecord, MentionRecord, ModelRecord, RelationRecord
from kg.store import Project
from kg.store.reads import document_text, documents

if TYPE_CHECKING:
    from desktop.state.annotation import AnnotationState
    from kg.pipeline import BuildReport
    from nlp.progress import CancelToken, Work

ENTITY_TYPES = ("PER", "ORG", "LOC", "MISC")

_MENTION_COLUMNS = (
    "id, document, sentence, start, end, text, label, confidence, model, entity, status,"
    " confirmed_by, confirmed_at"
)
_RELATION_COLUMNS = (
    "id, document, sentence, head, tail, label, confidence, model, status, confirmed_by,"
    " confirmed_at"
)


@dataclass(frozen=True, slots=True)
class Counts:
    documents: int = 0
    failed: int = 0
    entities: int = 0
    relations: int = 0
    mentions: int = 0


class ProjectState:
    """The open project, its documents, the selected document and its mentions."""

    def __init__(self, project: Project, extractor: str | None = None) -> None:
        self.project = project
        self.backend = extractor or os.environ.get("SKEIN_EXTRACTOR", "default")
        """Extraction backend for imports (settings: the trained model or the baseline)."""
        self.preferences = Preferences(self.backend)
        """The settings imports and the views follow (`apply`)."""
        self.documents: tuple[DocumentRecord, ...] = ()
        self.models: tuple[ModelRecord, ...] = ()
        self.counts = Counts()
        self.selected: DocumentRecord | None = None
        self.text = ""
        self.mentions: tuple[MentionRecord, ...] = ()
        self.relations: tuple[RelationRecord, ...] = ()
        """Relations of the selected document that are not rejected."""
        self.focused: MentionRecord | None = None
        self.dark = False
        self.offsets = Utf16Index("")
        self._starts: list[int] = []
        self._longest = 0
        self.documents_changed: Event[[]] = Event()
        """The document list, counts or models changed."""
        self.selection_changed: Event[[]] = Event()
        """Another document (or none) is selected: text and mentions changed."""
        self.mention_focused: Event[[MentionRecord]] = Event()
        """The user asked to see one mention (e.g. clicked its row)."""
        self.colours_changed: Event[[]] = Event()
        self.mentions_changed: Event[[]] = Event()
        """The selected document's mentions or relations changed (an annotator's edit)."""
        self.counts_changed: Event[[]] = Event()
        self.refresh()

    # -- opening and closing ------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path) -> ProjectState:
        """Open an existing project file (raises `kg.store.ProjectError` with a reason)."""
        return cls(Project.open(path))

    @classmethod
    def create(cls, path: str | Path) -> ProjectState:
        return cls(Project.create(path))

    def close(self) -> None:
        self.project.close()

    @property
    def path(self) -> Path:
        return Path(self.project.path)

    @property
    def name(self) -> str:
        return self.path.stem

    # -- reading ------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read the document list, counts and models (after an import)."""
        self.documents = documents(self.project)
        self.models = tuple(
            ModelRecord(*r) for r in self.project.query(
                "SELECT id, kind, description, created_at FROM models ORDER BY created_at, id")
        )
        c = self.project.counts()
        self.counts = Counts(c["documents"], c["failed"], c["entities"], c["relations"],
                             c["mentions"])
        self.documents_changed.emit()
        if self.selected is not None:
            still = self.document(self.selected.id)
            if still != self.selected:
                self.select(still.id if still else None)

    def document(self, doc_id: str) -> DocumentRecord | None:
        return next((d for d in self.documents if d.id == doc_id), None)

    def select(self, doc_id: str | None) -> None:
        """Show document `doc_id` (None: show nothing)."""
        doc = self.document(doc_id) if doc_id is not None else None
        self.selected = doc
        self.focused = None
        self.text = "" if doc is None else document_text(self.project, doc.id)
        self._read_mentions()
        self.offsets = Utf16Index(self.text)
        self.selection_changed.emit()

    def _read_mentions(self) -> None:
        doc = self.selected
        if doc is None:
            self.mentions, self.relations = (), ()
        else:
            rows = self.project.query(
                f"SELECT {_MENTION_COLUMNS} FROM mentions"  # noqa: S608 - constant columns
                " WHERE document = ? AND status != 'rejected' ORDER BY start, end, id",
                (doc.id,),
            )
            floor = self.preferences.show_confidence
            self.mentions = tuple(m for m in (MentionRecord(*r) for r in rows)
                                  if m.status != "suggested" or m.confidence >= floor)
            rows = self.project.query(
                f"SELECT {_RELATION_COLUMNS} FROM relations"  # noqa: S608 - constant columns
                " WHERE document = ? AND status != 'rejected' ORDER BY id", (doc.id,))
            self.relations = tuple(rel for rel in (RelationRecord(*r) for r in rows)
                                   if rel.status != "suggested" or rel.confidence >= floor)
        self._starts = [m.start for m in self.mentions]
        self._longest = max((m.end - m.start for m in self.mentions), default=0)

    def reload_mentions(self) -> None:
        """Re-read the selected document's mentions and relations after an edit (the text,
        scroll position and selection stay); the focused mention follows its id."""
        focused = self.focused.id if self.focused is not None else None
        self._read_mentions()
        self.focused = self.mention(focused) if focused is not None else None
        c = self.project.counts()
        self.counts = Counts(c["documents"], c["failed"], c["entities"], c["relations"],
                             c["mentions"])
        self.mentions_changed.emit()
        self.counts_changed.emit()

    def apply(self, preferences: Preferences) -> None:
        """Follow new settings: imports use its extractor; the selected document's
        suggestions below its display threshold are hidden (shown again above it)."""
        hidden = preferences.show_confidence != self.preferences.show_confidence
        self.preferences = preferences
        self.backend = preferences.backend
        if hidden and self.selected is not None:
            self.reload_mentions()

    def mention(self, mention_id: int) -> MentionRecord | None:
        """The selected document's mention `mention_id` (None if it is not shown)."""
        return next((m for m in self.mentions if m.id == mention_id), None)

    @functools.cached_property
    def annotation(self) -> AnnotationState:
        """Undo/redo, keys and the review queue for this project (made on first use)."""
        from desktop.state.annotation import AnnotationState

        return AnnotationState(self)

    def select_most_mentioned(self) -> None:
        """Select the extracted document with the most mentions (a good first view)."""
        rows = self.project.query(
            "SELECT document FROM mentions GROUP BY document ORDER BY count(*) DESC LIMIT 1")
        first = rows[0][0] if rows else next((d.id for d in self.documents), None)
        self.select(first)

    # -- mentions of the selected document ----------------------------------------------------
    def mentions_at(self, offset: int) -> list[MentionRecord]:
        """Mentions covering character `offset` of the selected document's text."""
        i = bisect.bisect_right(self._starts, offset)
        out = []
        for j in range(i - 1, -1, -1):
            m = self.mentions[j]
            if m.start < offset - self._longest:
                break
            if m.start <= offset < m.end:
                out.append(m)
        return out[::-1]

    def tooltip_at(self, offset: int) -> str | None:
        """Tooltip text for character `offset` (``LABEL · confidence 0.82 · model``)."""
        return mentions_tooltip(self.mentions_at(offset))

    def focus_mention(self, index: int) -> None:
        """The user picked mention number `index` (of `mentions`): show its span."""
        if 0 <= index < len(self.mentions):
            self.focused = self.mentions[index]
            self.mention_focused.emit(self.focused)

    def focus(self, mention: MentionRecord | None) -> None:
        """Focus `mention` (one of `mentions`, found by id), or nothing."""
        found = self.mention(mention.id) if mention is not None else None
        if found is None:
            self.focused = None
        else:
            self.focus_mention(self.mentions.index(found))

    # -- colours ------------------------------------------------------------------------------
    def set_dark(self, dark: bool) -> None:
        if dark != self.dark:
            self.dark = dark
            self.colours_changed.emit()

    def colour(self, label: str) -> str:
        return label_colour(label, dark=self.dark)

    def label_counts(self) -> dict[str, int]:
        """Mentions per entity type in the selected document: default types first."""
        counts = dict.fromkeys(ENTITY_TYPES, 0)
        for m in self.mentions:
            counts[m.label] = counts.get(m.label, 0) + 1
        extra = sorted(set(counts) - set(ENTITY_TYPES))
        return {label: counts[label] for label in (*ENTITY_TYPES, *extra)}

    # -- the extractor --------------------------------------------------------------------
    @property
    def extractor(self) -> ModelRecord | None:
        """The most recently registered extraction model, None before any extraction."""
        return self.models[-1] if self.models else None

    @property
    def extractor_is_baseline(self) -> bool:
        return self.extractor is not None and self.extractor.kind == "rules"

    def status_line(self) -> str:
        c = self.counts
        failed = f" ({c.failed} failed)" if c.failed else ""
        return (f"{c.documents} documents{failed} · {c.entities} entities · "
                f"{c.relations} relations")

    def extractor_line(self) -> str:
        model = self.extractor
        if model is None:
            return "Extractor: none yet"
        note = " — rule-based baseline, not a trained model" if model.kind == "rules" else ""
        return f"Extractor: {model.id}{note}"

    # -- long work ----------------------------------------------------------------------------
    def import_work(self, paths: Sequence[str | Path], cancel: CancelToken) -> Work[BuildReport]:
        """Import files/folders into this project (run it with the worker; see `refresh`)."""
        from kg.pipeline import build

        return build([str(p) for p in paths], self.project, extractor=self.backend,
                     extractor_options=self.preferences.extractor_options(), cancel=cancel)
