"""`retrain`: a new model version from the active one plus the project's corrections.

Long work in Skein's one shape (a `Progress` generator with a `CancelToken`; the GUI runs
it in its worker, so the app stays usable). The steps:

1. the corrections as examples (`kg.learn.examples`), a stable share held out;
2. the active model (`kg.learn.versions.active_model`) loaded on the GPU when there is one;
3. a replay sample (`kg.learn.replay`): the original corpora when a data folder is given,
   else pseudo-rehearsal on the project's uncorrected sentences;
4. `nlp.model.grow.continue_training` - corrections under the model's default annotation
   convention (the one extraction reads), shown `repeat` times per epoch, with the
   replay; a few epochs and a step cap keep it to minutes on a CPU;
5. the old and the new model scored on the held-out corrections (`kg.learn.score`; per
   type too, kept in the bundle for the app) and, with corpora, on a dev sample;
6. the bundle saved as the next version; it takes over only when the caller says so or
   the project's `AcceptRule` accepts its scores. A cancel before the save leaves nothing.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.learn.examples import HOLDOUT_SHARE, corrections
from kg.learn.replay import corpus_samples, pseudo_rehearsal, relation_home, route
from kg.learn.score import score_decisions, score_types
from kg.learn.versions import (
    CANDIDATE,
    DEFAULT,
    LearnError,
    ModelVersion,
    Scores,
    accept_rule,
    activate,
    active_model,
    active_version,
    add_version,
    models_root,
    next_version,
)
from kg.store.file import now
from kg.store.project import Project
from nlp.progress import NEVER, Cancelled, CancelToken, Progress, Work
from nlp.training.examples import Example

if TYPE_CHECKING:
    from nlp.model.grow import Base
    from nlp.model.runtime import Runtime

__all__ = ["RetrainConfig", "RetrainResult", "retrain"]
STAGE = "retrain"


@dataclass(frozen=True, slots=True)
class RetrainConfig:
    """How to retrain; the defaults take a few minutes on a CPU for a few dozen corrections."""

    epochs: int = 3
    max_steps: int = 150
    """A cap on optimiser steps (0 = none)."""
    lr: float = 5e-5
    """Encoder learning rate (gentle: the model already knows the task)."""
    head_lr: float = 1e-3
    batch_pieces: int = 1024
    max_len: int = 128
    """Window size in word pieces while training (smaller is faster on a CPU)."""
    repeat: int = 3
    """Times each correction sentence is shown per epoch (the replay is shown once)."""
    replay: int = 200
    """Replay sentences (per corpus with `replay_data`, else pseudo-rehearsal)."""
    replay_data: str | None = None
    """A folder with the original corpora (``conll2003/``, ``conll04/``), or None."""
    dev: int = 100
    """Dev sentences per corpus to compare old and new (with `replay_data` only)."""
    holdout: float = HOLDOUT_SHARE
    seed: int = 13
    device: str = "auto"
    """``auto``: the GPU when there is one."""
    accept: bool = False
    """Make the new version active whatever the project's rule says."""


@dataclass(frozen=True, slots=True)
class RetrainResult:
    version: ModelVersion
    activated: bool
    counts: Mapping[str, int] = field(default_factory=dict)
    """What the corrections held (`Corrections.counts`)."""
    replay: int = 0
    replay_source: str = "none"
    """``corpora``, ``pseudo`` (the model's own predictions) or ``none``."""
    seconds: float = 0.0


def _train_config(cfg: RetrainConfig) -> Any:
    from nlp.model.train import TrainConfig

    return TrainConfig(epochs=cfg.epochs, max_steps=cfg.max_steps, lr=cfg.lr,
                       head_lr=cfg.head_lr, batch_pieces=cfg.batch_pieces, max_len=cfg.max_len,
                       seed=cfg.seed, device=cfg.device, patience=cfg.epochs + 1)


def _repeated(examples: Sequence[Example], times: int) -> list[Example]:
    """Each example `times` times; copies get their own document ids (keys stay unique)."""
    return [ex if k == 0 else replace(ex, doc_id=f"{ex.doc_id}#{k}")
            for k in range(max(1, times)) for ex in examples]


def _holdout(runtime: Runtime, holdout: Sequence[Example],
             ) -> tuple[float | None, list[dict[str, Any]]]:
    """Micro F1 on the held-out corrections and the counts per type (for the app)."""
    from nlp.model.evaluate import predict_examples

    if not holdout:
        return None, []
    predicted = predict_examples(runtime, holdout, 0)
    return (score_decisions(holdout, predicted).f1,
            [t.to_json() for t in score_types(holdout, predicted)])


def _scored(message: str, holdout: float | None, dev: float | None) -> Progress:
    """A step that carries the scores as named metrics (the app plots them)."""
    metrics = tuple((k, v) for k, v in (("holdout_f1", holdout), ("dev_f1", dev))
                    if v is not None)
    return Progress(0, 0, message, STAGE, metrics)


def _dev_f1(runtime: Runtime, dev: Mapping[str, Sequence[Example]],
            domains: Sequence[str]) -> float | None:
    """Mean over the dev samples of NER micro F1 (and relation F1 where there are any)."""
    from nlp.model.evaluate import report

    vals = []
    for name, exs in dev.items():
        if not exs:
            continue
        r = report(runtime, exs, domains.index(name))
        vals.append(r.ner.micro_f1)
        if r.re is not None and any(ex.relations for ex in exs):
            vals.append(r.re.micro_f1)
    return sum(vals) / len(vals) if vals else None


