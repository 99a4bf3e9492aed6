"""Model bundles: a folder of ``*.safetensors`` + JSON, never pickle.

``bundle.json`` records the label scheme, the base encoder (name and weights hash), the
training config, seed, data hashes, dev metrics and the version; ``weights.safetensors``
holds the fine-tuned weights: by default all of them in float16 (half the size, the same
predictions to within rounding), or only the encoder's changes from the base encoder,
int8-quantised, or as low-rank factors for a LoRA-trained model (``storage``, see
`nlp.model.weights_codec`; such bundles say
``skein-model/2`` so that older readers refuse them by name). Loading refuses a folder
holding anything else: a pickle or a ``.bin`` file is never even opened.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlp.model.encoder import EncoderError, EncoderRef, resolve_encoder
from nlp.model.labels import LabelScheme
from nlp.model.weights_codec import STORAGES

FORMAT = "skein-model/1"
DELTA_FORMAT = "skein-model/2"
"""A bundle whose weights are stored as changes to its base encoder (``storage``)."""
ALLOWED_SUFFIXES = frozenset({".safetensors", ".json", ".md", ".txt"})
WEIGHTS = "weights.safetensors"
META = "bundle.json"


class BundleError(Exception):
    """A model folder that cannot be used; `str()` names the folder and why."""


@dataclass(frozen=True, slots=True)
class BundleInfo:
    path: Path
    version: str
    scheme: LabelScheme
    encoder: str
    encoder_sha256: str
    meta: dict[str, Any]

    @property
    def storage(self) -> str:
        return str((self.meta.get("storage") or {}).get("kind", "full-fp16"))

    @property
    def model_id(self) -> str:
        return f"{self.meta.get('name', 'skein-model')}@{self.version}"


def read_info(path: str | Path) -> BundleInfo:
    folder = Path(path)
    if not folder.is_dir():
        raise BundleError(f"{folder}: not a model folder")
    for f in folder.iterdir():
        if f.is_dir() or f.suffix not in ALLOWED_SUFFIXES:
            raise BundleError(f"{folder}: refused: '{f.name}' is not safetensors or JSON "
                              "(pickled or unknown files are never loaded)")
    try:
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise BundleError(f"{folder}: no readable {META} ({e})") from None
    if meta.get("format") not in (FORMAT, DELTA_FORMAT):
        raise BundleError(f"{folder}: unknown bundle format {meta.get('format')!r}")
    kind = (meta.get("storage") or {}).get("kind", "full-fp16")
    if kind not in STORAGES or (kind != "full-fp16") != (meta["format"] == DELTA_FORMAT):
        raise BundleError(f"{folder}: unknown weights storage {kind!r} for {meta['format']}")
    if not (folder / WEIGHTS).is_file():
        raise BundleError(f"{folder}: {WEIGHTS} is missing")
    return BundleInfo(folder, str(meta["version"]), LabelScheme.from_json(meta["labels"]),
                      str(meta["encoder"]["name"]), str(meta["encoder"]["sha256"]), meta)


def save(folder: str | Path, model: Any, scheme: LabelScheme, encoder: EncoderRef,
         meta: dict[str, Any], *, storage: str = "full-fp16") -> BundleInfo:
    """Write a bundle atomically (a temp folder renamed into place).

    `storage`: ``full-fp16``, ``delta-int8``, ``delta-int8-sparse`` or ``lora``
    (`weights_codec`). A model trained with LoRA adapters is saved merged, like any other."""
    from safetensors.torch import save_file

    from nlp.model import weights_codec as codec

    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    version = meta.get("version") or dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    full = {
        "format": FORMAT, "version": version, "labels": scheme.to_json(),
        "encoder": {"name": encoder.name, "sha256": encoder.sha256},
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), **meta,
    }
    full["version"] = version
    base = None
    if codec.is_delta(storage):
        from nlp.model.encoder import load_encoder

        base = {codec.ENCODER + k: v for k, v in load_encoder(encoder).state_dict().items()}
    state, full["storage"] = codec.encode(model.state_dict(), storage, base,
                                          tables=codec.lookup_tables(model))
    full["format"] = DELTA_FORMAT if codec.is_delta(storage) else FORMAT
    if not codec.is_delta(storage):
        del full["storage"]  # the very format older readers know
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    save_file(state, str(tmp / WEIGHTS))
    (tmp / META).write_text(json.dumps(full, indent=2, sort_keys=True), encoding="utf-8")
    if folder.exists():
        old = folder.with_name(f".{folder.name}.old")
        folder.replace(old)
        tmp.replace(folder)
        for f in old.iterdir():
            f.unlink()
        old.rmdir()
    else:
        tmp.replace(folder)
    return read_info(folder)


BACKENDS = ("torch", "onnx")


def load(path: str | Path, *, device: str = "auto", max_len: int | None = None,
         backend: str = "torch") -> Any:
    """A `Runtime` for the bundle at `path` (the base encoder must be installed).

    ``backend="onnx"`` runs the encoder through ONNX Runtime, int8-quantised (CPU only;
    the graph is exported once into the cache, see `nlp.model.onnx`)."""
    if backend not in BACKENDS:
        raise BundleError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    from nlp.model import weights_codec as codec
    from nlp.model.encoder import load_encoder, load_tokenizer
    from nlp.model.network import JointModel
    from nlp.model.runtime import Runtime, pick_device

    info = read_info(path)
    try:
        ref = resolve_encoder(info.encoder)
    except EncoderError as e:
        raise BundleError(f"{info.path}: its base encoder is unavailable ({e})") from None
    delta = codec.is_delta(info.storage)
    if ref.sha256 != info.encoder_sha256:
        if delta:
            raise BundleError(
                f"{info.path / WEIGHTS}: stores only the changes to the base encoder "
                f"{info.encoder} with sha256 {info.encoder_sha256[:12]}..., but the installed "
                f"one ({ref.path}) has sha256 {ref.sha256[:12]}... (hash mismatch): install "
                "the encoder it was made on")
        raise BundleError(f"{info.path}: made on different weights of {info.encoder} "
                          "(hash mismatch)")
    cfg = info.meta.get("config", {})
    model = JointModel(load_encoder(ref, pretrained=delta), len(info.scheme.tags),
                       len(info.scheme.types), len(info.scheme.relations),
                       n_domains=max(1, len(info.meta.get("domains", []))),
                       dropout=float(cfg.get("dropout", 0.1)))
    try:
        model.load_state_dict(codec.decode(codec.read(info.path / WEIGHTS), info.storage,
                                           model.state_dict()))
    except codec.CodecError as e:
        raise BundleError(f"{info.path / WEIGHTS}: {e}") from None
    dev = pick_device(device)
    model.to(dev).eval()
    forward = None
    if backend == "onnx":
        from nlp.model.onnx import OnnxError, OnnxForward, ensure_graph

        if dev.type != "cpu":
            raise BundleError(f"{info.path}: the ONNX backend runs on the CPU only")
        try:
            forward = OnnxForward(ensure_graph(info.path))
        except OnnxError as e:
            raise BundleError(str(e)) from None
        model.encoder = model.encoder.to_empty(device="meta")  # its weights live in the graph
    return Runtime(model, load_tokenizer(ref), info.scheme,
                   max_len=max_len or int(cfg.get("max_len", 256)), device=dev, forward=forward,
                   relation_domain=relation_domain(info.meta), calibration=calibration(info))


def calibration(info: BundleInfo) -> Any:
    """The bundle's confidence calibration (`nlp.model.calibration`), None without one."""
    from nlp.model.calibration import Calibration

    data = info.meta.get("calibration")
    if not data:
        return None
    try:
        return Calibration.from_json(data)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as e:
        raise BundleError(f"{info.path / META}: bad calibration ({e})") from None


def relation_domain(meta: dict[str, Any]) -> int | None:
    """The domain whose corpus taught the relations, when only some corpora have them.

    Bundles trained before `Item.relations_known` scored every entity pair of every corpus,
    so a corpus without relation annotations (CoNLL-2003) taught "no relation" in its
    domain; their relations are read in the domain that has them. Newer bundles say
    ``"relation_domain": null`` in bundle.json (one pass, any domain), which wins."""
    if "relation_domain" in meta:
        value = meta["relation_domain"]
        return None if value is None else int(value)
    domains = meta.get("domains", [])
    dev = meta.get("dev_metrics", {})
    names = [d.get("name") if isinstance(d, dict) else str(d) for d in domains]
    with_re = [i for i, n in enumerate(names) if (dev.get(n, {}) or {}).get("re")]
    return with_re[0] if len(with_re) == 1 and len(domains) > 1 else None
