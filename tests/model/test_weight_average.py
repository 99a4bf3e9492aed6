"""The moving average of weights (`TrainConfig.ema`): what training keeps is the average
of the weights after each step, and the live weights come back after an evaluation; and
the dev score epochs are chosen by."""

from __future__ import annotations

import pytest
import torch  # noqa: TID253  (the averaged tensors are what this test is about)
from toy_news import news

from nlp.model.ema import WeightAverage
from nlp.model.encoder import load_encoder, resolve_encoder
from nlp.model.network import JointModel
from nlp.model.train import TrainConfig, scheme_of, train
from nlp.progress import Progress, run

DECAY = 0.5
CONFIG = TrainConfig(epochs=1, max_steps=4, lr=1e-3, head_lr=5e-3, batch_pieces=64,
                     max_len=48, warmup=0.0, seed=5, device="cpu", ema=DECAY)


def test_swapped_in_shows_the_average_then_restores_the_live_weights() -> None:
    layer = torch.nn.Linear(2, 1)
    with torch.no_grad():
        layer.weight.fill_(0.0)
    average = WeightAverage(layer, 0.75)
    with torch.no_grad():
        layer.weight.fill_(4.0)
    average.update()  # 0.75 * 0 + 0.25 * 4
    with average.swapped_in():
        assert torch.allclose(layer.weight, torch.full((1, 2), 1.0))
    assert torch.allclose(layer.weight, torch.full((1, 2), 4.0))
    with pytest.raises(ValueError, match="between 0 and 1"):
        WeightAverage(layer, 1.0)


def test_training_keeps_the_average_of_every_step() -> None:
    examples = news(12, 1)
    scheme = scheme_of(examples)
    model = JointModel(load_encoder(resolve_encoder()), len(scheme.tags), len(scheme.types),
                       len(scheme.relations))
    watched = model.ner.weight
    expected = watched.detach().clone()
    live: list[torch.Tensor] = []

    def look(step: Progress) -> None:
        nonlocal expected
        if step.stage == "train":  # yielded after the step's update
            live.append(watched.detach().clone())
            expected = DECAY * expected + (1 - DECAY) * live[-1]

    result = run(train(resolve_encoder(), {"toy": examples}, {"toy": news(4, 2)}, CONFIG,
                       scheme=scheme, init=model), look)
    assert len(live) >= 3
    assert not torch.allclose(live[-1], live[-2])  # the weights did move
    kept = result.model.ner.weight.detach()
    assert torch.allclose(kept, expected, atol=1e-6)
    assert not torch.allclose(kept, live[-1])


def test_the_dev_score_counts_relations_only_where_the_set_has_some() -> None:
    from nlp.model.train import _selection_score

    def scores(ner: float, re: float, support: int) -> dict[str, object]:
        return {"ner": {"micro_f1": ner},
                "re": {"micro_f1": re, "per_type": {"Kill": {"support": support}}}}

    ner_only, both = scores(0.9, 0.0, 0), scores(0.8, 0.6, 5)
    assert _selection_score({"a": ner_only, "b": both}) == pytest.approx((0.9 + 0.8 + 0.6) / 3)
    assert _selection_score({"a": ner_only}) == pytest.approx(0.9)
