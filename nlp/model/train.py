"""Fine-tuning the joint model: a generator that yields `Progress` and returns the result.

AdamW with separate learning rates for the encoder and the new layers, linear warm-up and
decay, gradient clipping, seeds, evaluation on dev after every epoch with early stopping
(the best epoch's weights are kept). On CUDA: bf16/fp16 autocast and, optionally,
`torch.compile`. Cancel takes effect at the next step. With ``lora_rank`` the encoder
trains through LoRA adapters only (`nlp.model.lora`), merged into it when training ends.
"""

from __future__ import annotations

import copy
import random
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field, fields
from typing import Any

import torch

from nlp.model import batching, lora
from nlp.model.ema import WeightAverage
from nlp.model.encoder import EncoderRef, load_encoder, load_tokenizer
from nlp.model.labels import LabelScheme
from nlp.model.network import JointModel
from nlp.model.runtime import Runtime, pick_device
from nlp.model.train_data import scheme_of, train_windows
from nlp.progress import NEVER, CancelToken, Progress, Work
from nlp.training.examples import Example

EpochWatch = Callable[[Runtime], Mapping[str, float | None]]
"""Scores the model after an epoch: named figures for the caller's progress display."""


@dataclass(frozen=True, slots=True)
class TrainConfig:
    epochs: int = 3
    lr: float = 1e-4
    """Encoder learning rate."""
    head_lr: float = 1e-3
    """Learning rate of the new layers (tags, relations, shapes)."""
    weight_decay: float = 0.01
    warmup: float = 0.1
    grad_clip: float = 1.0
    batch_pieces: int = 1024
    """Word pieces per batch (windows x length): 4 windows of 256, about 50 sentences."""
    max_len: int = 256
    """Window size in word pieces: sentences of a document share a window for context."""
    patience: int = 2
    seed: int = 13
    dropout: float = 0.1
    re_weight: float = 1.0
    device: str = "auto"
    compile: bool = False
    max_steps: int = 0
    """Stop after this many steps (0 = no limit): for tests and smoke runs."""
    ema: float = 0.0
    """> 0: evaluate and keep a moving average of the weights with this decay per step
    (`nlp.model.ema`; 0.99 averages over about the last 100 steps); 0: the live weights."""
    lora_rank: int = 0
    """> 0: train the encoder through LoRA adapters of this rank (the rest of it frozen);
    0: fine-tune all of it."""
    lora_alpha: int = 16
    """LoRA scaling: the adapters' change is multiplied by alpha / rank."""
    lora_targets: tuple[str, ...] = lora.BERT_TARGETS
    """Encoder layers that get adapters, by the last part of their module names."""
    relations_only: bool = False
    """Train the relation classifier alone (its MLP and entity-type embeddings) on a model
    that already tags entities: the encoder, the case and domain embeddings and the tag
    layer stay as they are, so entity predictions do not move. The corpora with relations
    are read in every domain, so one encoder pass in any annotation convention also reads
    relations (no second pass in the domain that taught them)."""

    def to_json(self) -> dict[str, Any]:
        """The config for bundle.json; LoRA settings, when used, as ``"lora": {rank,
        alpha, targets}`` (a full fine-tune's record is what it always was)."""
        out = asdict(self)
        rank, alpha, targets = (out.pop(k) for k in ("lora_rank", "lora_alpha",
                                                     "lora_targets"))
        if rank:
            out["lora"] = {"rank": rank, "alpha": alpha, "targets": list(targets)}
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TrainConfig:
        """The config `to_json` wrote (keys it does not know are left out)."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        if data.get("lora"):
            values.update(lora_rank=int(data["lora"]["rank"]),
                          lora_alpha=int(data["lora"]["alpha"]),
                          lora_targets=tuple(data["lora"]["targets"]))
        return cls(**values)


@dataclass
class TrainResult:
    model: JointModel
    tokenizer: Any
    scheme: LabelScheme
    config: TrainConfig
    history: list[dict[str, Any]] = field(default_factory=list)
    best: dict[str, Any] = field(default_factory=dict)
    domains: list[str] = field(default_factory=list)
    seconds: float = 0.0
    trainable: int = 0
    """Parameters the optimizer updated (LoRA: adapters, embeddings of shape and domain,
    heads)."""


def _optimizer(model: JointModel, cfg: TrainConfig) -> torch.optim.Optimizer:
    groups: dict[tuple[bool, bool], list[torch.nn.Parameter]] = {}
    for name, p in model.named_parameters():
        if not p.requires_grad:  # the frozen encoder under LoRA adapters
            continue
        is_encoder = name.startswith("encoder.")
        no_decay = p.ndim < 2 or "LayerNorm" in name or name.endswith("bias")
        groups.setdefault((is_encoder, no_decay), []).append(p)
    return torch.optim.AdamW([
        {"params": ps, "lr": cfg.lr if enc else cfg.head_lr,
         "weight_decay": 0.0 if nd else cfg.weight_decay}
        for (enc, nd), ps in groups.items()
    ])


def _loss(model: JointModel, runtime: Runtime, batch: Sequence[batching.Window],
          cfg: TrainConfig) -> torch.Tensor:
    tok = runtime.tokenizer
    t = batching.collate(batch, {tag: i for i, tag in enumerate(runtime.scheme.tags)},
                         tok.cls_token_id, tok.sep_token_id)
    any_tag = bool((t["tags"] != batching.IGNORE).any())  # on the CPU: no device sync
    t = {k: v.to(runtime.device) for k, v in t.items()}
    hidden = model.encode(t["input_ids"], t["attention_mask"], t["shape_ids"], t["domain_ids"])
    logits = model.ner_logits(hidden, t["word_pos"])
    if any_tag:
        loss = torch.nn.functional.cross_entropy(
            logits.reshape(-1, logits.size(-1)).float(), t["tags"].reshape(-1),
            ignore_index=batching.IGNORE,
        )
    else:  # only partly annotated sentences that name no word: nothing to teach here
        loss = logits.sum() * 0.0
    if not runtime.scheme.relations:
        return loss
    scheme = runtime.scheme
    rows, gold = batching.relation_targets(
        batch, runtime.type_ids, lambda h, t_: bool(scheme.allowed(h, t_)),
        {r: i + 1 for i, r in enumerate(scheme.relations)})
    if not rows:
        return loss
    target = torch.tensor(gold, dtype=torch.long, device=runtime.device)
    pairs = torch.tensor([r[:7] for r in rows], dtype=torch.long, device=runtime.device)
    rel_logits = model.relation_logits(hidden, pairs).float()
    return loss + cfg.re_weight * torch.nn.functional.cross_entropy(rel_logits, target)


def train(
    encoder: EncoderRef,
    train_sets: Mapping[str, Sequence[Example]],
    dev_sets: Mapping[str, Sequence[Example]],
    config: TrainConfig = TrainConfig(),
    *,
    scheme: LabelScheme | None = None,
    init: JointModel | None = None,
    repeats: Mapping[str, int] | None = None,
    on_epoch: EpochWatch | None = None,
    cancel: CancelToken = NEVER,
) -> Work[TrainResult]:
    """Fine-tune on the union of `train_sets`; pick the best epoch on `dev_sets`.

    `repeats` shows a small corpus several times per epoch (its relations would otherwise
    see few updates next to a large NER-only corpus). `on_epoch` scores the model after
    each epoch for the caller's own figures (named metrics in a progress step; they pick
    nothing)."""
    random.seed(config.seed)
    torch.manual_seed(config.seed)
    started = time.monotonic()
    all_train = [ex for exs in train_sets.values() for ex in exs]
    scheme = scheme or scheme_of(all_train)
    device = pick_device(config.device)
    tokenizer = load_tokenizer(encoder)
    domains = list(train_sets)
    model = init or JointModel(load_encoder(encoder), len(scheme.tags), len(scheme.types),
                               len(scheme.relations), n_domains=len(domains),
                               dropout=config.dropout)
    if config.lora_rank and config.relations_only:
        raise ValueError("relations_only trains no encoder weights: it takes no LoRA rank")
    if config.lora_rank:
        lora.attach(model, config.lora_rank, config.lora_alpha, config.lora_targets)
    frozen = _freeze_all_but_relations(model) if config.relations_only else []
    model.to(device)
    runtime = Runtime(model, tokenizer, scheme, max_len=config.max_len, device=device,
                      batch_pieces=config.batch_pieces)
    result = TrainResult(model, tokenizer, scheme, config, domains=domains,
                         trainable=lora.trainable(model))
    try:
        yield from _fit(runtime, train_sets, dev_sets, config, result, repeats or {}, cancel,
                        on_epoch)
    finally:  # cancelled or not, the caller's model leaves without peft's wrapper
        lora.merge(model)
        for p in frozen:
            p.requires_grad_(True)
    result.seconds = time.monotonic() - started
    return result


def _freeze_all_but_relations(model: JointModel) -> list[torch.nn.Parameter]:
    """Freeze every weight but the relation classifier's; the ones it froze."""
    frozen = [p for name, p in model.named_parameters()
              if p.requires_grad and not name.startswith(("relation.", "types."))]
    for p in frozen:
        p.requires_grad_(False)
    return frozen


