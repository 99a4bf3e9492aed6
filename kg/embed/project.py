"""Training an embedding of a project's graph, as long work, and reading what it needs.

`train_project` reads the graph (`kg.embed.triples`), holds out a share of the facts,
trains (`kg.embed.train.fit`, one `Progress` per epoch, cancel within an epoch), ranks the
held-out facts (filtered MRR, Hits@k) and saves the model beside the project
(`kg.embed.storage`). A cancelled run saves nothing. The run is recorded in the project's
``jobs`` table like a build.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kg.embed import storage
from kg.embed.config import DEFAULT_STRUCTURE, TrainConfig
from kg.embed.decisions import ACCEPTED, LinkDecision, link_decisions
from kg.embed.storage import Embedding, EmbeddingError, EmbeddingInfo
from kg.embed.train import evaluate, fit
from kg.embed.triples import GraphTriples, Triple, collect, split
from kg.graph import KnowledgeGraph
from kg.records import Snapshot
from nlp.progress import NEVER, Cancelled, CancelToken, Progress, Work

if TYPE_CHECKING:
    from kg.store.project import Project

STAGE = "embed"


@dataclass(frozen=True, slots=True)
class ProjectGraph:
    """What training and predictions read from a project, in one consistent view."""

    snapshot: Snapshot
    graph: KnowledgeGraph
    triples: GraphTriples
    decisions: tuple[LinkDecision, ...]


def read_graph(project: Project, structure: Sequence[str] = DEFAULT_STRUCTURE) -> ProjectGraph:
    from kg.store.reads import snapshot

    snap = snapshot(project)
    graph = KnowledgeGraph.from_snapshot(snap)
    decisions = link_decisions(project)
    accepted = [d.triple for d in decisions if d.decision == ACCEPTED]
    return ProjectGraph(snap, graph, collect(snap, accepted, structure, graph), decisions)


def _ids(labels: set[str]) -> dict[str, int]:
    return {label: i for i, label in enumerate(sorted(labels))}


def _mapped(triples: Sequence[Triple], entities: dict[str, int],
            relations: dict[str, int]) -> Any:
    import torch

    rows = [(entities[h], relations[r], entities[t]) for h, r, t in triples]
    return torch.tensor(rows, dtype=torch.long).reshape(-1, 3)


def train_project(
    project: Project,
    config: TrainConfig | None = None,
    *,
    name: str | None = None,
    structure: Sequence[str] = DEFAULT_STRUCTURE,
    held_out: float = 0.1,
    cancel: CancelToken = NEVER,
) -> Work[EmbeddingInfo]:
    """Train, evaluate and save an embedding of `project`'s graph under `name` (default:
    the model name in lower case); returns the saved folder's info."""
    from pykeen.triples import TriplesFactory

    config = config or TrainConfig()
    folder = storage.folder_for(project.path, name or config.model.lower())
    yield Progress(0, config.epochs, "reading the graph", STAGE)
    pg = read_graph(project, structure)
    train, test = split(pg.triples, held_out, config.seed)
    if not train:
        raise ValueError(f"{project.path}: nothing to train on (no relations, no mentions)")
    entities = _ids({x for h, _, t in train for x in (h, t)})
    relations = _ids({r for _, r, _ in train})
    factory = TriplesFactory(
        mapped_triples=_mapped(train, entities, relations), entity_to_id=entities,
        relation_to_id=relations, create_inverse_triples=config.inverse_triples,
    )
    job = project.start_job(STAGE, {"name": folder.name, **config.to_json()})
    started, status, message = time.monotonic(), "failed", ""
    try:
        fitted = yield from fit(factory, config, cancel=cancel, stage=STAGE)
        cancel.check()
        metrics = evaluate(fitted.model, _mapped(test, entities, relations),
                           [factory.mapped_triples])
        info = storage.save(folder, fitted.model, entities, relations, config, metrics, {
            "project_id": project.project_id, "project": project.path.name,
            "triples_hash": pg.triples.digest(), "structure": list(structure),
            "held_out_fraction": held_out,
            "counts": {"entities": len(entities), "relations": len(relations),
                       "facts": len(pg.triples.facts),
                       "structural": len(pg.triples.structural),
                       "training": len(train), "held_out": len(test)},
            "losses": [round(x, 6) for x in fitted.losses],
            "seconds": round(time.monotonic() - started, 2),
        })
        status, message = "done", f"{folder.name}: MRR {metrics.mrr:.3f} on {len(test)} held out"
    except (Cancelled, GeneratorExit):  # cancelled, or the driver stopped iterating
        status = "cancelled"
        raise
    except Exception as e:
        message = f"{type(e).__name__}: {e}"
        raise
    finally:
        project.finish_job(job, status, message)
    yield Progress(config.epochs, config.epochs, message, STAGE)
    return info


def load_for_project(project: Project, name: str | None = None) -> Embedding:
    """The embedding `name` of `project` (default: the newest), checked to be its own."""
    if name is None:
        found = storage.list_embeddings(project.path)
        if not found:
            raise EmbeddingError(f"{project.path}: no trained embeddings (run `skein embed`)")
        folder = found[0].path
    else:
        folder = storage.folder_for(project.path, name)
    embedding = storage.load(folder)
    if embedding.info.project_id and embedding.info.project_id != project.project_id:
        raise EmbeddingError(f"{folder}: made for another project")
    return embedding


def is_current(info: EmbeddingInfo, pg: ProjectGraph) -> bool:
    """Whether the project's triples are still the ones the model was trained on."""
    structure = tuple(info.meta.get("structure", DEFAULT_STRUCTURE))
    triples = pg.triples if structure == pg.triples.structure else collect(
        pg.snapshot, [d.triple for d in pg.decisions if d.decision == ACCEPTED], structure,
        pg.graph)
    return triples.digest() == info.triples_hash
