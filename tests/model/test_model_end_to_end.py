"""A tiny model trained for a few dozen steps proves training, evaluation, bundles and the
extraction backend end to end, on the real packaged encoder (no downloads)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from nlp.extract import get_extractor
from nlp.model import bundle
from nlp.model.bundle import BundleError
from nlp.model.encoder import resolve_encoder
from nlp.model.evaluate import report
from nlp.model.train import TrainConfig, TrainResult, train
from nlp.progress import Cancelled, CancelToken, Progress, run
from nlp.text import split_sentences
from nlp.training.examples import Example, RelLabel, SpanLabel

PEOPLE = ["John Smith", "Mary Jones", "Ali Khan", "Li Wei", "Ana Lopez", "Tom Brown"]
ORGS = ["Acme Corp", "Globex Inc", "Initech", "Umbrella Ltd", "Hooli"]
CITIES = ["Boston", "Paris", "Lagos", "Tokyo", "Lima"]


def toy(n: int, seed: int) -> list[Example]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        p, o, c = (rng.choice(PEOPLE).split(), rng.choice(ORGS).split(),
                   rng.choice(CITIES).split())
        tokens = [*p, "works", "for", *o, "in", *c, "."]
        ps, os_ = 0, len(p) + 2
        cs = os_ + len(o) + 1
        ents = (SpanLabel(ps, len(p), "PER"), SpanLabel(os_, os_ + len(o), "ORG"),
                SpanLabel(cs, cs + len(c), "LOC"))
        rels = (RelLabel(0, 1, "Work_For"), RelLabel(1, 2, "OrgBased_In"))
        out.append(Example(tuple(tokens), ents, rels, f"doc{i // 3}", i % 3))
    return out


CONFIG = TrainConfig(epochs=40, max_steps=45, lr=5e-4, head_lr=5e-3, batch_pieces=384,
                     max_len=64, warmup=0.05, seed=3)


@pytest.fixture(scope="module")
def trained() -> TrainResult:
    steps: list[Progress] = []
    result = run(train(resolve_encoder(), {"toy": toy(36, 1)}, {"toy": toy(12, 2)}, CONFIG),
                 steps.append)
    assert any(s.stage == "eval" for s in steps)
    assert steps[-1].done == 45 or result.history  # it ran to its step budget
    return result


def test_training_learns_the_toy_task(trained: TrainResult) -> None:
    from nlp.model.runtime import Runtime

    runtime = Runtime(trained.model, trained.tokenizer, trained.scheme, max_len=64)
    scores = report(runtime, toy(15, 3))
    assert scores.ner.micro_f1 > 0.9
    assert scores.re is not None and scores.re.micro_f1 > 0.8
    assert trained.best["dev"]["toy"]["ner"]["micro_f1"] > 0.8


def test_bundle_round_trip_and_extractor(trained: TrainResult, tmp_path: Path) -> None:
    info = bundle.save(tmp_path / "toy-model", trained.model, trained.scheme, resolve_encoder(),
                       {"name": "toy", "config": CONFIG.to_json(), "domains": trained.domains})
    assert {p.name for p in info.path.iterdir()} == {"weights.safetensors", "bundle.json"}
    assert info.scheme == trained.scheme and info.model_id.startswith("toy@")

    extractor = get_extractor("transformer", model=info.path, device="cpu")
    assert extractor.info.id == info.model_id and extractor.info.kind == "transformer"
    text = "Intro line.\n\nAna Lopez works for Hooli in Lima. Li Wei works for Initech in Paris."
    result = extractor.extract(text, split_sentences(text))
    found = {(m.text, m.label) for m in result.mentions}
    assert {("Ana Lopez", "PER"), ("Hooli", "ORG"), ("Lima", "LOC")} <= found
    for m in result.mentions:
        assert text[m.start : m.end] == m.text and 0 < m.confidence <= 1
    rels = {(r.head.text, r.label, r.tail.text) for r in result.relations}
    assert ("Ana Lopez", "Work_For", "Hooli") in rels
    assert all(r.head.sentence == r.tail.sentence for r in result.relations)


def test_bundles_refuse_pickles_and_foreign_encoders(trained: TrainResult,
                                                      tmp_path: Path) -> None:
    folder = tmp_path / "m"
    bundle.save(folder, trained.model, trained.scheme, resolve_encoder(), {"name": "toy"})
    (folder / "pytorch_model.bin").write_bytes(b"\x80\x04not really a pickle")
    with pytest.raises(BundleError, match=r"pytorch_model\.bin"):
        bundle.load(folder, device="cpu")
    (folder / "pytorch_model.bin").unlink()
    meta = (folder / "bundle.json").read_text().replace(resolve_encoder().sha256, "0" * 64)
    (folder / "bundle.json").write_text(meta)
    with pytest.raises(BundleError, match="hash mismatch"):
        bundle.load(folder, device="cpu")


def test_training_stops_at_cancel() -> None:
    cancel = CancelToken()
    work = train(resolve_encoder(), {"toy": toy(12, 4)}, {}, CONFIG, cancel=cancel)
    with pytest.raises(Cancelled):
        for step in work:
            if step.stage == "train" and step.done >= 2:
                cancel.cancel()


def test_onnx_backend_matches_torch(trained: TrainResult, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("onnxruntime")
    from nlp.model import onnx

    monkeypatch.setenv("SKEIN_CACHE", str(tmp_path / "cache"))
    info = bundle.save(tmp_path / "toy-model", trained.model, trained.scheme, resolve_encoder(),
                       {"name": "toy", "config": CONFIG.to_json(), "domains": trained.domains})
    examples = toy(15, 3)
    reference = bundle.load(info.path, device="cpu")
    quantised = bundle.load(info.path, device="cpu", backend="onnx")
    graph = onnx.graph_path(info.path)
    assert graph.is_file() and onnx.graph_path(info.path, quantized=False).is_file()
    assert not any(p.suffix == ".onnx" for p in info.path.iterdir())  # the bundle is untouched
    assert graph.stat().st_size < 0.5 * onnx.graph_path(info.path, quantized=False).stat().st_size
    torch_f1 = report(reference, examples).ner.micro_f1
    onnx_report = report(quantised, examples)
    assert abs(onnx_report.ner.micro_f1 - torch_f1) <= 0.05
    assert onnx_report.re is not None and onnx_report.re.micro_f1 > 0.7
    # the float graph computes what torch computes
    exact = onnx.OnnxForward(onnx.graph_path(info.path, quantized=False))
    from nlp.model import batching

    windows = batching.pack(reference.items([ex.tokens for ex in examples[:4]],
                                            [("d", i) for i in range(4)]), 64, 0)
    tok = reference.tokenizer
    t = batching.collate(windows, None, tok.cls_token_id, tok.sep_token_id)
    _, logits = exact(t)
    import torch

    with torch.inference_mode():
        hidden = reference.model.encode(t["input_ids"], t["attention_mask"], t["shape_ids"],
                                        t["domain_ids"])
        expected = reference.model.ner_logits(hidden, t["word_pos"])
    assert torch.allclose(logits, expected, atol=1e-3)


def test_unknown_backend_is_refused(trained: TrainResult, tmp_path: Path) -> None:
    info = bundle.save(tmp_path / "toy-model", trained.model, trained.scheme, resolve_encoder(),
                       {"name": "toy", "config": CONFIG.to_json(), "domains": trained.domains})
    with pytest.raises(BundleError, match="unknown backend"):
        bundle.load(info.path, backend="tensorrt")
