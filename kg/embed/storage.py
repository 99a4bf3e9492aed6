"""Trained embeddings on disk: a folder of safetensors + JSON beside the project, never pickle.

``<project file>.embeddings/<name>/`` holds ``model.safetensors`` (the model's state_dict),
``entities.json`` and ``relations.json`` (label -> row id), and ``config.json`` (format,
model name and hyper-parameters, seed, metrics, the triples' hash, project id, versions,
created_at). PyKEEN's own saved models are pickles that ``torch.load`` runs; these folders
are rebuilt from the config with PyKEEN's model resolver and filled with safetensors. A
folder holding any other kind of file is refused before anything in it is read.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.embed.config import Metrics, TrainConfig

FORMAT = "skein-embedding/1"
WEIGHTS, ENTITIES, RELATIONS, CONFIG = (
    "model.safetensors", "entities.json", "relations.json", "config.json")
ALLOWED_SUFFIXES = frozenset({".safetensors", ".json"})
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


class EmbeddingError(Exception):
    """An embedding folder that cannot be used; `str()` names the folder and why."""


@dataclass(frozen=True, slots=True)
class EmbeddingInfo:
    path: Path
    config: TrainConfig
    metrics: Metrics
    meta: dict[str, Any]
    """The whole ``config.json``."""

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def triples_hash(self) -> str:
        return str(self.meta.get("triples_hash", ""))

    @property
    def project_id(self) -> str:
        return str(self.meta.get("project_id", ""))

    @property
    def created_at(self) -> str:
        return str(self.meta.get("created_at", ""))

    @property
    def model_id(self) -> str:
        """``<name>:<model>@<when it was trained>`` (UTC, to the second): what a link
        decision and the RDF export name as the model behind a prediction. Retraining under
        the same name gives another version."""
        when = self.created_at[:19]
        return f"{self.name}:{self.config.model}@{when}Z" if when else \
            f"{self.name}:{self.config.model}"


@dataclass(frozen=True, slots=True)
class Embedding:
    """A loaded model with its id maps."""

    info: EmbeddingInfo
    model: Any
    """A ``pykeen.models.Model`` in eval mode."""
    entity_to_id: dict[str, int]
    relation_to_id: dict[str, int]


def embeddings_root(project_path: str | Path) -> Path:
    path = Path(project_path)
    return path.with_name(path.name + ".embeddings")


def folder_for(project_path: str | Path, name: str) -> Path:
    if not _NAME.fullmatch(name):
        raise EmbeddingError(f"{name!r}: an embedding name is letters, digits, '_', '.' "
                             "or '-' (up to 64, not starting with '.')")
    return embeddings_root(project_path) / name


def read_info(path: str | Path) -> EmbeddingInfo:
    folder = Path(path)
    if not folder.is_dir():
        raise EmbeddingError(f"{folder}: not an embedding folder")
    for f in folder.iterdir():
        if f.is_dir() or f.suffix not in ALLOWED_SUFFIXES:
            raise EmbeddingError(f"{folder}: refused: '{f.name}' is not safetensors or JSON "
                                 "(pickled or unknown files are never loaded)")
    for required in (WEIGHTS, ENTITIES, RELATIONS, CONFIG):
        if not (folder / required).is_file():
            raise EmbeddingError(f"{folder}: {required} is missing")
    meta = _json(folder / CONFIG)
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise EmbeddingError(f"{folder}: unknown embedding format "
                             f"{meta.get('format') if isinstance(meta, dict) else None!r}")
    try:
        return EmbeddingInfo(folder, TrainConfig.from_json(meta["train"]),
                             Metrics.from_json(meta["metrics"]), meta)
    except (KeyError, TypeError, ValueError) as e:
        raise EmbeddingError(f"{folder}: {CONFIG} is not valid ({e})") from None


def list_embeddings(project_path: str | Path) -> list[EmbeddingInfo]:
    """The usable embeddings of a project, newest first (broken folders are left out)."""
    root = embeddings_root(project_path)
    found = []
    for folder in sorted(root.iterdir()) if root.is_dir() else ():
        if folder.name.startswith("."):
            continue  # a save in progress, or an old copy being replaced
        try:
            found.append(read_info(folder))
        except EmbeddingError:
            continue
    found.sort(key=lambda i: (i.created_at, i.name), reverse=True)
    return found


def save(
    folder: Path,
    model: Any,
    entity_to_id: dict[str, int],
    relation_to_id: dict[str, int],
    config: TrainConfig,
    metrics: Metrics,
    meta: dict[str, Any],
) -> EmbeddingInfo:
    """Write an embedding folder atomically (a hidden temp folder renamed into place)."""
    import torch
    from pykeen.version import get_version
    from safetensors.torch import save_model

    folder.parent.mkdir(parents=True, exist_ok=True)
    full = {
        **meta, "format": FORMAT, "model": config.model, "dim": config.dim,
        "seed": config.seed, "train": config.to_json(), "metrics": metrics.to_json(),
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
        "versions": {"pykeen": get_version(), "torch": torch.__version__},
    }
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        save_model(model, str(tmp / WEIGHTS))
        for name, data in ((ENTITIES, entity_to_id), (RELATIONS, relation_to_id),
                           (CONFIG, full)):
            (tmp / name).write_text(json.dumps(data, indent=1, sort_keys=True,
                                               ensure_ascii=False), encoding="utf-8")
        if folder.exists():
            old = folder.with_name(f".{folder.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            folder.replace(old)
            tmp.replace(folder)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.replace(folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return read_info(folder)


def load(path: str | Path) -> Embedding:
    """Rebuild the model of an embedding folder from its config and fill it with its
    tensors (safetensors only; shapes must match exactly)."""
    import torch
    from pykeen.triples import TriplesFactory
    from safetensors import SafetensorError
    from safetensors.torch import load_model

    from kg.embed.train import make_model

    info = read_info(path)
    entities = _id_map(info.path / ENTITIES)
    relations = _id_map(info.path / RELATIONS)
    factory = TriplesFactory(
        mapped_triples=torch.empty((0, 3), dtype=torch.long), entity_to_id=entities,
        relation_to_id=relations, create_inverse_triples=info.config.inverse_triples,
    )
    try:
        model = make_model(info.config, factory)
        load_model(model, str(info.path / WEIGHTS), strict=True)
    except (RuntimeError, SafetensorError, ValueError) as e:
        raise EmbeddingError(f"{info.path}: the stored tensors do not fit the model "
                             f"({str(e).splitlines()[0]})") from None
    model.eval()
    return Embedding(info, model, entities, relations)


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise EmbeddingError(f"{path}: not readable JSON ({e})") from None


def _id_map(path: Path) -> dict[str, int]:
    data = _json(path)
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, int) for k, v in data.items()
    ) or sorted(data.values()) != list(range(len(data))):
        raise EmbeddingError(f"{path}: not a label -> id map with ids 0..n-1")
    return data
