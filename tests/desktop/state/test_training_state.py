"""`TrainingState` headless: the learning loop as the panel drives it (the same `kg.learn`
calls as the CLI), the live series, the rows it shows, and the words when something
cannot be done."""

from __future__ import annotations

from pathlib import Path

import pytest
import training_helpers as helpers
from training_helpers import FAST, correct

from desktop.state import ProjectState
from desktop.state.training_state import DEV_F1, HOLDOUT_F1, LOSS, MESSAGE, MODELS, TrainingState
from desktop.state.training_text import compare_rows, metric_rows
from kg.learn import Comparison, TypeScore, VersionScore, list_versions
from kg.learn.score import DecisionScore
from nlp.progress import CancelToken, Progress, run

# the learning loop's fixtures (this module's `corpus` is their documents)
corpus, tiny_model, rules_project, model_project, training_project = (
    helpers.corpus, helpers.tiny_model, helpers.rules_project, helpers.model_project,
    helpers.training_project)


def _state(path: Path) -> TrainingState:
    state = TrainingState(ProjectState.open(path), "ann")
    state.set_config(**{k: getattr(FAST, k) for k in FAST.__dataclass_fields__})
    state.reload()
    return state


def test_retrain_activate_compare_reextract_rollback(training_project: Path) -> None:
    state = _state(training_project)
    heard: list[str] = []
    state.changed.connect(heard.append)
    try:
        assert state.active == "v1" and [r.version for r in state.rows()] == ["v1", "default"]
        assert state.counts["sentences"] == 0 and "No corrections" in state.corrections_text()
        correct(state.project)
        state.read_corrections()
        assert state.counts["train"] >= 3 and state.counts["holdout"] >= 1

        state.start_series()
        result = run(state.retrain_work(CancelToken()), state.on_progress)
        state.on_retrained(result)
        assert MODELS in heard and MESSAGE in heard and "Saved v2 from v1" in state.message
        assert [r.version for r in state.rows()] == ["v2", "v1", "default"]
        row = state.rows()[0]
        assert (row.parent, row.status, row.active) == ("v1", "candidate", False)
        assert "→" in row.holdout and row.corrections == str(state.counts["train"])
        assert len(state.series[LOSS]) >= 10  # one point per training step
        assert state.series[HOLDOUT_F1][0].step == 0.0
        # before training, then after every epoch; the last is the new version's figure
        held = state.series[HOLDOUT_F1]
        assert len(held) >= 3 and state.series[DEV_F1] == []
        assert [p.step for p in held] == sorted({p.step for p in held})
        assert held[-1].value == pytest.approx(result.version.scores.holdout_new)
        assert state.active == "v1"  # a new version waits for a person

        assert state.compare_pair("v2") == ("v1", "v2")
        comparison = run(state.compare_work("v1", "v2")(CancelToken()))
        state.on_compared(comparison)
        assert comparison.sentences == state.counts["holdout"]
        assert compare_rows(comparison)[-1].label == "all decisions"

        assert state.activate("v2") and state.active == "v2" and state.reextract_due
        assert "re-extract" in state.message
        assert {m.source for m in state.metrics} == {"held-out corrections"}
        report = run(state.reextract_work(CancelToken()))
        state.on_reextracted(report)
        assert report.documents == 3 and not state.reextract_due
        assert "3 documents read again" in state.message

        assert state.rollback() and state.active == "v1"
        assert [v.status for v in list_versions(state.project)] == ["active", "retired"]
        assert not state.activate("v9") and "no model version 'v9'" in state.message
    finally:
        state.project_state.close()


def test_nothing_to_retrain_and_the_rule(training_project: Path) -> None:
    state = _state(training_project)
    try:
        assert state.rule_text().startswith("New versions wait")
        rule = state.set_rule(True, 1.5)
        assert rule.automatic and state.rule_text().endswith("at most 1.5 points")
        state.reload()
        assert state.rule == rule  # saved in the project
        assert state.project.query("SELECT count(*) FROM corrections WHERE action = "
                                   "'model-accept-rule'") == [(1,)]
        assert state.compare_pair(None) is None and state.compare_pair("v1") is None
        assert state.rollback() and state.active == "default"  # v1 was imported: before it,
        assert state.compare_pair("v1") == ("default", "v1")  # the bundled model
        assert state.rollback() and state.active == "v1"  # back to the one before
    finally:
        state.project_state.close()


def test_series_take_named_metrics_only() -> None:
    state = TrainingState(_NoProject(), "ann")  # type: ignore[arg-type]  # needs no project
    state.on_progress(Progress(0, 0, "scored", "retrain", (("holdout_f1", 0.4),)))
    for step in (1, 2, 3):
        state.on_progress(Progress(step, 3, "", "train",
                                   (("loss", 1.0 / step), ("epoch", 1.0))))
    state.on_progress(Progress(0, 0, "scored", "retrain", (("holdout_f1", 0.8),)))
    state.on_progress(Progress(0, 0, "nan", "retrain", (("loss", float("nan")),)))
    assert [(p.step, p.value) for p in state.series[HOLDOUT_F1]] == [(0.0, 0.4), (3.0, 0.8)]
    assert [p.step for p in state.series[LOSS]] == [1.0, 2.0, 3.0]
    assert "epoch" not in state.series


class _NoProject:
    project = None


def test_rows_from_stored_scores_and_a_comparison() -> None:
    stored = {"holdout": {"new": [TypeScore("entity", "MISC", 3, 1, 0)]},
              "dev": {"conll04": {"ner": {"per_type": {"PER": {"p": 0.9, "r": 0.8, "f1": 0.85,
                                                               "support": 10}}},
                                  "re": {"per_type": {}}}}}
    rows = metric_rows(stored)
    assert [(r.source, r.label, r.support) for r in rows] == [
        ("held-out corrections", "MISC", 3), ("conll04 dev", "PER", 10)]
    assert rows[0].precision == 0.75 and rows[0].recall == 1.0
    a = VersionScore("v1", "m1", DecisionScore(2, 1, 1, 1),
                     (TypeScore("entity", "MISC", 0, 1, 2), TypeScore("entity", "PER", 1, 0, 0)))
    b = VersionScore("v2", "m2", DecisionScore(2, 3, 0, 0),
                     (TypeScore("entity", "MISC", 2, 0, 0), TypeScore("entity", "PER", 1, 0, 0),
                      TypeScore("relation", "Work_For", 0, 1, 0)))
    out = compare_rows(Comparison(a, b, 2))
    assert [(r.label, r.a, r.b, r.delta, r.better) for r in out] == [
        ("MISC", "0.0", "100.0", "+100.0", 1), ("PER", "100.0", "100.0", "±0.0", 0),
        ("→ Work_For", "–", "0.0", "–", 0), ("all decisions", "50.0", "100.0", "+50.0", 1)]
