"""Growing a trained model's label set, and training on from it without forgetting.

A new domain brings its own types (SciERC's Task, Method, Metric, ...). `grow` builds a
`JointModel` for the union of the old and the new label scheme and copies everything the
old model learned: the encoder, the shape and domain embeddings, the tag-layer rows of
every old tag, the type embeddings of every old type and the relation rows of "none" and
every old relation. The new tag and relation rows start silent (zero weights, a low
bias), so before any further training the grown model predicts what the old one did.

`continue_training` then fine-tunes it on the new examples under their own annotation
convention (a new "domain" id, or the one the bundle already has for them) mixed with a
replay sample of the original training data under the original conventions, so old
knowledge is rehearsed while the new labels are learned. It is long work in Skein's one
shape (a `Progress` generator) and runs `nlp.model.train.train` on the grown model.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nlp.model.labels import LabelScheme
from nlp.progress import NEVER, CancelToken, Progress, Work
from nlp.training.examples import Example, data_hash

if TYPE_CHECKING:
    from nlp.model.bundle import BundleInfo
    from nlp.model.network import JointModel
    from nlp.model.runtime import Runtime
    from nlp.model.train import EpochWatch, TrainConfig, TrainResult

SILENT_MARGIN = 4.0
"""A new output row's bias sits this far below the lowest old bias: it starts silent."""


@dataclass(frozen=True)
class Base:
    """A loaded bundle to train on from: its runtime (torch backend) and its metadata."""

    runtime: Runtime
    info: BundleInfo

    @property
    def domains(self) -> list[str]:
        """The annotation conventions the model knows, in domain-id order."""
        return domain_names(self.info.meta)


def domain_names(meta: Mapping[str, Any]) -> list[str]:
    """Domain names from bundle metadata (a list of dicts with "name", or of names)."""
    raw = meta.get("domains") or ["default"]
    return [str(d["name"]) if isinstance(d, Mapping) else str(d) for d in raw]


def load_base(path: str | Path, device: str = "auto") -> Base:
    from nlp.model import bundle

    return Base(bundle.load(path, device=device), bundle.read_info(path))


def union_scheme(old: LabelScheme, new: LabelScheme) -> LabelScheme:
    """Old types, relations and type constraints first (in their order), then what is new."""
    def merged(a: Sequence[Any], b: Sequence[Any]) -> tuple[Any, ...]:
        return (*a, *(x for x in b if x not in a))

    return LabelScheme(merged(old.types, new.types), merged(old.relations, new.relations),
                       merged(old.schema, new.schema))


def _copy_rows(src: Any, dst: Any, old: Sequence[str], new: Sequence[str]) -> None:
    """Copy a linear layer's output rows by label; rows of new labels start silent."""
    import torch

    with torch.no_grad():
        floor = float(src.bias.min()) - SILENT_MARGIN
        dst.weight.zero_()
        dst.bias.fill_(floor)
        for i, label in enumerate(new):
            if label in old:
                j = old.index(label)
                dst.weight[i].copy_(src.weight[j])
                dst.bias[i].copy_(src.bias[j])


def grow(model: JointModel, old: LabelScheme, new: LabelScheme, *, n_domains: int,
         init_domain: int = 0, dropout: float = 0.1) -> JointModel:
    """A copy of `model` for the label scheme `new` (normally `union_scheme(old, ...)`),
    with `n_domains` domain embeddings; domains the old model lacks start as its
    `init_domain` (the convention the new one is closest to, by default the app's)."""
    import torch

    from nlp.model.network import JointModel

    if model.encoder.device.type == "meta":
        raise ValueError("the model's encoder weights are not loaded (an ONNX runtime); "
                         "load the bundle with the torch backend to train it")
    first = model.relation[0]
    if not isinstance(first, torch.nn.Linear):
        raise TypeError(f"unexpected relation layer {type(first).__name__}")
    pair_dim = first.out_features
    grown = JointModel(copy.deepcopy(model.encoder), len(new.tags), len(new.types),
                       len(new.relations), n_domains=n_domains, type_dim=model.types.embedding_dim,
                       pair_dim=pair_dim, dropout=dropout)
    grown.to(next(model.parameters()).device)
    with torch.no_grad():
        grown.shape.weight.copy_(model.shape.weight)
        old_n = model.domain.weight.size(0)
        for d in range(n_domains):
            grown.domain.weight[d].copy_(model.domain.weight[d if d < old_n else init_domain])
        _copy_rows(model.ner, grown.ner, old.tags, new.tags)
        for i, t in enumerate(new.types):
            if t in old.types:
                grown.types.weight[i].copy_(model.types.weight[old.types.index(t)])
        grown.relation[0].load_state_dict(model.relation[0].state_dict())
        _copy_rows(model.relation[3], grown.relation[3], ("", *old.relations),
                   ("", *new.relations))
    return grown


