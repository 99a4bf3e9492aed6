"""`fit` as long work: progress per epoch, seeded, cancelled inside an epoch; `evaluate`."""

from __future__ import annotations

import pytest
from embed_toys import toy_factory

from kg.embed.config import TrainConfig
from kg.embed.train import evaluate, fit
from nlp.progress import Cancelled, CancelToken, Progress, run


class CancelOnCheck(CancelToken):
    """A token whose user presses Cancel just before the `at`-th check."""

    def __init__(self, at: int) -> None:
        super().__init__()
        self.at, self.checks = at, 0

    def check(self) -> None:
        self.checks += 1
        if self.checks == self.at:
            self.cancel()
        super().check()


def test_fit_yields_one_progress_per_epoch_and_is_seeded() -> None:
    import torch

    factory = toy_factory()
    config = TrainConfig(model="TransE", dim=8, epochs=4, batch_size=8, seed=3)
    steps: list[Progress] = []
    first = run(fit(factory, config), steps.append)
    assert [s.done for s in steps] == [0, 1, 2, 3, 4]
    assert all(s.total == 4 and s.stage == "embed" for s in steps)
    assert len(first.losses) == 4 and "loss" in steps[-1].message
    again = run(fit(factory, config))
    triples = factory.mapped_triples
    assert torch.equal(first.model.score_hrt(triples), again.model.score_hrt(triples))
    other = run(fit(factory, TrainConfig(model="TransE", dim=8, epochs=4, batch_size=8, seed=4)))
    assert not torch.equal(first.model.score_hrt(triples), other.model.score_hrt(triples))


def test_cancel_stops_training_inside_the_running_epoch() -> None:
    factory = toy_factory()  # 27 triples: 27 batches of one per epoch
    cancel = CancelOnCheck(at=5)  # check 1 is before epoch 1, then one per batch
    config = TrainConfig(model="TransE", dim=8, epochs=50, batch_size=1)
    steps: list[Progress] = []
    with pytest.raises(Cancelled):
        run(fit(factory, config, cancel=cancel), steps.append)
    assert [s.done for s in steps] == [0]  # epoch 1 never finished
    assert cancel.checks == 5  # it stopped at the first check after the cancel


def test_evaluate_ranks_held_out_triples_filtered_both_sides() -> None:
    factory = toy_factory()
    fitted = run(fit(factory, TrainConfig(model="DistMult", dim=16, epochs=30, loop="lcwa",
                                          loss="crossentropy", learning_rate=0.05)))
    triples = factory.mapped_triples
    m = evaluate(fitted.model, triples[:5], [triples[5:]])
    assert m.triples == 5
    assert 0.0 < m.mrr <= 1.0
    assert m.hits_at_1 <= m.hits_at_3 <= m.hits_at_10 <= 1.0
    assert evaluate(fitted.model, triples[:0], [triples]).triples == 0


def test_bad_configs_are_refused_with_a_reason() -> None:
    with pytest.raises(ValueError, match="loop"):
        TrainConfig(loop="owa")
    with pytest.raises(ValueError, match="dim"):
        TrainConfig(dim=0)
    with pytest.raises(ValueError, match="NoSuchModel"):
        run(fit(toy_factory(), TrainConfig(model="NoSuchModel", epochs=1)))
