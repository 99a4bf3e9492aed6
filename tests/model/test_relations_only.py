"""Training the relation classifier alone (`TrainConfig.relations_only`): entity tagging
does not move, and the corpus with relations is read in every annotation convention so one
encoder pass in any of them reads relations."""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch  # noqa: TID253  (which weights moved is what this test is about)
from toy_news import news

from nlp.model.encoder import load_encoder, load_tokenizer, resolve_encoder
from nlp.model.labels import LabelScheme
from nlp.model.network import JointModel
from nlp.model.runtime import Runtime
from nlp.model.train import TrainConfig, train
from nlp.model.train_data import scheme_of, train_windows
from nlp.progress import run
from nlp.training.examples import Example

CONFIG = TrainConfig(epochs=1, max_steps=4, lr=1e-3, head_lr=5e-3, batch_pieces=64,
                     max_len=48, warmup=0.0, seed=5, device="cpu", relations_only=True)


def corpora() -> dict[str, list[Example]]:
    """A NER-only corpus first (the app's convention), then one with relations."""
    names = [replace(ex, relations=()) for ex in news(6, 3)]
    return {"names": names, "news": news(9, 1)}


def model_for(sets: dict[str, list[Example]]) -> tuple[JointModel, LabelScheme]:
    scheme = scheme_of([ex for exs in sets.values() for ex in exs])
    model = JointModel(load_encoder(resolve_encoder()), len(scheme.tags), len(scheme.types),
                       len(scheme.relations), n_domains=len(sets))
    return model, scheme


def test_only_the_relation_classifier_learns() -> None:
    sets = corpora()
    model, scheme = model_for(sets)
    before = {k: v.detach().clone() for k, v in model.state_dict().items()}
    result = run(train(resolve_encoder(), sets, {}, CONFIG, scheme=scheme, init=model))
    after = result.model.state_dict()
    moved = {k for k in before if not torch.equal(before[k], after[k])}
    assert moved, "the relation classifier did not learn"
    assert all(k.startswith(("relation.", "types.")) for k in moved), sorted(moved)
    assert not any(k.startswith(("encoder.", "ner.", "shape.", "domain.")) for k in moved)
    # the caller's model can be trained as a whole again
    assert all(p.requires_grad for p in result.model.parameters())


def test_the_corpus_with_relations_is_read_in_every_domain() -> None:
    sets = corpora()
    model, scheme = model_for(sets)
    runtime = Runtime(model, load_tokenizer(resolve_encoder()), scheme, max_len=48,
                      device=torch.device("cpu"))
    keys = {ex.doc_id for ex in sets["news"]}
    only = train_windows(runtime, sets, {}, relations_only=True)
    assert {w.domain for w in only} == {0, 1}
    assert all(it.key[0] in keys and it.relations_known for w in only for it in w.items)

    full = train_windows(runtime, sets, {"news": 2})
    by_domain = {d: [it for w in full if w.domain == d for it in w.items] for d in (0, 1)}
    assert all(it.key[0] not in keys and not it.relations_known for it in by_domain[0])
    assert all(it.key[0] in keys and it.relations_known for it in by_domain[1])
    assert len(by_domain[1]) == 2 * len(sets["news"])  # shown twice per epoch


def test_relations_only_needs_relations_and_no_adapters() -> None:
    sets = corpora()
    model, scheme = model_for(sets)
    with pytest.raises(ValueError, match="corpus with relations"):
        run(train(resolve_encoder(), {"names": sets["names"]}, {}, CONFIG, scheme=scheme,
                  init=model))
    with pytest.raises(ValueError, match="LoRA"):
        run(train(resolve_encoder(), sets, {}, replace(CONFIG, lora_rank=4), scheme=scheme,
                  init=model))
