"""The review queue: least-sure-first puts what confuses the model first; random is seeded."""

from __future__ import annotations

import pytest
from learning_data import news

from nlp.model.active import ORDERS, least_sure_first, order, random_order, uncertainty
from nlp.model.runtime import Runtime
from nlp.model.train import TrainResult
from nlp.training.examples import Example


def test_a_confusing_sentence_comes_first(tiny: TrainResult) -> None:
    import torch

    rt = Runtime(tiny.model, tiny.tokenizer, tiny.scheme, max_len=64,
                 device=torch.device("cpu"))
    clear = news(6, 11)
    confusing = Example(("Lima", "for", "Hooli", "Smith", "works", "in", "Tokyo", "Mary",
                         "Initech", "."), doc_id="odd")
    examples = [*clear[:3], confusing, *clear[3:]]
    scores = uncertainty(rt, examples)
    assert len(scores) == 7 and all(0.0 <= s <= 1.0 for s in scores)
    assert least_sure_first(scores)[0] == 3
    assert scores[3] > max(s for i, s in enumerate(scores) if i != 3) + 0.05
    assert order("uncertainty", rt, examples)[0] == 3
    # a long sentence cut into chunks still gets one score
    long = Example(tuple(w for ex in clear for w in ex.tokens), doc_id="long")
    assert len(uncertainty(rt, [long, confusing])) == 2


def test_random_order_is_a_seeded_permutation() -> None:
    assert sorted(random_order(50, 1)) == list(range(50))
    assert random_order(50, 1) == random_order(50, 1) != random_order(50, 2)
    assert least_sure_first([0.1, 0.5, 0.5, 0.0]) == [1, 2, 0, 3]
    assert set(ORDERS) == {"uncertainty", "random"}
    with pytest.raises(ValueError, match="unknown order"):
        order("chaos", None, [])  # type: ignore[arg-type]
