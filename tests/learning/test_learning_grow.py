"""Growing the label set keeps what the model knew; training on from a bundle learns new
types from a handful of examples while replay keeps the old ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from learning_data import DEVICES, gadgets, news

from nlp.model import bundle
from nlp.model.evaluate import report
from nlp.model.grow import continue_training, grow, load_base, save_continued, union_scheme
from nlp.model.labels import LabelScheme
from nlp.model.runtime import Runtime
from nlp.model.train import TrainConfig, TrainResult
from nlp.progress import Cancelled, CancelToken, run

SCIERC = LabelScheme(("Generic", "Method", "Task"), ("Used-for", "Work_For"),
                     (("Used-for", "Method", "Task"), ("Work_For", "Method", "Generic")))


def test_union_keeps_old_labels_and_constraints_first() -> None:
    old = LabelScheme(("LOC", "ORG", "PER"), ("OrgBased_In", "Work_For"),
                      (("OrgBased_In", "ORG", "LOC"), ("Work_For", "PER", "ORG")))
    union = union_scheme(old, SCIERC)
    assert union.types == ("LOC", "ORG", "PER", "Generic", "Method", "Task")
    assert union.tags[: len(old.tags)] == old.tags
    assert union.relations == ("OrgBased_In", "Work_For", "Used-for")
    assert union.allowed("PER", "ORG") == old.allowed("PER", "ORG") == [2]
    assert union.allowed("ORG", "LOC") == [1]
    assert union.allowed("Method", "Task") == [3] and union.allowed("Method", "Generic") == [2]
    assert union.allowed("PER", "Task") == []


def test_grown_model_predicts_what_the_old_one_did(tiny: TrainResult) -> None:
    import torch

    old = Runtime(tiny.model, tiny.tokenizer, tiny.scheme, max_len=64,
                  device=torch.device("cpu"))
    scheme = union_scheme(tiny.scheme, SCIERC)
    grown = Runtime(grow(tiny.model, tiny.scheme, scheme, n_domains=2), tiny.tokenizer, scheme,
                    max_len=64, device=torch.device("cpu"))
    assert grown.model.encoder is not tiny.model.encoder  # training it leaves the old alone
    examples = news(12, 7)
    sentences, keys = [ex.tokens for ex in examples], [(ex.doc_id, ex.index) for ex in examples]
    before = old.predict(sentences, keys)
    for domain in (0, 1):  # the new domain starts as the default convention
        after = grown.predict(sentences, keys, domain)
        for b, a in zip(before, after, strict=True):
            assert [s[:3] for s in a.spans] == [s[:3] for s in b.spans]
            assert [r[:3] for r in a.relations] == [r[:3] for r in b.relations]
            for x, y in zip(a.spans + a.relations, b.spans + b.relations, strict=True):
                assert abs(x[3] - y[3]) < 0.01  # confidences nearly unchanged
    assert report(old, examples).ner.micro_f1 == report(grown, examples).ner.micro_f1 > 0.9


def test_continue_training_learns_a_new_type(tiny_bundle: Path, tmp_path: Path) -> None:
    import torch

    base = load_base(tiny_bundle, device="cpu")
    cfg = TrainConfig(epochs=30, max_steps=30, lr=3e-4, head_lr=5e-3, batch_pieces=384,
                      max_len=64, warmup=0.05, seed=5, device="cpu")
    steps = []
    result = run(continue_training(base, gadgets(12, 1, DEVICES[:4]), news(8, 2), cfg,
                                   domain="gadgets"), steps.append)
    assert result.domains == ["news", "gadgets"]
    assert {"DEVICE", "PER", "ORG", "LOC"} <= set(result.scheme.types)
    assert result.scheme.tags[: len(base.runtime.scheme.tags)] == base.runtime.scheme.tags
    assert "Tested" in result.scheme.relations and steps[-1].done == 30
    rt = Runtime(result.model, result.tokenizer, result.scheme, max_len=64,
                 device=torch.device("cpu"))
    unseen = gadgets(10, 9, DEVICES[4:])  # device names it never saw
    new = report(rt, unseen, domain=1)
    assert new.ner.per_type["DEVICE"].f1 >= 0.8 and new.ner.micro_f1 >= 0.8
    assert new.re is not None and new.re.micro_f1 >= 0.5
    old = report(rt, news(12, 7), domain=0)  # replay kept the old task
    assert old.ner.micro_f1 > 0.85

    info = save_continued(tmp_path / "grown", result, base, gadgets(12, 1, DEVICES[:4]),
                          new_domain="gadgets")
    assert info.meta["base_model"] == base.info.model_id
    assert [d["name"] for d in info.meta["domains"]] == ["news", "gadgets"]
    again = bundle.load(info.path, device="cpu")
    assert again.relation_domain == 1  # the relations it learnt last are read where taught
    assert report(again, unseen, domain=1).ner.micro_f1 == pytest.approx(new.ner.micro_f1,
                                                                         abs=0.05)


def test_continue_training_needs_examples_and_stops_at_cancel(tiny_bundle: Path) -> None:
    with pytest.raises(ValueError, match="no new examples"):
        run(continue_training(tiny_bundle, []))
    cancel = CancelToken()
    work = continue_training(tiny_bundle, gadgets(6, 3), (), TrainConfig(
        max_steps=20, batch_pieces=64, max_len=64, device="cpu"), cancel=cancel)
    with pytest.raises(Cancelled):
        for step in work:
            if step.stage == "train" and step.done >= 1:
                cancel.cancel()
