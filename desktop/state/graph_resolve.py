"""Merging and splitting entities from the graph view: the hook into `kg.resolve`.

`kg.resolve` is another part of Skein; where a build lacks it, `resolution()` is None and
the view's menu items are disabled with `NO_RESOLUTION` as their tooltip. A merge or split
is saved and logged by `kg.resolve` itself (one transaction, a row in the corrections log,
in the name of the annotator); the graph is stale afterwards and is read again.
`resolve_work` runs resolution over the whole project again with the encoder (long work,
in the background): people's merges and splits decide their pairs and tune the encoder's
threshold for the pairs nobody decided.
"""

from __future__ import annotations

import getpass
import importlib
import os
from types import ModuleType
from typing import TYPE_CHECKING, Any

from nlp.progress import CancelToken, Work

if TYPE_CHECKING:
    from desktop.state.graph_state import GraphState

RESOLVE_MODULE = "kg.resolve"
NO_RESOLUTION = "entity resolution not available"


def resolution() -> ModuleType | None:
    """`kg.resolve` when this build has it (with `merge` and `split`), else None."""
    try:
        module = importlib.import_module(RESOLVE_MODULE)
    except ImportError:
        return None
    return module if hasattr(module, "merge") and hasattr(module, "split") else None


def user_of(state: GraphState) -> str:
    """Who decides: the annotator of the open project where it has one, else $SKEIN_USER or
    the login name."""
    annotation = getattr(state.project_state, "annotation", None)
    name = getattr(annotation, "user", None)
    if isinstance(name, str) and name:
        return name
    try:
        return os.environ.get("SKEIN_USER") or getpass.getuser()
    except (KeyError, OSError):  # no user database entry (containers)
        return "annotator"


def _module() -> ModuleType:
    module = resolution()
    if module is None:
        raise RuntimeError(NO_RESOLUTION)
    return module


def merge(state: GraphState, a: str, b: str) -> object:
    """Record that entities `a` and `b` are one (`kg.resolve.merge` picks the canonical one
    and logs the decision)."""
    done = _module().merge(state.project_state.project, a, b, user_of(state))
    state.stale = True
    return done


def split(state: GraphState, node: str) -> object:
    """Take entity `node` out of the entities it was merged with (`kg.resolve.split`)."""
    done = _module().split(state.project_state.project, node, user_of(state))
    state.stale = True
    return done


def resolve_work(state: GraphState, cancel: CancelToken) -> Work[Any]:
    """Entity resolution over the whole project, the encoder asked about the pairs strings
    leave open (`kg.resolve.resolve`); its report."""
    report = yield from _module().resolve(state.project_state.project, cancel=cancel)
    state.stale = True
    return report


def describe(report: Any) -> str:
    """One line for a resolution report: entities before and after, and the encoder's
    threshold with what it was learnt from."""
    parts = [f"{report.entities} entities → {report.after} ({len(report.merges)} merged)"]
    if report.threshold is not None:
        parts.append(report.threshold.describe())
    if report.encoder:
        parts.append(f"strings only: {report.encoder}")
    return "; ".join(parts)