def continue_training(
    base: Base | str | Path,
    new_examples: Sequence[Example],
    replay: Sequence[Example] | Mapping[str, Sequence[Example]] = (),
    config: TrainConfig | None = None,
    *,
    domain: str = "corrections",
    dev: Sequence[Example] = (),
    on_epoch: EpochWatch | None = None,
    cancel: CancelToken = NEVER,
) -> Work[TrainResult]:
    """Train on from `base` with `new_examples` under the annotation convention `domain`
    (a new domain id unless the bundle has one of that name) plus `replay`: a list
    (trained under the bundle's default convention) or {domain name: examples} (each
    under its own convention, the bundle's default where it has no such domain).

    The label scheme grows to take in the new types and relations; `dev` (in `domain`'s
    convention) picks the best epoch, else the last one is kept; `on_epoch` scores each
    epoch for the caller's figures (`train`). The result's `domains` are the grown model's
    domain names, in id order."""
    from nlp.model.encoder import resolve_encoder
    from nlp.model.train import TrainConfig, scheme_of, train

    if not new_examples:
        raise ValueError("nothing to train on: no new examples")
    yield Progress(0, 0, "loading the model", "load")
    base = base if isinstance(base, Base) else load_base(base)
    cfg = config or TrainConfig()
    domains = base.domains
    if domain not in domains:
        domains.append(domain)
    sets: dict[str, list[Example]] = {d: [] for d in domains}
    groups = replay.items() if isinstance(replay, Mapping) else [(domains[0], replay)]
    for name, exs in groups:
        sets[name if name in sets else domains[0]].extend(exs)
    sets[domain].extend(new_examples)
    old = base.runtime.scheme
    scheme = union_scheme(old, scheme_of([ex for exs in sets.values() for ex in exs]))
    model = grow(base.runtime.model, old, scheme, n_domains=len(domains), dropout=cfg.dropout)
    ref = resolve_encoder(base.info.encoder)
    result = yield from train(ref, sets, {domain: dev} if dev else {}, cfg, scheme=scheme,
                              init=model, on_epoch=on_epoch, cancel=cancel)
    return result


def save_continued(folder: str | Path, result: TrainResult, base: Base,
                   new_examples: Sequence[Example], *, new_domain: str = "corrections",
                   name: str = "", extra: Mapping[str, Any] | None = None,
                   storage: str = "delta-int8") -> BundleInfo:
    """Save a continued model as a bundle that records what it grew from; `new_domain`
    is the `domain` the new examples were trained under. `storage` (`weights_codec`): by
    default only the encoder's change, int8 — half of full-fp16, and it needs nothing the
    base model did not (the base encoder with the same hash)."""
    from nlp.model import bundle
    from nlp.model.encoder import resolve_encoder

    known = {str(d["name"]): dict(d) for d in base.info.meta.get("domains", [])
             if isinstance(d, Mapping)}
    types = sorted({s.label for ex in new_examples for s in ex.entities})
    domains = [known.get(d, {"name": d, "labels": {t: t for t in types}, "repeat": 1})
               for d in result.domains]
    has_relations = any(ex.relations for ex in new_examples)
    meta = {
        "name": name or base.info.meta.get("name", "skein-model"),
        "base_model": base.info.model_id,
        "config": result.config.to_json(),
        "seed": result.config.seed,
        "domains": domains,
        "data": {**base.info.meta.get("data", {}),
                 "continued": {"examples": len(new_examples),
                               "train_hash": data_hash(new_examples)}},
        "dev_metrics": result.best.get("dev", {}),
        "history": result.history,
        "train_seconds": round(result.seconds, 1),
        # where relations are read (see `bundle.relation_domain`): the new examples' own
        # convention when they teach relations, else wherever the base model read them
        "relation_domain": (result.domains.index(new_domain)
                            if has_relations and new_domain in result.domains
                            else bundle.relation_domain(base.info.meta)),
        **(extra or {}),
    }
    inherited = inherited_calibration(base.info.meta, base.info.model_id, result.domains)
    if inherited:
        meta["calibration"] = inherited
    return bundle.save(folder, result.model, result.scheme, resolve_encoder(base.info.encoder),
                       meta, storage=storage)


def inherited_calibration(meta: Mapping[str, Any], model_id: str,
                          domains: Sequence[str]) -> dict[str, Any] | None:
    """The base model's confidence calibration for a model grown from it, its maps moved to
    the new model's domain indexes (a retrain moves confidences a little; the base's maps
    are far nearer than raw confidences, and `skein calibrate` refits them)."""
    from nlp.model.calibration import HEADS

    cal = meta.get("calibration")
    if not cal:
        return None
    old = domain_names(meta)
    moved = {str(old.index(n)): str(i) for i, n in enumerate(domains) if n in old}
    return {**cal,
            **{head: {moved[d]: ab for d, ab in (cal.get(head) or {}).items() if d in moved}
               for head in HEADS},
            "info": {"inherited_from": model_id}}
