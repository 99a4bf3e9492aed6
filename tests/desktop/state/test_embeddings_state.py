"""The Embeddings panel's state, headless: train a tiny model on the real test project, the
queue of predicted links (accept → an edge of the graph; reject → never again), similar
entities, cancel."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("PYSTOW_HOME",
                      str(Path(__file__).resolve().parents[3] / ".venv" / "pystow"))

from desktop.state.embeddings_state import MODEL, QUEUE, SIMILAR, EmbeddingsState
from desktop.state.embeddings_text import evidence_text
from desktop.state.project_state import ProjectState
from kg.embed.storage import list_embeddings
from kg.graph import KnowledgeGraph
from nlp.progress import Cancelled, CancelToken, run

TINY = {"dim": 8, "epochs": 3}


def test_without_a_model_it_says_how_to_start(project_path: Path) -> None:
    ps = ProjectState.open(project_path)
    state = EmbeddingsState(ps)
    assert state.info is None and state.loaded is None and state.queue == ()
    assert "press Train" in state.metrics_text()
    seen: list[str] = []
    state.changed.connect(seen.append)
    assert state.decide(True) is None and state.message and seen == [QUEUE]
    with pytest.raises(ValueError, match="dim"):
        state.set_config(dim=0)
    assert state.set_config(model="RotatE", epochs=7).model == "RotatE"
    ps.close()


def test_train_review_links_and_similar_entities(project_path: Path) -> None:
    ps = ProjectState.open(project_path)
    ps.annotation.user = "dana"
    state = EmbeddingsState(ps)
    state.set_config(**TINY)
    seen: list[str] = []
    state.changed.connect(seen.append)

    cancelled = CancelToken()
    cancelled.cancel()
    with pytest.raises(Cancelled):
        run(state.train_work(cancelled))
    assert list_embeddings(project_path) == []  # a cancelled run saves nothing

    state.start_training()
    loaded = run(state.train_work(CancelToken()), state.on_progress)
    assert len(state.losses) == TINY["epochs"]  # one live loss per epoch
    state.set_loaded(loaded)
    assert MODEL in seen and QUEUE in seen and SIMILAR in seen
    assert state.info is not None and state.info.config.dim == 8
    assert "TransE, dim 8, 3 epochs" in state.metrics_text()
    queue = state.queue
    assert len(queue) >= 5
    assert [p.score for p in queue] == sorted((p.score for p in queue), reverse=True)
    assert evidence_text(queue[0], state.name).startswith(queue[0].head_name)

    # similar entities follow the current link's head; never the entity itself
    assert state.entity == queue[0].head
    assert state.similar and state.entity not in {n.entity for n in state.similar}
    cosines = [n.cosine for n in state.similar]
    assert cosines == sorted(cosines, reverse=True)

    state.move(1)
    assert state.index == 1 and state.entity == queue[1].head
    state.move(-5)
    assert state.index == 0
    accepted = state.decide(True)
    rejected = state.decide(False)
    assert accepted == queue[0] and rejected == queue[1] and state.queue == queue[2:]
    assert "rejected" in state.message

    graph = KnowledgeGraph.load(ps.project)
    [edge] = [r for r in graph.relations() if r.predicted]
    assert (edge.head, edge.label, edge.tail) == accepted.triple
    ev = graph.evidence(edge.id)
    assert ev.confirmed_by == "dana" and ev.model == accepted.model and ev.model
    assert ev.score == pytest.approx(accepted.score) and ev.sentence_text == ""

    # read again: neither decided link comes back
    state.set_loaded(run(state.load_work(CancelToken())))
    again = {p.triple for p in state.queue}
    assert accepted.triple not in again and rejected.triple not in again
    assert state.loaded is not None and not state.loaded.current  # the accepted link is new
    assert "changed since it was trained" in state.metrics_text()
    ps.close()
