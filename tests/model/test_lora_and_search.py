"""LoRA training on the real packaged encoder, its low-rank bundle storage, and the optuna
search over training settings: a few steps each on the toy news sentences."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import torch  # noqa: TID253  (frozen weights and gradients are what this test is about)
from safetensors.torch import load_file, save_file
from toy_news import news

from nlp.model import bundle, weights_codec
from nlp.model.bundle import BundleError
from nlp.model.encoder import load_encoder, resolve_encoder
from nlp.model.network import JointModel
from nlp.model.runtime import Runtime
from nlp.model.search import SearchSpace, search
from nlp.model.train import TrainConfig, TrainResult, scheme_of, train
from nlp.progress import Cancelled, CancelToken, Progress, run

RANK = 4
CONFIG = TrainConfig(epochs=3, max_steps=4, lr=2e-3, head_lr=5e-3, batch_pieces=256,
                     max_len=64, warmup=0.05, seed=3, device="cpu", lora_rank=RANK)
TRAIN, DEV = {"toy": news(16, 1)}, {"toy": news(6, 2)}
SENTENCES = [list(ex.tokens) for ex in news(5, 3)]
KEYS = [("d", i) for i in range(len(SENTENCES))]


def targeted(name: str) -> bool:
    """An encoder weight matrix that LoRA adapts (query, value and the dense layers)."""
    return name.endswith(("query.weight", "value.weight", "dense.weight"))


class Trained:
    def __init__(self, result: TrainResult, before: dict[str, torch.Tensor],
                 grads: set[str], names: list[str]) -> None:
        self.result, self.before, self.grads, self.names = result, before, grads, names


@pytest.fixture(scope="module")
def trained() -> Trained:
    scheme = scheme_of(TRAIN["toy"])
    model = JointModel(load_encoder(resolve_encoder()), len(scheme.tags), len(scheme.types),
                       len(scheme.relations))
    before = {k: v.clone() for k, v in model.state_dict().items()}
    grads: set[str] = set()
    names: list[str] = []

    def look(step: Progress) -> None:
        nonlocal grads, names
        if step.stage == "train" and step.done == 1:  # the first step's gradients
            names = [n for n, _ in model.named_parameters()]
            grads = {n for n, p in model.named_parameters() if p.grad is not None}

    result = run(train(resolve_encoder(), TRAIN, DEV, CONFIG, scheme=scheme, init=model), look)
    assert result.model is model
    return Trained(result, before, grads, names)


def test_only_adapters_and_heads_get_gradients(trained: Trained) -> None:
    adapters = {n for n in trained.names if ".lora_A." in n or ".lora_B." in n}
    heads = {n for n in trained.names if not n.startswith("encoder.")}
    # 6 blocks x 5 adapted layers (query, value, attention output, intermediate, output)
    assert len(adapters) == 6 * 5 * 2
    assert {"shape.weight", "domain.weight", "ner.weight", "relation.0.weight"} <= heads
    assert trained.grads == adapters | heads
    # per block: rank x (in + out) for query, value, attention output (384 -> 384 each),
    # intermediate (384 -> 1536) and output (1536 -> 384): 6144 x rank
    head = sum(v.numel() for k, v in trained.before.items() if not k.startswith("encoder."))
    assert trained.result.trainable == 6 * 6144 * RANK + head


def test_merged_encoder_changed_by_low_rank_in_targets_only(trained: Trained) -> None:
    model = trained.result.model
    state = model.state_dict()
    assert state.keys() == trained.before.keys()  # merged: the plain model's names again
    assert all(p.requires_grad for p in model.parameters())  # trainable again, as loaded
    moved = 0
    for name, value in state.items():
        change = value - trained.before[name]
        if not name.startswith("encoder."):
            continue
        if targeted(name):
            assert torch.linalg.matrix_rank(change, rtol=1e-4) <= RANK, name
            moved += bool(change.any())
        else:
            assert torch.equal(value, trained.before[name]), name  # frozen
    assert moved == 6 * 5
    for name in ("ner.weight", "shape.weight", "relation.3.weight"):  # the heads trained
        assert not torch.equal(state[name], trained.before[name]), name


def outputs(runtime: Any) -> tuple[torch.Tensor, list[Any]]:
    from nlp.model import batching

    windows = batching.pack(runtime.items(SENTENCES, KEYS), 64, 0)
    tok = runtime.tokenizer
    t = batching.collate(windows, None, tok.cls_token_id, tok.sep_token_id)
    with torch.inference_mode():
        hidden = runtime.model.encode(t["input_ids"], t["attention_mask"], t["shape_ids"],
                                      t["domain_ids"])
        logits = runtime.model.ner_logits(hidden, t["word_pos"])
    return logits, runtime.predict(SENTENCES, KEYS)


def save(result: TrainResult, folder: Path, storage: str) -> bundle.BundleInfo:
    return bundle.save(folder, result.model, result.scheme, resolve_encoder(),
                       {"name": "lora", "config": result.config.to_json(),
                        "domains": result.domains}, storage=storage)


@pytest.fixture(scope="module")
def saved(trained: Trained, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("lora")
    return {s: save(trained.result, root / s, s).path for s in ("delta-int8-sparse", "lora")}


@pytest.mark.parametrize("storage", ["delta-int8-sparse", "lora"])
def test_bundle_loads_normally_and_predicts_as_in_memory(trained: Trained, storage: str,
                                                         saved: dict[str, Path]) -> None:
    result = trained.result
    info = bundle.read_info(saved[storage])
    assert info.meta["config"]["lora"] == {"rank": RANK, "alpha": 16,
                                           "targets": ["query", "value", "dense"]}
    assert "lora_rank" not in info.meta["config"]
    assert TrainConfig.from_json(info.meta["config"]) == CONFIG
    model = result.model.eval()
    memory = Runtime(model, result.tokenizer, result.scheme, max_len=64)
    (ref_logits, ref_preds), (logits, preds) = outputs(memory), outputs(
        bundle.load(info.path, device="cpu"))
    assert (logits - ref_logits).abs().max() < 0.01 * ref_logits.abs().max()
    assert [[x[:3] for x in p.spans] for p in preds] == [
        [x[:3] for x in p.spans] for p in ref_preds]
    assert [[r[:3] for r in p.relations] for p in preds] == [
        [r[:3] for r in p.relations] for p in ref_preds]


def test_lora_storage_keeps_only_factors_and_is_small(saved: dict[str, Path]) -> None:
    info = bundle.read_info(saved["lora"])
    assert info.storage == "lora" and info.meta["format"] == "skein-model/2"
    assert info.meta["storage"]["rank"] == RANK
    tensors = load_file(str(info.path / "weights.safetensors"))
    ranks = {n: t.shape[0] for n, t in tensors.items() if n.endswith("#lora_a")}
    assert sorted(r for r in ranks.values() if r) == [RANK] * 30
    assert all(targeted(n.removesuffix("#lora_a")) for n, r in ranks.items() if r)
    size, sparse = ((saved[s] / "weights.safetensors").stat().st_size for s in
                    ("lora", "delta-int8-sparse"))
    assert size < 0.2 * sparse and size < 2_000_000


def test_tampered_factors_are_refused(saved: dict[str, Path], tmp_path: Path) -> None:
    folder = tmp_path / "m"
    folder.mkdir()
    for f in saved["lora"].iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    name = "encoder.encoder.layer.0.attention.self.query.weight"
    tensors = load_file(str(folder / "weights.safetensors"))
    tensors[name + "#lora_a"] = torch.zeros(RANK, 100, dtype=torch.float16)
    save_file(tensors, str(folder / "weights.safetensors"))
    with pytest.raises(BundleError, match=r"#lora_a' has shape \(4, 100\)"):
        bundle.load(folder, device="cpu")


def test_full_rank_changes_are_refused_by_lora_storage() -> None:
    torch.manual_seed(0)
    base = {"encoder.w": torch.randn(64, 48), "head.w": torch.randn(3, 8)}
    low = {**base, "encoder.w": base["encoder.w"] + torch.randn(64, 2) @ torch.randn(2, 48)}
    tensors, record = weights_codec.encode(low, "lora", base)
    assert record["rank"] == 2 and tensors["encoder.w#lora_a"].shape == (2, 48)
    restored = weights_codec.decode(tensors, "lora", base)["encoder.w"]
    assert torch.allclose(restored, low["encoder.w"], atol=1e-2)
    full = {**base, "encoder.w": base["encoder.w"] + 0.01 * torch.randn(64, 48)}
    with pytest.raises(weights_codec.CodecError, match="not low-rank"):
        weights_codec.encode(full, "lora", base)


def test_continues_from_a_bundle_with_new_adapters(saved: dict[str, Path],
                                                   tmp_path: Path) -> None:
    """A second LoRA stage on a loaded LoRA bundle: the change from the base encoder has
    rank at most twice the adapters' and the lora storage still takes it."""
    start = bundle.load(saved["lora"], device="cpu")
    result = run(train(resolve_encoder(), TRAIN, {}, replace(CONFIG, max_steps=1, seed=4),
                       scheme=start.scheme, init=start.model))
    info = save(result, tmp_path / "again", "lora")
    assert RANK < info.meta["storage"]["rank"] <= 2 * RANK
    assert len(bundle.load(info.path, device="cpu").predict(SENTENCES, KEYS)) == len(KEYS)