def _epoch_watch(base: Base, holdout: Sequence[Example]) -> Any:
    """The held-out F1 after each epoch, scored as before and after training (the last
    epoch's figure is the new model's: without dev data the last epoch is kept)."""
    if not holdout:
        return None

    def watch(training: Runtime) -> dict[str, float | None]:
        return {"holdout_f1": _holdout(_new_runtime(training, base), holdout)[0]}

    return watch


def _new_runtime(trained: Any, base: Base) -> Runtime:
    """A runtime for the model, tokenizer and scheme of `trained` (a training result or
    the training runtime) that reads as the base model's does."""
    from nlp.model.bundle import relation_domain
    from nlp.model.runtime import Runtime

    return Runtime(trained.model, trained.tokenizer, trained.scheme,
                   max_len=base.runtime.max_len, device=base.runtime.device,
                   relation_domain=relation_domain(base.info.meta))


def retrain(project: Project, config: RetrainConfig = RetrainConfig(), *, user: str = "",
            cancel: CancelToken = NEVER) -> Work[RetrainResult]:
    """Train a new model version on the project's corrections (see the module docstring).

    Raises `LearnError` when there is nothing to learn from, `Cancelled` on cancel."""
    from nlp.model.bundle import relation_domain
    from nlp.model.grow import continue_training, load_base, save_continued

    started = time.monotonic()
    yield Progress(0, 0, "reading corrections", STAGE)
    found = corrections(project, config.holdout)
    if not found.train:
        raise LearnError("no corrections to learn from: accept, reject or add some entities "
                         "or relations first")
    job = project.start_job("retrain", {"corrections": len(found.examples)})
    status, message = "failed", ""
    try:
        cancel.check()
        yield Progress(0, 0, "loading the model", STAGE)
        parent = active_version(project)
        base = load_base(active_model(project), device=config.device)
        rel_domain = relation_domain(base.info.meta)
        replay: dict[str, list[Example]] = {}
        dev: dict[str, list[Example]] = {}
        source = "none"
        if config.replay_data and config.replay:
            if not Path(config.replay_data).is_dir():
                raise LearnError(f"{config.replay_data}: no such data folder")
            yield Progress(0, 0, "reading the original data", STAGE)
            replay, dev = corpus_samples(config.replay_data, base, config.replay, config.dev,
                                         config.seed)
            source = "corpora" if replay else "none"
        if not replay and config.replay:
            cancel.check()
            yield Progress(0, 0, "pseudo-rehearsal: the model reads uncorrected sentences",
                           STAGE)
            pseudo = pseudo_rehearsal(project, base, config.replay, found.sentences,
                                      config.seed)
            if pseudo:
                replay, source = route(pseudo, base.domains, rel_domain), "pseudo"
        home = relation_home(base.domains, rel_domain, replay)
        n_replay = sum(len(v) for v in replay.values())
        cancel.check()
        yield Progress(0, 0, "scoring the current model", STAGE)
        old_holdout, old_types = _holdout(base.runtime, found.holdout)
        old_dev = _dev_f1(base.runtime, dev, base.domains) if dev else None
        yield _scored("the current model is scored", old_holdout, old_dev)
        routed = route(_repeated(found.train, config.repeat), base.domains, home)
        main = base.domains[0]
        new_examples = routed.pop(main)
        for name, exs in routed.items():
            replay.setdefault(name, []).extend(exs)
        result = yield from continue_training(base, new_examples, replay,
                                              _train_config(config), domain=main,
                                              on_epoch=_epoch_watch(base, found.holdout),
                                              cancel=cancel)
        cancel.check()
        yield Progress(0, 0, "scoring the new model", STAGE)
        runtime = _new_runtime(result, base)
        new_holdout, new_types = _holdout(runtime, found.holdout)
        scores = Scores(old_holdout, new_holdout,
                        old_dev, _dev_f1(runtime, dev, base.domains) if dev else None,
                        len(found.holdout), sum(len(v) for v in dev.values()))
        yield _scored("the new model is scored", scores.holdout_new, scores.dev_new)
        cancel.check()
        yield Progress(0, 0, "saving the new version", STAGE)
        name = next_version(project)
        seconds = round(time.monotonic() - started, 1)
        learn = {"project": project.project_id, "version": name,
                 "parent": parent.version if parent else DEFAULT,
                 "counts": found.counts(), "replay": {"source": source, "sentences": n_replay},
                 "scores": {k: getattr(scores, k) for k in Scores.__dataclass_fields__},
                 "holdout_types": {"old": old_types, "new": new_types}}
        info = save_continued(
            models_root(project) / name, result, base, found.train, new_domain=main,
            extra={"version": f"{project.project_id[:8]}-{name}", "learn": learn,
                   "relation_domain": rel_domain})
        version = add_version(project, ModelVersion(
            name, info.model_id, info.path, parent.version if parent else DEFAULT, now(),
            len(found.train), scores, CANDIDATE, seconds,
            f"{len(found.train)} corrections, {n_replay} replay ({source})"))
        activated = False
        if config.accept or accept_rule(project).accepts(scores):
            version = activate(project, name, user or "skein") or version
            activated = True
        status = "done"
        message = f"{name}: {len(found.train)} corrections" + (", active" if activated else "")
        yield Progress(1, 1, f"saved {name}", STAGE)
        return RetrainResult(version, activated, found.counts(), n_replay, source,
                             time.monotonic() - started)
    except Cancelled:
        status = "cancelled"
        raise
    except Exception as e:
        message = f"{type(e).__name__}: {e}"
        raise
    finally:
        project.finish_job(job, status, message)
