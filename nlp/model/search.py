"""Hyper-parameter search (optuna): a few short trainings, each scored on dev.

`search` is long work in Skein's one shape: each trial asks optuna's TPE sampler (seeded,
so a search is repeatable) for a learning rate, head learning rate, epochs, dropout,
warm-up share and, when `SearchSpace.lora_ranks` names some, a LoRA rank; trains with
`nlp.model.train.train` on the train sets; and tells optuna the same selection score
training picks its best epoch by (mean dev NER micro-F1, plus relation F1 where a dev set
has relations). Nothing is saved: the result is the best config and every trial; train
a bundle with the best config (`skein train` takes the same settings).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from nlp.progress import NEVER, CancelToken, Progress, Work, mapped
from nlp.training.examples import Example

if TYPE_CHECKING:
    from nlp.model.encoder import EncoderRef
    from nlp.model.labels import LabelScheme
    from nlp.model.train import TrainConfig

UNITS = 1000
"""Progress units per trial: the bar moves through each trial's training steps."""


@dataclass(frozen=True, slots=True)
class SearchSpace:
    """Ranges to sample; learning rates on a log scale."""

    lr: tuple[float, float] = (1e-5, 5e-4)
    head_lr: tuple[float, float] = (1e-4, 1e-2)
    epochs: tuple[int, int] = (1, 5)
    dropout: tuple[float, float] = (0.0, 0.3)
    warmup: tuple[float, float] = (0.0, 0.2)
    lora_ranks: tuple[int, ...] = ()
    """LoRA ranks to choose from (0 = full fine-tune); empty: keep the base config's."""


@dataclass(frozen=True, slots=True)
class Trial:
    number: int
    params: dict[str, Any]
    """The sampled settings (names of `TrainConfig` fields)."""
    score: float
    """The selection score of the trial's best epoch on dev."""
    epoch: int
    """That best epoch."""
    seconds: float
    config: TrainConfig

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "params": self.params, "score": self.score,
                "epoch": self.epoch, "seconds": round(self.seconds, 1)}


@dataclass
class SearchResult:
    trials: list[Trial] = field(default_factory=list)
    seed: int = 0

    @property
    def best(self) -> Trial:
        """The highest-scoring trial (the earliest of equals)."""
        return max(self.trials, key=lambda t: (t.score, -t.number))

    def to_json(self) -> dict[str, Any]:
        return {"seed": self.seed, "best": self.best.to_json(),
                "best_config": self.best.config.to_json(),
                "trials": [t.to_json() for t in self.trials]}


def suggest(trial: Any, space: SearchSpace) -> dict[str, Any]:
    """One point of `space` from an optuna trial (ask-and-tell)."""
    params: dict[str, Any] = {
        "lr": trial.suggest_float("lr", *space.lr, log=True),
        "head_lr": trial.suggest_float("head_lr", *space.head_lr, log=True),
        "epochs": trial.suggest_int("epochs", *space.epochs),
        "dropout": trial.suggest_float("dropout", *space.dropout),
        "warmup": trial.suggest_float("warmup", *space.warmup),
    }
    if space.lora_ranks:
        params["lora_rank"] = trial.suggest_categorical("lora_rank", list(space.lora_ranks))
    return params


def _in_trial(i: int, trials: int, p: Progress) -> Progress:
    """A training step of trial `i` as a step of the whole search."""
    inner = min(UNITS - 1, int(UNITS * (p.fraction or 0.0)))
    return Progress(i * UNITS + inner, trials * UNITS, f"trial {i + 1}/{trials}: {p.message}",
                    "search", p.metrics)


def search(
    encoder: EncoderRef,
    train_sets: Mapping[str, Sequence[Example]],
    dev_sets: Mapping[str, Sequence[Example]],
    base: TrainConfig | None = None,
    *,
    trials: int = 10,
    space: SearchSpace = SearchSpace(),
    seed: int = 13,
    scheme: LabelScheme | None = None,
    repeats: Mapping[str, int] | None = None,
    cancel: CancelToken = NEVER,
) -> Work[SearchResult]:
    """Run `trials` trainings of `base` (default `TrainConfig()`) with sampled settings;
    `seed` seeds the sampler (each training keeps `base.seed`, so trials differ only in
    their settings). Cancel takes effect at the next training step."""
    import optuna

    from nlp.model.train import TrainConfig, train

    if not dev_sets or not any(dev_sets.values()):
        raise ValueError("a search needs dev examples to score its trials")
    if trials < 1:
        raise ValueError(f"a search needs at least one trial, not {trials}")
    base = base or TrainConfig()
    optuna.logging.set_verbosity(optuna.logging.WARNING)  # the caller reports each trial
    # TPE starts from random points; with few trials, fewer of them (optuna's default: 10)
    startup = min(10, max(3, trials // 3))
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(
        seed=seed, n_startup_trials=startup))
    result = SearchResult(seed=seed)
    for i in range(trials):
        cancel.check()
        asked = study.ask()
        params = suggest(asked, space)
        config = replace(base, **params)
        started = time.monotonic()
        work = train(encoder, train_sets, dev_sets, config, scheme=scheme, repeats=repeats,
                     cancel=cancel)
        trained = yield from mapped(work, functools.partial(_in_trial, i, trials))
        best = trained.best
        score = float(best.get("score", 0.0))
        study.tell(asked, score)
        result.trials.append(Trial(i, params, score, int(best.get("epoch", 0)),
                                   time.monotonic() - started, config))
        del trained, work  # free the trial's model before the next one
        yield Progress((i + 1) * UNITS, trials * UNITS,
                       f"trial {i + 1}/{trials}: score {score:.4f} "
                       f"(best {result.best.score:.4f})", "search",
                       (("score", score), ("trial", float(i + 1))))
    return result
