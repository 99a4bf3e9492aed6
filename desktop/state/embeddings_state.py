"""`EmbeddingsState`: what the Embeddings panel shows and what the user asked of it. No Qt.

Training and reading a model are long work the panel runs in the worker: `train_work` trains
(`kg.embed.project.train_project`, one `Progress` per epoch with its loss) and then reads the
new model, `load_work` reads the newest saved one; both return one frozen `Loaded` (model,
graph, predicted links with their evidence, duplicate candidates) that `set_loaded` shows.
`on_progress` collects the losses for the live figure.

The queue is `kg.embed.predict`'s ranked new links. `decide` accepts (the link becomes a
confirmed edge of the graph and of every export: `kg.embed.decisions`) or rejects (never
predicted again) the current one, in the annotator's name, and the next one moves up; the
keys are those of the review queue (``a``, ``x``, ``j``/``k``, Enter). "Similar entities"
are the selected entity's nearest neighbours in embedding space; duplicate candidates merge
through `kg.resolve` as in the graph view. Views observe `changed` with an aspect.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from desktop.state.events import Event
from kg.embed.config import TrainConfig
from kg.embed.storage import EmbeddingInfo, list_embeddings
from nlp.progress import Progress

if TYPE_CHECKING:
    from desktop.state.project_state import ProjectState
    from kg.embed.predict import LinkPrediction
    from kg.embed.project import ProjectGraph
    from kg.embed.similar import DuplicateCandidate
    from kg.embed.storage import Embedding
    from kg.store import Project
    from nlp.progress import CancelToken, Work

MODELS = ("TransE", "RotatE", "ComplEx", "DistMult")
"""Offered in the panel; `kg.embed` trains any model PyKEEN's resolver knows."""
DEFAULT = TrainConfig(model="TransE", dim=64, epochs=100)
QUEUE_SIZE = 50
SIMILAR_SIZE = 10
MODEL, TRAINING, QUEUE, MOVED, SIMILAR = "model", "training", "queue", "moved", "similar"


@dataclass(frozen=True, slots=True)
class Loaded:
    """A model and what the panel shows of it, read in the worker and handed over whole."""

    embedding: Embedding
    graph: ProjectGraph
    predictions: tuple[LinkPrediction, ...]
    duplicates: tuple[DuplicateCandidate, ...]
    current: bool
    """The graph has not changed since the model was trained."""


@dataclass(frozen=True, slots=True)
class Neighbour:
    entity: str
    name: str
    label: str
    cosine: float


def read_model(project: Project, name: str | None = None, *,
               cancel: CancelToken | None = None) -> Work[Loaded]:
    """Long work: the embedding `name` (default: the newest) with its predictions."""
    from kg.embed.predict import predict
    from kg.embed.project import is_current, load_for_project, read_graph
    from kg.embed.similar import duplicate_pairs

    yield Progress(0, 3, "loading the model", "embed")
    embedding = load_for_project(project, name)
    if cancel is not None:
        cancel.check()
    yield Progress(1, 3, "reading the graph", "embed")
    pg = read_graph(project, tuple(embedding.info.meta.get("structure", ())))
    yield Progress(2, 3, "ranking new links", "embed")
    found = predict(embedding, pg, top=QUEUE_SIZE)
    duplicates = duplicate_pairs(embedding, pg.graph.entities(), 20)
    return Loaded(embedding, pg, tuple(found), tuple(duplicates), is_current(embedding.info, pg))


