"""Retraining on a handful of corrections: a new version that gets the corrected cases
right, scored old vs new on held-out corrections, not active until someone says so;
activating it and re-extracting keeps people's decisions; cancel stops it cleanly."""

from __future__ import annotations

import time

import pytest

from kg.annotate import accept_mention, relabel_mention
from kg.learn import (
    LearnError,
    RetrainConfig,
    activate,
    active_version,
    corrections,
    list_versions,
    reextract,
    retrain,
)
from kg.learn.versions import models_root
from kg.store import Project
from nlp.progress import Cancelled, CancelToken, Progress, run

GADGETS = ("Quantix", "Zorblex", "Vortana")  # Plimbo is left for the new model to find
FAST = RetrainConfig(epochs=10, max_steps=15, lr=3e-4, head_lr=5e-3, batch_pieces=384,
                     max_len=64, replay=8, device="cpu", seed=5)


def _correct(project: Project) -> None:
    """The tiny model calls every gadget an ORG that someone Work_For's: they are MISC."""
    for (mid,) in project.query("SELECT id FROM mentions WHERE label = 'ORG' AND text IN"
                                " (?, ?, ?) ORDER BY id", GADGETS):
        relabel_mention(project, int(mid), "MISC", "ann")
    for (mid,) in project.query("SELECT id FROM mentions WHERE text IN ('John Smith', "
                                "'Acme Corp') AND status = 'suggested' ORDER BY id"):
        accept_mention(project, int(mid), "ann")


def test_retrain_learns_the_corrected_cases(project: Project) -> None:
    from nlp.model import bundle
    from nlp.model.evaluate import predict_examples

    _correct(project)
    found = corrections(project)
    assert len(found.train) >= 5 and len(found.holdout) >= 1
    steps: list[Progress] = []
    started = time.monotonic()
    result = run(retrain(project, FAST, user="ann"), steps.append)
    seconds = time.monotonic() - started
    v = result.version
    assert (v.version, v.parent, v.status, result.activated) == ("v2", "v1", "candidate", False)
    assert active_version(project).version == "v1"  # type: ignore[union-attr]
    assert v.corrections == len(found.train) and result.replay_source == "pseudo"
    assert v.scores.holdout_old is not None and v.scores.holdout_new is not None
    assert v.scores.holdout_sentences == len(found.holdout)
    assert any(s.stage == "train" and s.metrics[:1] == (("loss", s.metrics[0][1]),)
               for s in steps if s.metrics)
    # the held-out F1 after each epoch, the last one the new model's own figure
    epochs = [dict(s.metrics) for s in steps if any(k == "holdout_f1" for k, _ in s.metrics)
              if "epoch" in dict(s.metrics)]
    assert len(epochs) >= 2
    assert [e["epoch"] for e in epochs] == list(range(1, len(epochs) + 1))
    assert epochs[-1]["holdout_f1"] == pytest.approx(v.scores.holdout_new)
    assert (v.path / "bundle.json").is_file() and v.path.parent == models_root(project)
    assert list_versions(project)[-1] == v

    assert bundle.read_info(v.path).storage == "delta-int8"  # the change only, int8
    runtime = bundle.load(v.path, device="cpu")
    gadget_train = [ex for ex in found.train if any(e.label == "MISC" for e in ex.entities)]
    assert gadget_train
    for gold, pred in zip(gadget_train, predict_examples(runtime, gadget_train), strict=True):
        assert set(gold.entities) <= set(pred.entities), (gold.tokens, pred.entities)

    before = project.query("SELECT id, start, end, label, status, model FROM mentions"
                           " WHERE status != 'suggested' ORDER BY id")
    rejected = project.query("SELECT id, status FROM relations WHERE status = 'rejected'")
    assert rejected  # the gadgets' Work_For relations were dropped by the relabels
    activate(project, "v2", "ann")
    report = run(reextract(project))
    assert report.model == v.model_id and report.untouched == len(before)
    assert project.query("SELECT id, start, end, label, status, model FROM mentions"
                         " WHERE status != 'suggested' ORDER BY id") == before
    assert project.query("SELECT id, status FROM relations WHERE status = 'rejected'") == \
        rejected
    print(f"retrain: {len(found.train)} corrections, {result.replay} replay, {seconds:.1f} s; "
          f"holdout F1 {v.scores.holdout_old} -> {v.scores.holdout_new}; "
          f"{(v.path / 'weights.safetensors').stat().st_size / 1e6:.1f} MB")


def test_cancel_stops_retraining(project: Project) -> None:
    _correct(project)
    cancel = CancelToken()

    def on_step(step: Progress) -> None:
        if step.stage == "train" and step.done >= 1:
            cancel.cancel()

    with pytest.raises(Cancelled):
        run(retrain(project, FAST, user="ann", cancel=cancel), on_step)
    assert [v.version for v in list_versions(project)] == ["v1"]
    assert not (models_root(project) / "v2").exists()
    assert project.query("SELECT status FROM jobs WHERE kind = 'retrain'") == [("cancelled",)]


def test_nothing_to_learn_from(project: Project) -> None:
    with pytest.raises(LearnError, match="no corrections"):
        run(retrain(project, FAST))
