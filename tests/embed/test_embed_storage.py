"""Model folders: safetensors + JSON round trip to identical scores; anything else refused."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from embed_toys import toy_factory

from kg.embed import storage
from kg.embed.config import Metrics, TrainConfig
from kg.embed.storage import EmbeddingError
from kg.embed.train import fit
from nlp.progress import run

METRICS = Metrics(0.5, 0.25, 0.5, 1.0, 4)


def _save(folder: Path, config: TrainConfig) -> tuple[Any, Any]:
    factory = toy_factory(inverse=config.inverse_triples)
    fitted = run(fit(factory, config))
    storage.save(folder, fitted.model, factory.entity_to_id,
                 factory.relation_to_id, config, METRICS,
                 {"project_id": "p1", "triples_hash": "abc"})
    return factory, fitted.model


@pytest.mark.parametrize("config", [
    TrainConfig(model="TransE", dim=8, epochs=2, batch_size=8),
    TrainConfig(model="ComplEx", dim=8, epochs=2, batch_size=8, loop="lcwa"),
    TrainConfig(model="RotatE", dim=8, epochs=2, batch_size=8, inverse_triples=True),
], ids=lambda c: c.model)
def test_round_trip_gives_identical_scores(tmp_path: Path, config: TrainConfig) -> None:
    import torch

    folder = tmp_path / "p.skein.embeddings" / config.model.lower()
    factory, model = _save(folder, config)
    assert sorted(f.name for f in folder.iterdir()) == [
        "config.json", "entities.json", "model.safetensors", "relations.json"]
    loaded = storage.load(folder)
    triples = factory.mapped_triples
    assert torch.equal(model.score_hrt(triples), loaded.model.score_hrt(triples))
    assert torch.equal(model.score_t(triples[:, :2]), loaded.model.score_t(triples[:, :2]))
    assert loaded.entity_to_id == factory.entity_to_id
    info = loaded.info
    assert info.config == config and info.metrics == METRICS
    assert info.project_id == "p1" and info.triples_hash == "abc" and info.created_at
    meta = json.loads((folder / "config.json").read_text())
    assert meta["format"] == storage.FORMAT and meta["model"] == config.model
    assert meta["dim"] == config.dim and meta["seed"] == config.seed
    assert meta["versions"]["pykeen"] and meta["versions"]["torch"]
    # saving again replaces the folder whole, and leaves no temp folders behind
    _save(folder, config)
    assert [f.name for f in folder.parent.iterdir()] == [folder.name]


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    folder = tmp_path / "m"
    _save(folder, TrainConfig(model="TransE", dim=8, epochs=1, batch_size=8))
    return folder


def test_a_pickle_in_the_folder_is_refused_unread(saved: Path) -> None:
    class Boom:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (exec, ("raise SystemExit('pickle code ran')",))

    (saved / "trained_model.pkl").write_bytes(pickle.dumps(Boom()))
    with pytest.raises(EmbeddingError, match=r"refused: 'trained_model.pkl'"):
        storage.load(saved)
    assert storage.list_embeddings(saved.parent) == []


@pytest.mark.parametrize("damage", ["subfolder", "bin", "no-weights", "format", "ids", "shape"])
def test_damaged_folders_are_refused_with_a_reason(saved: Path, damage: str) -> None:
    entities = json.loads((saved / "entities.json").read_text())
    if damage == "subfolder":
        (saved / "extra").mkdir()
    elif damage == "bin":
        (saved / "pytorch_model.bin").write_bytes(b"\x80\x04")
    elif damage == "no-weights":
        (saved / "model.safetensors").unlink()
    elif damage == "format":
        meta = json.loads((saved / "config.json").read_text())
        (saved / "config.json").write_text(json.dumps({**meta, "format": "pykeen-pickle"}))
    elif damage == "ids":
        (saved / "entities.json").write_text(json.dumps({k: v + 1 for k, v in entities.items()}))
    elif damage == "shape":  # one more entity than the stored tensors have rows
        (saved / "entities.json").write_text(json.dumps({**entities, "new": len(entities)}))
    with pytest.raises(EmbeddingError, match=str(saved)):
        storage.load(saved)


def test_names_of_embeddings_are_checked(tmp_path: Path) -> None:
    assert storage.folder_for(tmp_path / "p.skein", "transe") == (
        tmp_path / "p.skein.embeddings" / "transe")
    for bad in ("../x", ".hidden", "a/b", ""):
        with pytest.raises(EmbeddingError):
            storage.folder_for(tmp_path / "p.skein", bad)
