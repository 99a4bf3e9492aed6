"""A project's model versions: which model extracts for it, and every one it had.

Retraining makes a new version; it is saved as a model bundle in
``<project file>.models/<version>/`` (safetensors + JSON, like every bundle) and recorded
in the project file's ``meta`` table as ``learn.version.<version>`` (JSON: parent,
creation time, number of corrections, old and new model's scores, status). The version
that extracts is ``learn.active`` — none means the bundled default model — and every
switch appends to ``learn.history``, so `rollback` can go back one step (or to any
version). Switching is a person's decision (or their `AcceptRule`), written with an
entry in the corrections log in the same transaction. Versions live in ``meta`` rather
than a table of their own: they are few and small, and no schema migration is needed.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from kg.store.file import now
from kg.store.project import Project

__all__ = ["DEFAULT", "AcceptRule", "LearnError", "ModelVersion", "Scores", "accept_rule",
           "activate", "active_model", "active_version", "bundle_path", "delete_version",
           "import_model", "list_versions", "models_root", "rollback", "set_accept_rule"]

DEFAULT = "default"
"""The version name of the bundled default model (what a project starts with)."""
_PREFIX, _ACTIVE, _HISTORY, _RULE = ("learn.version.", "learn.active", "learn.history",
                                     "learn.accept_rule")
_NAME = re.compile(r"v[0-9]{1,6}")
CANDIDATE, ACTIVE, RETIRED, DELETED = "candidate", "active", "retired", "deleted"


class LearnError(Exception):
    """A learning-loop action that cannot be done; `str()` says why."""


@dataclass(frozen=True, slots=True)
class Scores:
    """F1 of the parent (old) and the new model on the held-out corrections and on a
    sample of the original dev data; None where it was not measured."""

    holdout_old: float | None = None
    holdout_new: float | None = None
    dev_old: float | None = None
    dev_new: float | None = None
    holdout_sentences: int = 0
    dev_sentences: int = 0

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Scores:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)


@dataclass(frozen=True, slots=True)
class ModelVersion:
    """One model version of a project."""

    version: str
    """``v1``, ``v2``, ...: also the bundle's folder name."""
    model_id: str
    """The bundle's id, the ``model`` of the suggestions it makes."""
    path: Path
    parent: str | None
    """The version it was trained from (`DEFAULT` for the bundled model; None: imported)."""
    created_at: str
    corrections: int
    """Correction sentences it was trained on."""
    scores: Scores
    status: str
    """``candidate`` (never used), ``active``, ``retired`` (was active once) or
    ``deleted`` (its bundle is gone; the record stays for provenance)."""
    seconds: float = 0.0
    note: str = ""

    @property
    def deleted(self) -> bool:
        """Its bundle was deleted (`delete_version`): it cannot extract any more."""
        return self.status == DELETED


@dataclass(frozen=True, slots=True)
class AcceptRule:
    """When a new version takes over without asking: with `automatic`, if its held-out
    F1 drops by at most `max_holdout_drop` and its dev F1 by at most `max_dev_drop`
    (both in F1 points: 0.5 is half a point, 0.005). A version whose holdout was not
    measured (fewer than five corrections) is never accepted automatically; one whose
    dev data was not available is judged on the holdout alone."""

    automatic: bool = False
    max_dev_drop: float = 0.5
    max_holdout_drop: float = 0.0

    def accepts(self, s: Scores) -> bool:
        if not self.automatic or s.holdout_new is None or s.holdout_old is None:
            return False
        if s.holdout_new < s.holdout_old - self.max_holdout_drop / 100 - 1e-9:
            return False
        return not (s.dev_new is not None and s.dev_old is not None
                    and s.dev_new < s.dev_old - self.max_dev_drop / 100 - 1e-9)


def models_root(project: Project) -> Path:
    return project.path.with_name(project.path.name + ".models")


