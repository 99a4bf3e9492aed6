"""Training and evaluating a PyKEEN model as Skein long work (no project, no files).

`fit` is a generator that yields one `Progress` per epoch. PyKEEN's training loop cannot be
a generator, so each epoch is one call of ``TrainingLoop.train(..., continue_training=True)``
(the loop keeps its optimizer state between calls), and a `TrainingCallback` checks the
`CancelToken` after every batch: a cancel stops training inside the running epoch. The
same code trains a project's graph (`kg.embed.project`) and the Kinships benchmark
(``bench/kinships.py``). PyKEEN and torch are imported only inside these functions.
"""

from __future__ import annotations

import gc
import logging
import tempfile
from dataclasses import dataclass
from typing import Any

from kg.embed.config import NO_METRICS, Metrics, TrainConfig
from nlp.progress import NEVER, CancelToken, Progress, Work


@dataclass(frozen=True, slots=True)
class Fitted:
    model: Any
    """The trained ``pykeen.models.Model``, in eval mode."""
    losses: tuple[float, ...]
    """Training loss after each epoch."""


def make_model(config: TrainConfig, factory: Any) -> Any:
    """A fresh PyKEEN model for `config` over the entities/relations of `factory`."""
    from pykeen.models import model_resolver

    kwargs: dict[str, Any] = {"embedding_dim": config.dim, "random_seed": config.seed}
    if config.loss:
        kwargs["loss"] = config.loss
    try:
        return model_resolver.make(config.model, triples_factory=factory, **kwargs)
    except (KeyError, ValueError, TypeError) as e:
        raise ValueError(f"embedding model {config.model!r}: {e}") from None


def _cancel_callback(cancel: CancelToken) -> Any:
    from pykeen.training.callbacks import TrainingCallback

    class CancelCallback(TrainingCallback):
        def post_batch(self, epoch: int, batch: Any, **kwargs: Any) -> None:
            cancel.check()  # raises Cancelled out of PyKEEN's loop (it only catches OOM)

    return CancelCallback()


def _loop(config: TrainConfig, model: Any, factory: Any) -> Any:
    from pykeen.training import training_loop_resolver

    kwargs: dict[str, Any] = {
        "model": model, "triples_factory": factory, "optimizer": "Adam",
        "optimizer_kwargs": {"lr": config.learning_rate},
        "automatic_memory_optimization": False,
    }
    if config.loop == "slcwa":
        kwargs["negative_sampler_kwargs"] = {"num_negs_per_pos": config.negatives}
    return training_loop_resolver.make(config.loop, **kwargs)


def fit(
    training: Any, config: TrainConfig, *, cancel: CancelToken = NEVER, stage: str = "embed"
) -> Work[Fitted]:
    """Train `config.model` on `training` (a PyKEEN triples factory), one `Progress` per epoch.

    Seeded: the same triples and config give the same model on the same machine.
    """
    import torch

    if bool(training.create_inverse_triples) != config.inverse_triples:
        raise ValueError("embedding: the triples factory's inverse triples "
                         f"({training.create_inverse_triples}) differ from the config's")
    torch.manual_seed(config.seed)  # weights, shuffling and negative sampling
    model = make_model(config, training)
    loop = _loop(config, model, training)
    callback = _cancel_callback(cancel)
    label_smoothing = config.label_smoothing if config.loop == "lcwa" else 0.0
    losses: list[float] = []
    yield Progress(0, config.epochs, f"{config.model} on {training.num_triples} triples", stage)
    # PyKEEN runs a full gc.collect() after every epoch: ~0.3 s over the objects torch and
    # PyKEEN's imports leave, more than a small graph's whole epoch. Objects that exist
    # before training are moved out of the collector's sight while it runs.
    gc.freeze()
    try:
        with tempfile.TemporaryDirectory(prefix="skein-pykeen-") as scratch:
            for epoch in range(1, config.epochs + 1):
                cancel.check()
                losses = list(loop.train(
                    training, num_epochs=epoch, continue_training=epoch > 1,
                    batch_size=config.batch_size, label_smoothing=label_smoothing,
                    use_tqdm=False, use_tqdm_batch=False, callbacks=callback,
                    checkpoint_directory=scratch, pin_memory=False,
                ) or ())
                loss = losses[-1] if losses else float("nan")
                yield Progress(epoch, config.epochs, f"epoch {epoch}: loss {loss:.4f}", stage,
                               (("loss", float(loss)),))
    finally:
        gc.unfreeze()
    model.eval()
    return Fitted(model, tuple(float(x) for x in losses))


def evaluate(
    model: Any, testing: Any, known: list[Any], *, batch_size: int = 256
) -> Metrics:
    """Filtered MRR and Hits@1/3/10 of `model` on `testing` (mapped triples), both sides.

    `known` are the other true triples (training, validation) that are filtered out of the
    ranking, as in the usual filtered setting.
    """
    if int(testing.shape[0]) == 0:
        return NO_METRICS
    from pykeen.evaluation import RankBasedEvaluator

    evaluator = RankBasedEvaluator(filtered=True)
    # torch_max_mem warns on every CPU evaluation that only CUDA is "safe" to size batches
    # for; the batch size is given, so the warning says nothing here.
    quiet = logging.getLogger("torch_max_mem")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        result = evaluator.evaluate(
            model, testing, additional_filter_triples=known, batch_size=batch_size,
            use_tqdm=False,
        )
    finally:
        quiet.setLevel(level)

    def metric(name: str) -> float:
        return float(result.get_metric(f"both.realistic.{name}"))

    return Metrics(
        mrr=metric("inverse_harmonic_mean_rank"), hits_at_1=metric("hits_at_1"),
        hits_at_3=metric("hits_at_3"), hits_at_10=metric("hits_at_10"),
        triples=int(testing.shape[0]),
    )