def _fit(runtime: Runtime, train_sets: Mapping[str, Sequence[Example]],
         dev_sets: Mapping[str, Sequence[Example]], config: TrainConfig, result: TrainResult,
         repeats: Mapping[str, int], cancel: CancelToken,
         on_epoch: EpochWatch | None = None) -> Work[None]:
    """The training loop: fills `result` (history, best) and leaves the best epoch's
    weights in the model."""
    model, device, domains = runtime.model, runtime.device, result.domains
    yield Progress(0, 0, "preparing data", "train")
    windows = train_windows(runtime, train_sets, repeats, config.relations_only)
    batches = list(runtime.batches(windows))
    steps_per_epoch = len(batches)
    total = steps_per_epoch * config.epochs
    if config.max_steps:
        total = min(total, config.max_steps)
    optimizer = _optimizer(model, config)
    warm = max(1, int(total * config.warmup))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm)))
    )
    use_amp = device.type == "cuda"
    amp_dtype = torch.bfloat16 if use_amp and torch.cuda.is_bf16_supported() else torch.float16
    scaler = torch.amp.GradScaler("cuda", enabled=use_amp and amp_dtype == torch.float16)
    step_fn = torch.compile(_loss) if config.compile and device.type == "cuda" else _loss
    best_state, bad_epochs, step = None, 0, 0
    average = WeightAverage(model, config.ema) if config.ema else None
    for epoch in range(config.epochs):
        model.train()
        random.shuffle(batches)
        running = 0.0
        for n, idx in enumerate(batches, 1):
            cancel.check()
            with torch.autocast(device.type, dtype=amp_dtype, enabled=use_amp):
                loss = step_fn(model, runtime, [windows[i] for i in idx], config)
            if loss.requires_grad:  # relations only: a batch without entity pairs has none
                optimizer.zero_grad(set_to_none=True)
                scaler.scale(loss).backward()
                scaler.unscale_(optimizer)
                torch.nn.utils.clip_grad_norm_(model.parameters(), config.grad_clip)
                scaler.step(optimizer)
                scaler.update()
            schedule.step()
            if average is not None:
                average.update()
            step += 1
            running += float(loss.detach())
            yield Progress(step, total, f"epoch {epoch + 1} loss {running / n:.4f}", "train",
                           (("loss", running / n), ("epoch", float(epoch + 1))))
            if config.max_steps and step >= config.max_steps:
                break
        with average.swapped_in() if average is not None else nullcontext():
            improved = yield from _judge_epoch(runtime, dev_sets, domains, result, epoch,
                                               running / max(1, n), step, total, cancel)
            if improved:
                best_state = copy.deepcopy({k: v.detach().cpu() for k, v in
                                            model.state_dict().items()})
            if on_epoch is not None:
                yield _watched(on_epoch(runtime), epoch, step, total)
        bad_epochs = 0 if improved else bad_epochs + 1
        if bad_epochs >= config.patience or (config.max_steps and step >= config.max_steps):
            break
    if best_state is not None:
        model.load_state_dict(best_state)


