"""`TrainingState`: what the Model & training panel shows and what the user asked of it. No Qt.

It drives exactly the core functions `skein retrain`, `skein models` and `skein reextract`
call (`kg.learn`). Long work is handed to the panel's worker as ``make(cancel) -> Work``:
`retrain_work` (a new version from the project's corrections), `reextract_work` (the active
version's suggestions replace the old model's open ones) and `compare_work` (two versions
scored per type on the same held-out corrections). `on_progress` collects the named metrics
the work yields (training loss per step, held-out F1 before training and after every epoch,
dev F1 before and after) as series for the live figure. Switching versions (`activate`,
`rollback`) and the acceptance rule are quick, one transaction each, logged in the
annotator's name like every decision.

Views observe `changed` with an aspect: `MODELS` (versions, the active one, its metrics, the
rule), `CORRECTIONS`, `SERIES`, `COMPARISON`, `MESSAGE`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from desktop.state.events import Event
from desktop.state.training_text import f1_text, metric_rows, version_row
from kg.learn import (
    DEFAULT,
    AcceptRule,
    LearnError,
    ModelVersion,
    RetrainConfig,
    accept_rule,
    active_version,
    list_versions,
)
from nlp.progress import Progress

if TYPE_CHECKING:
    from collections.abc import Callable

    from desktop.state.project_state import ProjectState
    from desktop.state.training_text import MetricRow, VersionRow
    from kg.learn import Comparison, ReextractReport, RetrainResult
    from kg.store import Project
    from nlp.progress import CancelToken, Work

MODELS, CORRECTIONS, SERIES, COMPARISON, MESSAGE = (
    "models", "corrections", "series", "comparison", "message")
LOSS, HOLDOUT_F1, DEV_F1 = "loss", "holdout_f1", "dev_f1"
PLOTTED = (LOSS, DEV_F1, HOLDOUT_F1)
"""The metrics the live figure draws (others, like ``epoch``, are not series)."""


@dataclass(frozen=True, slots=True)
class Point:
    step: float
    value: float


class TrainingState:
    """The Model & training panel's state for one open project (see the module docstring)."""

    def __init__(self, project_state: ProjectState, user: str | None = None) -> None:
        from desktop.state.annotation import default_user

        self.project_state = project_state
        self.user = user or default_user()
        self.config = RetrainConfig()
        self.versions: tuple[ModelVersion, ...] = ()
        self.active = DEFAULT
        """The active version's name (`DEFAULT`: the bundled model)."""
        self.rule = AcceptRule()
        self.metrics: tuple[MetricRow, ...] = ()
        """The active model's scores per type (held-out corrections, dev sets)."""
        self.counts: dict[str, int] = {}
        """What the corrections hold (`kg.learn.Corrections.counts`)."""
        self.series: dict[str, list[Point]] = {name: [] for name in PLOTTED}
        self._x = 0.0
        self.comparison: Comparison | None = None
        self.message = ""
        self.reextract_due = False
        """A version was switched since the documents were last re-extracted."""
        self.changed: Event[[str]] = Event()

    @property
    def project(self) -> Project:
        return self.project_state.project

    # -- reading ------------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the versions, the active one's metrics, the rule and the corrections."""
        self.versions = tuple(list_versions(self.project))
        current = active_version(self.project)
        self.active = current.version if current is not None else DEFAULT
        self.rule = accept_rule(self.project)
        self.metrics = self._read_metrics()
        self.changed.emit(MODELS)
        self.read_corrections()

    def _read_metrics(self) -> tuple[MetricRow, ...]:
        from kg.learn import bundle_path, stored_metrics
        from nlp.model.bundle import BundleError

        try:
            return metric_rows(stored_metrics(bundle_path(self.project, self.active)))
        except (BundleError, LearnError) as e:
            self._say(f"The active model cannot be read: {e}")
            return ()

    def read_corrections(self) -> None:
        from kg.learn import corrections

        self.counts = corrections(self.project, self.config.holdout).counts()
        self.changed.emit(CORRECTIONS)

    def version(self, name: str) -> ModelVersion | None:
        return next((v for v in self.versions if v.version == name), None)

    def rows(self) -> list[VersionRow]:
        """The versions table, newest first, with the bundled default model last."""
        rows = [version_row(v, v.version == self.active) for v in reversed(self.versions)]
        return [*rows, version_row(None, self.active == DEFAULT)]

    def corrections_text(self) -> str:
        c = self.counts
        if not c.get("sentences"):
            return ("No corrections yet: accept, reject, relabel or add entities in the text, "
                    "then retrain")
        return (f"{c['sentences']} corrected sentences: {c['train']} to train on, "
                f"{c['holdout']} held out to score · {c['entities']} entities, "
                f"{c['rejected_spans']} rejected, {c['relations']} relations")

    def model_text(self) -> str:
        v = self.version(self.active)
        if v is None:
            return "Active model: the bundled default model"
        s = v.scores
        held = (f" · held-out F1 {f1_text(s.holdout_old)} → {f1_text(s.holdout_new)}"
                if s.holdout_sentences else "")
        return f"Active model: {v.version} ({v.model_id}){held}"

    # -- the live figure ----------------------------------------------------------------------
    def start_series(self) -> None:
        self.series = {name: [] for name in PLOTTED}
        self._x = 0.0
        self.changed.emit(SERIES)

    def on_progress(self, step: Progress) -> None:
        """Add the step's named metrics to the series (x: the training step)."""
        self._x = max(self._x, float(step.done))
        added = False
        for name, value in step.metrics:
            if name in self.series and value == value:  # NaN-free
                point = Point(self._x, float(value))
                if self.series[name][-1:] != [point]:  # "after" repeats the last epoch's
                    self.series[name].append(point)
                    added = True
        if added:
            self.changed.emit(SERIES)

    # -- long work (the panel runs these in its worker) ---------------------------------------
    def set_config(self, **changes: Any) -> RetrainConfig:
        self.config = replace(self.config, **changes)
        return self.config

    def retrain_work(self, cancel: CancelToken) -> Work[RetrainResult]:
        from kg.learn import retrain

        return retrain(self.project, self.config, user=self.user, cancel=cancel)

    def on_retrained(self, result: RetrainResult) -> None:
        v, s = result.version, result.version.scores
        active = " — now active: re-extract to see its suggestions" if result.activated else ""
        held = (f"held-out F1 {f1_text(s.holdout_old)} → {f1_text(s.holdout_new)} "
                f"on {s.holdout_sentences} sentences" if s.holdout_sentences
                else "too few corrections held out to score")
        self.reextract_due = self.reextract_due or result.activated
        self.reload()
        self._say(f"Saved {v.version} from {v.parent} in {result.seconds:.0f} s: {held}{active}")

    def reextract_work(self, cancel: CancelToken) -> Work[ReextractReport]:
        from kg.learn import reextract

        return reextract(self.project, cancel=cancel)

    def on_reextracted(self, report: ReextractReport | None) -> None:
        """Show what changed: the document list, text, graph and review queue follow."""
        self.project_state.refresh()
        if self.project_state.selected is not None:
            self.project_state.reload_mentions()
        self.read_corrections()
        if report is None:
            return
        self.reextract_due = report.cancelled
        stop = " (cancelled: the documents read before the cancel are updated)" \
            if report.cancelled else ""
        self._say(f"{report.documents} documents read again with {report.model}: "
                  f"{report.added} suggestions added, {report.removed} removed, "
                  f"{report.kept} kept; {report.untouched} decided mentions untouched{stop}")

    def compare_work(self, a: str, b: str) -> Callable[[CancelToken], Work[Comparison]]:
        from kg.learn import compare

        def make(cancel: CancelToken) -> Work[Comparison]:
            return compare(self.project, a, b, holdout=self.config.holdout,
                           device=self.config.device, cancel=cancel)

        return make

    def on_compared(self, comparison: Comparison) -> None:
        self.comparison = comparison
        self.changed.emit(COMPARISON)
        self._say(f"{comparison.a.version} vs {comparison.b.version} on "
                  f"{comparison.sentences} held-out sentences: F1 "
                  f"{f1_text(comparison.a.micro.f1)} → {f1_text(comparison.b.micro.f1)}")

    def compare_pair(self, selected: str | None) -> tuple[str, str] | None:
        """What Compare compares: the selected version against its parent (or, for a
        version without one, against the active version); None where either is deleted."""
        if selected is None or self.deleted(selected):
            return None
        v = self.version(selected)
        other = v.parent if v is not None and v.parent else self.active
        return None if other == selected or self.deleted(other) else (other, selected)

    def deleted(self, name: str) -> bool:
        v = self.version(name)
        return v is not None and v.deleted

    def deletable(self, name: str | None) -> bool:
        """Whether Delete can remove `name`: a version of the project, not active, not
        already deleted."""
        return (name is not None and self.version(name) is not None
                and name != self.active and not self.deleted(name))

    # -- decisions ----------------------------------------------------------------------------
    def activate(self, version: str) -> bool:
        from kg.learn import activate

        return self._switch(lambda: activate(self.project, version, self.user))

    def rollback(self) -> bool:
        from kg.learn import rollback

        return self._switch(lambda: rollback(self.project, self.user))

    def delete(self, version: str) -> bool:
        """Delete a version's model files (`kg.learn.delete_version`); its row stays."""
        from kg.learn import delete_version

        try:
            freed = delete_version(self.project, version, self.user)
        except LearnError as e:
            self._say(str(e))
            return False
        self.reload()
        self._say(f"Deleted {version}'s model files ({freed / 1e6:.1f} MB); its record stays "
                  "for the provenance of what it suggested")
        return True

    def _switch(self, do: Callable[[], object]) -> bool:
        before = self.active
        try:
            do()
        except LearnError as e:
            self._say(str(e))
            return False
        self.reload()
        self.reextract_due = self.reextract_due or self.active != before
        self._say(f"{self.active} is the active model now (was {before}): re-extract the "
                  "documents to see its suggestions" if self.active != before
                  else f"{self.active} stays the active model")
        return True

    def set_rule(self, automatic: bool, max_dev_drop: float | None = None) -> AcceptRule:
        from kg.learn import set_accept_rule

        drop = self.rule.max_dev_drop if max_dev_drop is None else max(0.0, max_dev_drop)
        rule = AcceptRule(automatic=automatic, max_dev_drop=drop,
                          max_holdout_drop=self.rule.max_holdout_drop)
        if rule != self.rule:
            set_accept_rule(self.project, rule, self.user)
            self.rule = rule
            self.changed.emit(MODELS)
        return rule

    def rule_text(self) -> str:
        r = self.rule
        if not r.automatic:
            return "New versions wait for you to activate them"
        return (f"New versions take over when their held-out F1 does not drop and their dev "
                f"F1 drops at most {r.max_dev_drop:g} points")

    def _say(self, text: str) -> None:
        self.message = text
        self.changed.emit(MESSAGE)
