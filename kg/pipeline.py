"""The headless build: ingest → sentences → extract → link → store, one document at a time,
then entity resolution over the project (`kg.resolve`).

`build` is long work in Skein's one shape: a generator yielding `Progress`, returning a
`BuildReport`, checking a `CancelToken` between documents. Each document is committed in
its own transaction, so a crash or a cancel keeps every document finished before it.
Re-running on the same files only does what changed (size/mtime, then content hash).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.resolve.run import resolve
from kg.resolve.types import KEEP, ResolveOptions
from kg.store import writes
from kg.store.project import Project
from nlp.documents import DocumentError, iter_paths
from nlp.documents.model import content_id
from nlp.documents.sandbox import Sandbox
from nlp.extract import get_extractor
from nlp.extract.types import Extractor
from nlp.progress import NEVER, Cancelled, CancelToken, Progress, Work
from nlp.text import split_sentences

MAX_FILE_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class BuildReport:
    added: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    replaced: tuple[str, ...] = ()
    failed: tuple[tuple[str, str], ...] = ()
    """(path, reason) for every file that could not be loaded."""
    cancelled: bool = False
    model: str = ""


@dataclass
class _Tally:
    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    def report(self, cancelled: bool, model: str) -> BuildReport:
        return BuildReport(
            tuple(self.added), tuple(self.unchanged), tuple(self.replaced),
            tuple(self.failed), cancelled, model,
        )


def _password_for(path: str, passwords: Mapping[str, str]) -> str | None:
    return passwords.get(path) or passwords.get(Path(path).name) or passwords.get("*")


def build(
    paths: Sequence[str | os.PathLike[str]],
    project: Project,
    *,
    extractor: str = "default",
    extractor_options: Mapping[str, object] | None = None,
    passwords: Mapping[str, str] | None = None,
    timeout: float = 60.0,
    cancel: CancelToken = NEVER,
) -> Work[BuildReport]:
    """Bring `project` up to date with the documents under `paths` (`extractor_options`
    go to the extraction backend, e.g. ``device`` and ``min_confidence`` of the model).

    The trained model extracts with the project's active model version (`kg.learn`) when
    it has one, unless `extractor_options` name a ``model``."""
    backend = project_extractor(project, extractor, extractor_options)
    files = [str(Path(p).resolve()) for p in iter_paths([str(p) for p in paths])]
    tally = _Tally()
    job = project.start_job("build", {"paths": [str(p) for p in paths], "extractor": extractor})
    status, message, cancelled = "failed", "", False
    yield Progress(0, len(files), "scanning", "build")
    try:
        with Sandbox(timeout=timeout) as sandbox:
            for i, path in enumerate(files):
                cancel.check()
                yield Progress(i, len(files), Path(path).name, "build")
                _one(project, sandbox, backend, path, passwords or {}, tally)
        _prune_orphan_entities(project)
        # merges follow the new entities; the encoder's stored merges are kept, not redone
        yield from resolve(project, options=ResolveOptions(embeddings=KEEP), cancel=cancel)
        yield Progress(len(files), len(files), "done", "build")
        status = "done"
    except Cancelled:
        status, cancelled = "cancelled", True
    except Exception as e:
        message = f"{type(e).__name__}: {e}"
        raise
    finally:
        _prune_orphan_entities(project)
        project.finish_job(job, status, message or _summary(tally))
    return tally.report(cancelled, backend.info.id)


def project_extractor(project: Project, extractor: str = "default",
                      options: Mapping[str, object] | None = None) -> Extractor:
    """The extraction backend `extractor` for `project`: the trained model reads with the
    project's active version (a retrained model the user accepted), else the default."""
    from kg.learn.versions import active_version
    from nlp.extract.registry import default_backend

    name = default_backend() if extractor == "default" else extractor
    opts = dict(options or {})
    if name == "transformer" and "model" not in opts:
        version = active_version(project)
        if version is not None:
            opts["model"] = str(version.path)
    return get_extractor(name, **opts)


def _summary(t: _Tally) -> str:
    return (f"{len(t.added)} added, {len(t.replaced)} replaced, {len(t.unchanged)} unchanged, "
            f"{len(t.failed)} failed")


def _one(
    project: Project,
    sandbox: Sandbox,
    backend: Extractor,
    path: str,
    passwords: Mapping[str, str],
    tally: _Tally,
) -> None:
    try:
        st = Path(path).stat()
    except OSError as e:
        tally.failed.append((path, f"{path}: cannot read ({e.strerror})"))
        return
    known = writes.known_source(project, path)
    if (known and known.status == "extracted" and known.size == st.st_size
            and known.mtime_ns == st.st_mtime_ns):
        tally.unchanged.append(path)
        return
    if st.st_size > MAX_FILE_BYTES:
        reason = f"{path}: too large ({st.st_size // 2**20} MB; the limit is 200 MB)"
        writes.store_failure(project, "too-large", path, "?", reason,
                             st.st_size, st.st_mtime_ns)
        tally.failed.append((path, reason))
        return
    with open(path, "rb") as f:
        doc_id = content_id(f.read())
    if writes.document_status(project, doc_id) == "extracted":
        writes.touch_source(project, doc_id, path, st.st_size, st.st_mtime_ns)
        tally.unchanged.append(path)
        return
    if known and known.document != doc_id and known.status != "failed":
        if writes.has_human_work(project, known.document):
            pass  # the old version keeps the annotator's work; the new one is added beside it
        else:
            writes.remove_document(project, known.document)
        tally.replaced.append(path)
    try:
        doc = sandbox.load(path, password=_password_for(path, passwords))
    except DocumentError as e:
        writes.store_failure(project, doc_id, path, Path(path).suffix.lstrip(".") or "?",
                             str(e), st.st_size, st.st_mtime_ns)
        tally.failed.append((path, str(e)))
        return
    sentences = split_sentences(doc.text)
    extraction = backend.extract(doc.text, sentences)
    writes.store_document(project, doc, sentences, extraction,
                          backend.info, st.st_size, st.st_mtime_ns)
    if path not in tally.replaced:
        tally.added.append(path)


def _prune_orphan_entities(project: Project) -> None:
    with project.transaction() as con:
        con.execute(
            "DELETE FROM entities WHERE id NOT IN"
            " (SELECT entity FROM mentions WHERE entity IS NOT NULL)"
        )