def _watched(scores: Mapping[str, float | None], epoch: int, step: int, total: int
             ) -> Progress:
    shown = {k: float(v) for k, v in scores.items() if v is not None}
    text = ", ".join(f"{k} {v:.4f}" for k, v in shown.items())
    return Progress(step, total, f"epoch {epoch + 1} {text}".rstrip(), "eval",
                    (*shown.items(), ("epoch", float(epoch + 1))))


def _judge_epoch(runtime: Runtime, dev_sets: Mapping[str, Sequence[Example]],
                 domains: Sequence[str], result: TrainResult, epoch: int, loss: float,
                 step: int, total: int, cancel: CancelToken) -> Work[bool]:
    """Score the model on every dev set, record the epoch in `result.history`; whether it
    is the best so far (always, without dev sets)."""
    scores = {}
    if dev_sets:
        from nlp.model.evaluate import evaluate_runtime
    for name, exs in dev_sets.items():
        cancel.check()
        yield Progress(step, total, f"evaluating on {name}", "eval")
        domain = domains.index(name) if name in domains else 0
        scores[name] = evaluate_runtime(runtime, exs, domain=domain)
    score = _selection_score(scores)
    if dev_sets:
        yield Progress(step, total, f"epoch {epoch + 1} dev score {score:.4f}", "eval",
                       (("dev_f1", score), ("epoch", float(epoch + 1))))
    result.history.append({"epoch": epoch + 1, "loss": loss, "dev": scores, "score": score})
    best = result.best.get("score", -1.0)
    if dev_sets and score <= best:
        return False
    result.best = result.history[-1]
    return True


def _selection_score(scores: Mapping[str, Mapping[str, Any]]) -> float:
    """Mean over dev sets of NER micro-F1 (plus relation F1 where the set has relations)."""
    vals = []
    for s in scores.values():
        vals.append(float(s["ner"]["micro_f1"]))
        gold = sum(int(t.get("support", 0)) for t in s.get("re", {}).get("per_type", {}).values())
        if gold:  # a set that annotates no relation has no relation score to count
            vals.append(float(s["re"]["micro_f1"]))
    return sum(vals) / len(vals) if vals else 0.0