class EmbeddingsState:
    """The Embeddings panel's state for one open project (see the module docstring)."""

    def __init__(self, project_state: ProjectState) -> None:
        self.project_state = project_state
        self.config = DEFAULT
        self.info: EmbeddingInfo | None = None
        """The newest saved embedding (read without loading torch)."""
        self.loaded: Loaded | None = None
        self.queue: tuple[LinkPrediction, ...] = ()
        self.index = 0
        self.losses: list[float] = []
        """Training loss per epoch of the run in progress (or the last one)."""
        self.entity: str | None = None
        """The entity whose neighbours `similar` lists."""
        self.similar: tuple[Neighbour, ...] = ()
        self.duplicates: tuple[DuplicateCandidate, ...] = ()
        self.message = ""
        self.changed: Event[[str]] = Event()
        self.read_info()
        if self.info is not None:  # train again with the saved model's settings
            self.config = self.info.config

    @property
    def project(self) -> Project:
        return self.project_state.project

    # -- the model ----------------------------------------------------------------------------
    def read_info(self) -> None:
        found = list_embeddings(self.project_state.path)
        self.info = found[0] if found else None
        if self.info is not None and not self.losses:
            self.losses = [float(x) for x in self.info.meta.get("losses", ())]
        self.changed.emit(MODEL)

    def set_config(self, **changes: Any) -> TrainConfig:
        """Change the hyper-parameters (ValueError with a reason when they are not valid)."""
        self.config = replace(self.config, **changes)
        return self.config

    def train_work(self, cancel: CancelToken) -> Work[Loaded]:
        """Long work: train `config` on the project's graph, save it, read its predictions."""
        from kg.embed.project import train_project

        project, config = self.project, self.config
        info = yield from train_project(project, config, cancel=cancel)
        return (yield from read_model(project, info.name, cancel=cancel))

    def load_work(self, cancel: CancelToken) -> Work[Loaded]:
        """Long work: read the newest saved model and its predictions."""
        return read_model(self.project, cancel=cancel)

    def start_training(self) -> None:
        self.losses = []
        self.message = f"Training {self.config.model}…"
        self.changed.emit(TRAINING)

    def on_progress(self, step: Progress) -> None:
        """A step of training: keep its loss for the figure."""
        loss = dict(step.metrics).get("loss")
        if loss is not None:
            self.losses.append(float(loss))
            self.changed.emit(TRAINING)

    def set_loaded(self, loaded: Loaded) -> None:
        self.loaded, self.info = loaded, loaded.embedding.info
        self.config = self.info.config
        self.losses = [float(x) for x in self.info.meta.get("losses", ())]
        self.queue, self.index = loaded.predictions, 0
        self.duplicates = loaded.duplicates
        self.message = f"{self.info.name} ready: {len(self.queue)} predicted links"
        self.changed.emit(MODEL)
        self.changed.emit(QUEUE)
        head = self.current.head if self.current is not None else None
        self.select_entity(self.entity if self.entity in self._graph_ids() else head)

    def metrics_text(self) -> str:
        info = self.info
        if info is None:
            return "No embedding trained yet: choose a model and press Train."
        m, c = info.metrics, info.config
        counts = info.meta.get("counts", {})
        head = (f"{info.name}: {c.model}, dim {c.dim}, {c.epochs} epochs\n"
                f"{counts.get('training', 0)} training triples · {info.meta.get('seconds')} s")
        if not m.triples:
            scores = "Too few facts to hold any out: no metrics"
        else:
            scores = (f"MRR {m.mrr:.3f} · Hits@10 {m.hits_at_10:.3f}\n"
                      f"Hits@1 {m.hits_at_1:.3f} · {m.triples} held-out facts")
            scores += ("\n(filtered; too few to mean much)" if m.triples < 20
                       else "\n(filtered, both sides)")
        stale = ("\nThe graph changed since it was trained: train again to include it."
                 if self.loaded is not None and not self.loaded.current else "")
        return f"{head}\n{scores}{stale}"

    # -- the queue ----------------------------------------------------------------------------
    @property
    def current(self) -> LinkPrediction | None:
        return self.queue[self.index] if 0 <= self.index < len(self.queue) else None

    def select(self, index: int) -> None:
        if 0 <= index < len(self.queue) and index != self.index:
            self.index = index
            self.changed.emit(MOVED)
            if self.current is not None:
                self.select_entity(self.current.head)

    def move(self, step: int) -> None:
        self.select(max(0, min(self.index + step, len(self.queue) - 1)))

    def decide(self, accept: bool) -> LinkPrediction | None:
        """Accept or reject the current link (one transaction, logged); the next moves up."""
        from kg.embed.decisions import accept_link, reject_link

        p = self.current
        if p is None:
            self.message = "No predicted link to decide"
            self.changed.emit(QUEUE)
            return None
        command = accept_link if accept else reject_link
        command(self.project, *p.triple, user=self.user, score=p.score, model=p.model)
        self.queue = self.queue[:self.index] + self.queue[self.index + 1:]
        self.index = max(0, min(self.index, len(self.queue) - 1))
        verb = "accepted: now an edge of the graph" if accept else "rejected: not suggested again"
        self.message = f"{p.head_name} {p.relation} {p.tail_name} {verb}"
        self.changed.emit(QUEUE)
        if accept:
            self.project_state.refresh()  # the graph, queries and exports read it again
        return p

    @property
    def user(self) -> str:
        """Who decides: the project's annotator."""
        return self.project_state.annotation.user

    def show(self) -> bool:
        """Show the current link's first shared sentence in the document view."""
        p = self.current
        if p is None or not p.evidence.sentences:
            return False
        s = p.evidence.sentences[0]
        ps = self.project_state
        if ps.selected is None or ps.selected.id != s.document:
            ps.select(s.document)
        found = next((m for m in ps.mentions if m.sentence == s.sentence
                      and m.entity in (p.head, p.tail)), None)
        ps.focus(found)
        return found is not None

    # -- similar entities ---------------------------------------------------------------------
    def _graph_ids(self) -> set[str]:
        return {e.id for e in self.loaded.graph.graph.entities()} if self.loaded else set()

    def entities(self) -> list[tuple[str, str]]:
        """(entity id, ``name [TYPE]``) of the entities the model knows, by name."""
        if self.loaded is None:
            return []
        known = self.loaded.embedding.entity_to_id
        return sorted(((e.id, f"{e.name} [{e.label}]") for e in
                       self.loaded.graph.graph.entities() if e.id in known),
                      key=lambda pair: (pair[1].casefold(), pair[0]))

    def select_entity(self, entity: str | None) -> None:
        from kg.embed.similar import nearest

        self.entity, self.similar = entity, ()
        loaded = self.loaded
        if loaded is not None and entity is not None \
                and entity in loaded.embedding.entity_to_id:
            graph = loaded.graph.graph
            found = nearest(loaded.embedding, entity, SIMILAR_SIZE,
                            among={e.id for e in graph.entities()})
            self.similar = tuple(Neighbour(n.entity, graph.entity(n.entity).name,
                                           graph.entity(n.entity).label, n.cosine)
                                 for n in found)
        self.changed.emit(SIMILAR)

    def name(self, entity: str) -> str:
        graph = self.loaded.graph.graph if self.loaded is not None else None
        return graph.entity(entity).name if graph is not None and entity in graph else entity

    def merge(self, index: int) -> bool:
        """Merge duplicate candidate `index` through `kg.resolve` (as the graph view does)."""
        from desktop.state import graph_resolve

        if not 0 <= index < len(self.duplicates):
            return False
        module = graph_resolve.resolution()
        if module is None:
            self.message = graph_resolve.NO_RESOLUTION
            self.changed.emit(SIMILAR)
            return False
        d = self.duplicates[index]
        module.merge(self.project, d.a, d.b, self.user)
        self.duplicates = self.duplicates[:index] + self.duplicates[index + 1:]
        self.message = f"Merged {self.name(d.b)} into {self.name(d.a)}"
        self.changed.emit(SIMILAR)
        self.project_state.refresh()
        return True
