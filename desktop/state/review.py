"""The review queue's view state: open suggestions least confident first, a current item,
and the decisions a/x. Deciding an item takes it out, so the current row is then the next one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.state.events import Event
from kg import annotate as an
from kg.annotate import ReviewItem
from nlp.progress import NEVER, CancelToken, Progress, Work

if TYPE_CHECKING:
    from desktop.state.annotation import AnnotationState
    from kg.store import Project

ORDERS = {"confidence": "least confident first", "helpful": "most helpful first"}
"""Queue orders and how the panel names them."""


def helpful_work(project: Project, cancel: CancelToken = NEVER) -> Work[dict[int, float]]:
    """Review priorities of every sentence with an open suggestion (`kg.assist.priority`:
    uncertainty, central entities with few confirmations, implausible relations under the
    project's embedding when it has one), as ``review_queue(priority=...)`` takes them."""
    from kg.assist.priority import priorities, scores

    yield Progress(0, 2, "reading the project", "review")
    from kg.embed.project import load_for_project
    from kg.embed.storage import EmbeddingError

    try:
        embedding = load_for_project(project)
    except EmbeddingError:  # none trained (or not this project's): the other signals count
        embedding = None
    cancel.check()
    yield Progress(1, 2, "scoring sentences", "review")
    found = priorities(project, embedding=embedding)
    yield Progress(2, 2, "done", "review")
    return scores(found)


class ReviewQueue:
    """Rows of `kg.annotate.review_queue`, kept fresh after every edit."""

    def __init__(self, annotation: AnnotationState, limit: int = 5000) -> None:
        self._annotation = annotation
        self.limit = limit
        self.items: tuple[ReviewItem, ...] = ()
        self.total = 0
        """Open suggestions in the project (the queue shows at most `limit` of them)."""
        self.index = 0
        self.changed: Event[[]] = Event()
        """The items changed (after an edit, an undo, an import)."""
        self.moved: Event[[int]] = Event()
        """The current item is now row `index`."""
        self.order = "confidence"
        """``confidence`` (least sure first) or ``helpful`` (by `priority`)."""
        self.priority: dict[int, float] = {}
        """Sentence row id -> review priority (`kg.assist.priority`), for ``helpful``."""

    @property
    def current(self) -> ReviewItem | None:
        return self.items[self.index] if 0 <= self.index < len(self.items) else None

    def refresh(self) -> None:
        """Re-read the queue; the current row keeps its place (now the next item)."""
        project = self._annotation.project.project
        current = self.current
        self.items = an.review_queue(project, self.limit, order=self.order,
                                     priority=self.priority)
        self.total = an.open_suggestions(project)
        keys = [item.key for item in self.items]
        if current is not None and current.key in keys:
            self.index = keys.index(current.key)
        self.index = max(0, min(self.index, len(self.items) - 1))
        self.changed.emit()

    def set_order(self, order: str, priority: dict[int, float] | None = None) -> None:
        """Order the queue by confidence or by `priority` (computed off the GUI thread)."""
        self.order = order
        self.priority = dict(priority or {})
        self.refresh()

    def select(self, index: int) -> None:
        if 0 <= index < len(self.items) and index != self.index:
            self.index = index
            self.moved.emit(index)

    def move(self, step: int) -> None:
        """Go to the next (`step` 1) or previous (-1) item."""
        self.select(max(0, min(self.index + step, len(self.items) - 1)))

    def decide(self, accept: bool) -> an.Edit | None:
        """Accept or reject the current item; the queue then shows the next one."""
        item = self.current
        if item is None:
            self._annotation.message.emit("Nothing left to review")
            return None
        commands = {("mention", True): an.accept_mention, ("mention", False): an.reject_mention,
                    ("relation", True): an.accept_relation,
                    ("relation", False): an.reject_relation}
        return self._annotation.run(commands[(item.kind, accept)], item.id)

    def jump(self) -> None:
        """Show the current item in its document: select it and focus its (head) mention."""
        item = self.current
        if item is None:
            return
        state = self._annotation.project
        if state.selected is None or state.selected.id != item.document:
            state.select(item.document)
        mention = state.mention(item.head if item.head is not None else item.id)
        state.focus(mention)
