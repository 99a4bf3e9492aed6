"""Loading documents: one file, or a batch of files and folders as long work."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath

from nlp.documents.loading import load_file
from nlp.documents.model import Document, DocumentError, PasswordRequired
from nlp.documents.registry import supported_suffixes
from nlp.documents.sandbox import DEFAULT_TIMEOUT, Sandbox
from nlp.progress import NEVER, CancelToken, Progress, Work


@dataclass(frozen=True, slots=True)
class LoadResult:
    """The outcome for one file of a batch: a document or an error ("file: reason")."""

    path: str
    document: Document | None
    error: str | None
    needs_password: bool = False
    """The file is encrypted: retry with a password."""


def load_document(
    path: str | os.PathLike[str],
    *,
    password: str | None = None,
    sandbox: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
) -> Document:
    """Load one file; raises DocumentError (PasswordRequired for encrypted files)."""
    path = os.fspath(path)
    if not sandbox:
        return load_file(path, password)
    with Sandbox(timeout=timeout) as box:
        return box.load(path, password)


def _entries(folder: str, visited: set[tuple[int, int]]) -> Iterator[os.DirEntry[str]]:
    """A folder's visible entries by name; nothing if it was seen before (symlink loops)."""
    try:
        info = Path(folder).stat()
        if (info.st_dev, info.st_ino) in visited:
            return iter(())
        visited.add((info.st_dev, info.st_ino))
        with os.scandir(folder) as scan:
            entries = sorted((e for e in scan if not e.name.startswith(".")), key=lambda e: e.name)
    except OSError:
        return iter(())
    return iter(entries)


def _walk(folder: str, suffixes: frozenset[str], visited: set[tuple[int, int]]) -> Iterator[str]:
    """Supported files under `folder` in path order, hidden entries skipped, each folder once."""
    stack = [_entries(folder, visited)]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        try:
            if entry.is_dir():
                stack.append(_entries(entry.path, visited))
            elif entry.is_file() and PurePath(entry.name).suffix.lower() in suffixes:
                yield entry.path
        except OSError:
            continue


def iter_paths(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """Files to load: explicit files as given, folders searched recursively for supported files."""
    suffixes = supported_suffixes()
    visited: set[tuple[int, int]] = set()
    found: dict[str, None] = {}
    for item in paths:
        path = os.fspath(item)
        if Path(path).is_dir():
            found.update(dict.fromkeys(_walk(path, suffixes, visited)))
        else:
            found[path] = None
    return list(found)


class _InProcess:
    """The `Sandbox` interface without a child process (trusted files, tests)."""

    def __enter__(self) -> _InProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def load(self, path: str, password: str | None = None) -> Document:
        return load_file(path, password)


def _password(passwords: Mapping[str, str] | None, path: str) -> str | None:
    if not passwords:
        return None
    for key in (path, str(Path(path).absolute()), PurePath(path).name):
        if key in passwords:
            return passwords[key]
    return None


def load_many(
    paths: Iterable[str | os.PathLike[str]],
    *,
    passwords: Mapping[str, str] | None = None,
    cancel: CancelToken = NEVER,
    timeout: float = DEFAULT_TIMEOUT,
    sandbox: bool = True,
) -> Work[list[LoadResult]]:
    """Load files and folders, one `Progress` per file; bad files never stop the batch.

    `passwords` maps a path (as given or absolute) or a file name to its password. The
    worker process is stopped on cancel or when the caller abandons the generator.
    """
    files = iter_paths(paths)
    results: list[LoadResult] = []
    loader: contextlib.AbstractContextManager[Sandbox | _InProcess]
    loader = Sandbox(timeout=timeout) if sandbox else _InProcess()
    with loader as box:
        for done, path in enumerate(files):
            cancel.check()
            yield Progress(done, len(files), PurePath(path).name, "load")
            try:
                results.append(LoadResult(path, box.load(path, _password(passwords, path)), None))
            except PasswordRequired as exc:
                results.append(LoadResult(path, None, str(exc), needs_password=True))
            except DocumentError as exc:
                results.append(LoadResult(path, None, str(exc)))
    yield Progress(len(files), len(files), PurePath(files[-1]).name if files else "", "load")
    return results