def _record(project: Project, data: dict[str, Any]) -> ModelVersion:
    return ModelVersion(
        version=str(data["version"]), model_id=str(data["model_id"]),
        path=models_root(project) / str(data["version"]), parent=data.get("parent"),
        created_at=str(data["created_at"]), corrections=int(data.get("corrections", 0)),
        scores=Scores.from_json(data.get("scores", {})), status=str(data["status"]),
        seconds=float(data.get("seconds", 0.0)), note=str(data.get("note", "")))


def _data(v: ModelVersion) -> dict[str, Any]:
    return {"version": v.version, "model_id": v.model_id, "parent": v.parent,
            "created_at": v.created_at, "corrections": v.corrections,
            "scores": asdict(v.scores), "status": v.status, "seconds": v.seconds,
            "note": v.note}


def list_versions(project: Project) -> list[ModelVersion]:
    """Every version of the project, oldest first."""
    rows = project.query("SELECT value FROM meta WHERE key LIKE 'learn.version.%'")
    found = [_record(project, json.loads(r[0])) for r in rows]
    return sorted(found, key=lambda v: int(v.version[1:]))


def _get(project: Project, version: str) -> ModelVersion:
    raw = project.meta(_PREFIX + version)
    if raw is None:
        known = ", ".join(v.version for v in list_versions(project)) or "none yet"
        raise LearnError(f"no model version {version!r} in this project (versions: {known})")
    return _record(project, json.loads(raw))


def active_version(project: Project) -> ModelVersion | None:
    """The version that extracts for the project; None: the bundled default model."""
    name = project.meta(_ACTIVE)
    return _get(project, name) if name and name != DEFAULT else None


def active_model(project: Project) -> Path:
    """The bundle folder of the active version (the bundled default model when none)."""
    v = active_version(project)
    return v.path if v is not None else _default_bundle()


def bundle_path(project: Project, version: str) -> Path:
    """The bundle folder of `version` (`DEFAULT`: the bundled default model)."""
    return _default_bundle() if version == DEFAULT else _get(project, version).path


def _default_bundle() -> Path:
    from nlp.model.extractor import DEFAULT_BUNDLE

    return DEFAULT_BUNDLE


def next_version(project: Project) -> str:
    versions = list_versions(project)
    return f"v{int(versions[-1].version[1:]) + 1 if versions else 1}"


def add_version(project: Project, version: ModelVersion) -> ModelVersion:
    """Record a version whose bundle is already saved in its folder (see `retrain`)."""
    if not _NAME.fullmatch(version.version):
        raise LearnError(f"{version.version!r} is not a version name (v1, v2, ...)")
    project.set_meta(_PREFIX + version.version, json.dumps(_data(version), sort_keys=True))
    return version


def _history(project: Project) -> list[dict[str, str]]:
    return list(json.loads(project.meta(_HISTORY) or "[]"))


def activate(project: Project, version: str, user: str, *, action: str = "model-activate",
             ) -> ModelVersion | None:
    """Make `version` (or `DEFAULT`) the project's model, logged as `user`'s decision.
    Re-extract afterwards (`kg.learn.reextract`) to see its suggestions."""
    from nlp.model.bundle import BundleError, read_info

    if not user:
        raise LearnError("who decided is required")
    target = None if version == DEFAULT else _get(project, version)
    if target is not None and target.deleted:
        raise LearnError(f"version {version} was deleted: its model is gone")
    try:
        read_info(target.path if target else _default_bundle())
    except BundleError as e:
        raise LearnError(f"version {version} cannot be used: {e}") from None
    with project.transaction() as con:
        previous = project.meta(_ACTIVE) or DEFAULT
        for v in list_versions(project):
            status = (ACTIVE if v.version == version
                      else RETIRED if v.status == ACTIVE else v.status)
            if status != v.status:
                con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                            (_PREFIX + v.version, json.dumps(
                                {**_data(v), "status": status}, sort_keys=True)))
        at = now()
        history = [*_history(project), {"version": version, "at": at, "user": user}]
        con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (_ACTIVE, version))
        con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                    (_HISTORY, json.dumps(history)))
        project.log_correction(user, action, {"version": version, "previous": previous,
                                              "model": target.model_id if target else DEFAULT})
    return active_version(project)