SEARCH = replace(CONFIG, max_steps=1, lora_rank=0)
SPACE = SearchSpace(epochs=(1, 2), lora_ranks=(0, 2))


def test_search_returns_the_best_of_its_trials() -> None:
    steps: list[Progress] = []
    result = run(search(resolve_encoder(), TRAIN, DEV, SEARCH, trials=2, space=SPACE,
                        seed=7), steps.append)
    assert [t.number for t in result.trials] == [0, 1]
    assert result.best.score == max(t.score for t in result.trials)
    for t in result.trials:
        assert t.config == replace(SEARCH, **t.params)
        assert set(t.params) == {"lr", "head_lr", "epochs", "dropout", "warmup", "lora_rank"}
        assert 1e-5 <= t.params["lr"] <= 5e-4 and t.params["lora_rank"] in (0, 2)
        assert 0.0 <= t.score <= 1.0 and t.epoch >= 1
    assert steps[-1].done == steps[-1].total == 2000
    assert [s.done for s in steps] == sorted(s.done for s in steps)  # the bar only grows
    assert json.loads(json.dumps(result.to_json()))["best"]["number"] == result.best.number


class FakeTrained:
    def __init__(self, score: float) -> None:
        self.best = {"score": score, "epoch": 1}


def test_search_is_repeatable_and_stops_at_cancel(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sampler is seeded; a cancel ends the search at the next check (training itself
    is stubbed here: the real one checks the token every step)."""
    import nlp.model.train as train_module

    def fake(encoder: Any, train_sets: Any, dev_sets: Any, config: TrainConfig,
             **_: Any) -> Iterator[Progress]:
        yield Progress(0, 1, "step", "train")
        return FakeTrained(-abs(config.lr - 1e-4) * 1e3)

    monkeypatch.setattr(train_module, "train", fake)
    ref = resolve_encoder()
    first, second = (run(search(ref, TRAIN, DEV, SEARCH, trials=6, seed=11)) for _ in "ab")
    assert [t.params for t in first.trials] == [t.params for t in second.trials]
    assert first.best.params["lr"] == min((t.params["lr"] for t in first.trials),
                                          key=lambda lr: abs(lr - 1e-4))
    other = run(search(ref, TRAIN, DEV, SEARCH, trials=2, seed=12))
    assert other.trials[0].params != first.trials[0].params

    cancel = CancelToken()
    seen: list[Progress] = []
    with pytest.raises(Cancelled):
        for step in search(ref, TRAIN, DEV, SEARCH, trials=5, cancel=cancel):
            seen.append(step)
            if step.message.endswith(")"):  # a trial's score: cancel after the first
                cancel.cancel()
    assert sum(s.message.endswith(")") for s in seen) == 1
    with pytest.raises(ValueError, match="dev"):
        run(search(ref, TRAIN, {}, SEARCH))


def test_real_training_in_a_search_stops_at_cancel() -> None:
    cancel = CancelToken()
    with pytest.raises(Cancelled):
        for step in search(resolve_encoder(), TRAIN, DEV, replace(SEARCH, max_steps=3),
                           trials=2, space=SPACE, cancel=cancel):
            if step.metrics and step.metrics[0][0] == "loss":  # mid-training
                cancel.cancel()
