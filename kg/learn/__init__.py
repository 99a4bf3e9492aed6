"""The learning loop: people's corrections teach the project's model, version by version.

* `kg.learn.examples` - corrections (accepted, added, rejected, relabelled mentions and
  relations; reviewed sentences; merges and splits) as training `Example`s and
  `LinkLabel`s, with a stable held-out share;
* `kg.learn.retrain` - `retrain`: a new model version from the active one, the
  corrections and a replay sample (long work, cancellable, GPU when present);
* `kg.learn.versions` - the versions of a project, which one is active, `activate`,
  `rollback`, the `AcceptRule`;
* `kg.learn.reextract` - `reextract`: the active version's suggestions replace the old
  model's open ones; people's decisions stay as they are;
* `kg.learn.score` - scoring a model on held-out decisions (micro and per type);
* `kg.learn.compare` - two versions scored per type on the same held-out corrections.

Importing this package loads neither torch nor transformers.
"""

from kg.learn.compare import Comparison, VersionScore, compare, stored_metrics
from kg.learn.examples import Corrections, LinkLabel, corrections, link_labels
from kg.learn.reextract import ReextractReport, reextract
from kg.learn.retrain import RetrainConfig, RetrainResult, retrain
from kg.learn.score import TypeScore
from kg.learn.versions import (
    DEFAULT,
    AcceptRule,
    LearnError,
    ModelVersion,
    Scores,
    accept_rule,
    activate,
    active_model,
    active_version,
    bundle_path,
    delete_version,
    import_model,
    list_versions,
    rollback,
    set_accept_rule,
)

__all__ = [
    "DEFAULT",
    "AcceptRule",
    "Comparison",
    "Corrections",
    "LearnError",
    "LinkLabel",
    "ModelVersion",
    "ReextractReport",
    "RetrainConfig",
    "RetrainResult",
    "Scores",
    "TypeScore",
    "VersionScore",
    "accept_rule",
    "activate",
    "active_model",
    "active_version",
    "bundle_path",
    "compare",
    "corrections",
    "delete_version",
    "import_model",
    "link_labels",
    "list_versions",
    "reextract",
    "retrain",
    "rollback",
    "set_accept_rule",
    "stored_metrics",
]