def rollback(project: Project, user: str, to: str | None = None) -> ModelVersion | None:
    """Go back to the version that was active before the current one (or to `to`):
    the bundled default when there was none. Returns the now active version."""
    if to is None:
        current = project.meta(_ACTIVE) or DEFAULT
        gone = {v.version for v in list_versions(project) if v.deleted}
        earlier = [h["version"] for h in _history(project) if h["version"] not in gone]
        while earlier and earlier[-1] == current:
            earlier.pop()
        if current == DEFAULT and not earlier:
            raise LearnError("nothing to roll back to: the project uses the default model")
        to = earlier[-1] if earlier else DEFAULT
    return activate(project, to, user, action="model-rollback")


def delete_version(project: Project, version: str, user: str) -> int:
    """Delete a version's bundle to free its space; returns the bytes freed. Its record
    stays (status ``deleted``, parent, scores), so the model id that suggestions and
    facts name as their provenance still says what it was; the deletion is logged as
    `user`'s decision. The active version and the bundled default cannot be deleted."""
    import shutil

    if not user:
        raise LearnError("who decided is required")
    if version == DEFAULT:
        raise LearnError("the bundled default model cannot be deleted")
    v = _get(project, version)
    if v.deleted:
        raise LearnError(f"version {version} is already deleted")
    if (project.meta(_ACTIVE) or DEFAULT) == version:
        raise LearnError(f"version {version} is the active model: activate another version "
                         "(or roll back) before deleting it")
    freed = sum(f.stat().st_size for f in v.path.rglob("*") if f.is_file()) \
        if v.path.is_dir() else 0
    with project.transaction() as con:
        con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                    (_PREFIX + version, json.dumps({**_data(v), "status": DELETED},
                                                   sort_keys=True)))
        project.log_correction(user, "model-delete", {"version": version,
                                                      "model": v.model_id, "bytes": freed})
    # after the commit: a crash in between leaves a stray folder, never a live record
    # whose bundle is gone
    shutil.rmtree(v.path, ignore_errors=True)
    return freed


def import_model(project: Project, bundle: str | Path, user: str, *,
                 activate_it: bool = True, note: str = "") -> ModelVersion:
    """Copy a model bundle into the project as a new version (its first model, say)."""
    import shutil

    from nlp.model.bundle import BundleError, read_info

    try:
        info = read_info(bundle)
    except BundleError as e:
        raise LearnError(str(e)) from None
    name = next_version(project)
    folder = models_root(project) / name
    folder.parent.mkdir(exist_ok=True)
    tmp = folder.with_name(f".{name}.part")
    if tmp.exists():
        shutil.rmtree(tmp)
    shutil.copytree(info.path, tmp)
    tmp.replace(folder)
    dev = info.meta.get("dev_metrics", {})
    v = add_version(project, ModelVersion(
        name, info.model_id, folder, None, now(), 0, Scores(), CANDIDATE,
        note=note or f"imported from {info.path}" + (f" ({len(dev)} dev sets)" if dev else "")))
    return (activate(project, name, user) or v) if activate_it else v


def accept_rule(project: Project) -> AcceptRule:
    """The project's rule for taking new versions automatically (off by default)."""
    raw = project.meta(_RULE)
    return AcceptRule(**json.loads(raw)) if raw else AcceptRule()


def set_accept_rule(project: Project, rule: AcceptRule, user: str) -> None:
    with project.transaction() as con:
        con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                    (_RULE, json.dumps(asdict(rule), sort_keys=True)))
        project.log_correction(user, "model-accept-rule", asdict(rule))
