"""A tiny news-style model (PER/ORG/LOC, Work_For/OrgBased_In) trained once for the
learning-loop tests, on the real packaged encoder, plus toy sentences of a new domain."""

from __future__ import annotations

from pathlib import Path

import pytest
from learning_data import news

from nlp.model import bundle
from nlp.model.encoder import resolve_encoder
from nlp.model.train import TrainConfig, TrainResult, train
from nlp.progress import run


@pytest.fixture(scope="session")
def tiny() -> TrainResult:
    """The tiny news model, trained once per session."""
    cfg = TrainConfig(epochs=20, max_steps=20, lr=5e-4, head_lr=5e-3, batch_pieces=384,
                      max_len=64, warmup=0.05, seed=3)
    return run(train(resolve_encoder(), {"news": news(36, 1)}, {}, cfg))


@pytest.fixture(scope="session")
def tiny_bundle(tiny: TrainResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("models") / "tiny"
    info = bundle.save(folder, tiny.model, tiny.scheme, resolve_encoder(),
                       {"name": "tiny", "config": tiny.config.to_json(),
                        "domains": [{"name": "news", "labels": {}, "repeat": 1}]})
    return info.path
