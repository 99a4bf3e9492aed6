"""Model versions of a project: import, activate, roll back, the acceptance rule; every
switch is a logged decision."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.learn import (
    DEFAULT,
    AcceptRule,
    LearnError,
    Scores,
    accept_rule,
    activate,
    active_model,
    active_version,
    delete_version,
    import_model,
    list_versions,
    rollback,
    set_accept_rule,
)
from kg.store import Project
from nlp.model.extractor import DEFAULT_BUNDLE


def test_activate_and_rollback_round_trip(project: Project, tiny_model: Path) -> None:
    v1 = active_version(project)
    assert v1 is not None and v1.version == "v1" and v1.status == "active"
    assert active_model(project) == v1.path and (v1.path / "bundle.json").is_file()
    v2 = import_model(project, tiny_model, "ann", activate_it=False)
    assert v2.version == "v2" and v2.status == "candidate"
    assert active_version(project) == v1  # a new version does not take over by itself

    assert activate(project, "v2", "ann") == active_version(project)
    assert active_model(project) == v2.path
    assert {v.version: v.status for v in list_versions(project)} == {
        "v1": "retired", "v2": "active"}
    back = rollback(project, "ann")
    assert back is not None and back.version == "v1" and active_model(project) == v1.path
    assert rollback(project, "ann", to=DEFAULT) is None
    assert active_model(project) == DEFAULT_BUNDLE
    assert rollback(project, "ann").version == "v1"  # type: ignore[union-attr]

    log = project.query("SELECT user, action, payload FROM corrections WHERE action LIKE"
                        " 'model-%' ORDER BY id")
    assert [a for _, a, _ in log] == ["model-activate", "model-activate",  # import, v2
                                      "model-rollback", "model-rollback", "model-rollback"]
    assert all(u in ("tester", "ann") for u, _, _ in log)
    assert '"previous": "v2"' in log[2][2] and '"version": "v1"' in log[2][2]


def test_delete_frees_the_bundle_and_keeps_the_record(project: Project,
                                                      tiny_model: Path) -> None:
    v2 = import_model(project, tiny_model, "ann", activate_it=False)
    v3 = import_model(project, tiny_model, "ann")  # active now, v1 retired
    with pytest.raises(LearnError, match="v3 is the active model"):
        delete_version(project, "v3", "ann")
    with pytest.raises(LearnError, match="bundled default"):
        delete_version(project, DEFAULT, "ann")
    size = sum(f.stat().st_size for f in v2.path.iterdir())
    assert delete_version(project, "v2", "ann") == size > 0
    assert not v2.path.exists() and (v3.path / "bundle.json").is_file()
    gone = {v.version: v for v in list_versions(project)}["v2"]
    assert gone.status == "deleted" and gone.model_id == v2.model_id  # provenance stays
    with pytest.raises(LearnError, match="already deleted"):
        delete_version(project, "v2", "ann")
    with pytest.raises(LearnError, match="v2 was deleted"):
        activate(project, "v2", "ann")
    assert active_version(project) == {v.version: v for v in list_versions(project)}["v3"]

    # rolling back skips what was deleted: v3 <- v2 (deleted) <- v1
    activate(project, "v1", "ann")
    activate(project, "v3", "ann")
    delete_version(project, "v1", "ann")
    assert rollback(project, "ann") is None  # neither v1 nor v2 is there: the default
    deletions = project.query("SELECT user, payload FROM corrections WHERE action ="
                              " 'model-delete' ORDER BY id")
    assert [(user, json.loads(payload)["version"]) for user, payload in deletions] == [
        ("ann", "v2"), ("ann", "v1")]


def test_bad_versions_are_refused(project: Project) -> None:
    with pytest.raises(LearnError, match="no model version 'v9'"):
        activate(project, "v9", "ann")
    with pytest.raises(LearnError, match="who decided"):
        activate(project, "v1", "")
    assert active_version(project).version == "v1"  # type: ignore[union-attr]


def test_acceptance_rule() -> None:
    rule = AcceptRule(automatic=True, max_dev_drop=0.5)
    assert rule.accepts(Scores(0.8, 0.8, 0.90, 0.896))  # dev dropped 0.4 points
    assert not rule.accepts(Scores(0.8, 0.8, 0.90, 0.89))  # 1 point
    assert not rule.accepts(Scores(0.8, 0.79, 0.90, 0.95))  # holdout dropped
    assert rule.accepts(Scores(0.5, 0.9))  # no dev data: the holdout decides
    assert not rule.accepts(Scores(None, None, 0.9, 0.9))  # no holdout: a person decides
    assert not AcceptRule().accepts(Scores(0.1, 0.9, 0.5, 0.9))  # off by default


def test_rule_is_stored_in_the_project(project: Project) -> None:
    assert accept_rule(project) == AcceptRule()
    set_accept_rule(project, AcceptRule(True, 1.0), "ann")
    assert accept_rule(project) == AcceptRule(True, 1.0)
    assert project.query("SELECT count(*) FROM corrections WHERE action = "
                         "'model-accept-rule'")[0][0] == 1
