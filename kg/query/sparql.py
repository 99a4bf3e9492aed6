"""Running a SPARQL query on a project's `QueryStore`, safely and within a time limit.

`run_query` first refuses what a query may not do (`kg.query.safety.check_query`: no
``SERVICE``, ``LOAD``, ``FROM``, no updates), then runs it in one of two ways:

* **isolated** (the default for an on-disk index): in a child process (`kg.query._child`)
  that opens the index read-only, runs under the audit guard and streams rows back. On time
  out, cancel or Ctrl-C the child is killed, so even a query that spends minutes inside the
  engine before its first row (a huge cartesian product, an aggregate over it) really stops.
  Costs a process start (about 0.1 s).
* **in-process** (the default for a store in memory): a worker thread runs the query under
  the audit guard; rows are read one at a time and the caller's thread checks the deadline
  and the cancel token every 50 ms. Oxigraph evaluates lazily, so a query that is slow
  *between* rows stops at the next row. The limit: Oxigraph (0.5) has no way to interrupt an
  evaluation from Python, so a query stuck *inside* the engine (an aggregate or ORDER BY over
  a huge product) makes `run_query` raise `QueryTimeout` on time, but the worker thread goes
  on burning one core until the engine returns. Use the isolated mode for untrusted text.

By default the query's default graph is the store's default graph (entity descriptions and
all provenance); the facts between entities live in one named graph per document, so ask for
them with ``GRAPH ?g { ?a ?rel ?b }``. ``union=True`` makes the default graph the union of
all graphs (Oxigraph then returns a triple once per graph holding it: use DISTINCT).
Prefixes ``rdf rdfs xsd owl skos prov dcterms skein`` are predeclared.

Values from users never go into query text: pass them as `bindings` (variable name -> RDF
term), which the engine substitutes after parsing (see `kg.query.lookups`).
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.query.safety import QueryError, QueryTimeout, check_query, guard
from kg.query.store import QueryStore
from kg.query.values import Header, Value, execute, take
from nlp.progress import NEVER, Cancelled, CancelToken

Term = ox.NamedNode | ox.Literal | ox.BlankNode
MAX_QUERY_CHARS = 1_000_000
_POLL = 0.05


@dataclass(frozen=True, slots=True)
class QueryResult:
    kind: str
    """``select``, ``ask``, ``construct`` or ``describe``."""
    columns: tuple[str, ...]
    """Variables of a SELECT; ``("boolean",)`` for ASK; subject/predicate/object otherwise."""
    rows: tuple[tuple[Value, ...], ...]
    elapsed: float
    """Seconds from the call to the last row."""
    truncated: bool = False
    """True when `limit` left rows out."""

    @property
    def boolean(self) -> bool | None:
        """The answer of an ASK query; None for other kinds."""
        return bool(self.rows[0][0]) if self.kind == "ask" else None

    def records(self) -> list[dict[str, Value]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def run_query(
    store: QueryStore,
    text: str,
    *,
    timeout: float = 30.0,
    cancel: CancelToken = NEVER,
    limit: int | None = None,
    bindings: Mapping[str, Term] | None = None,
    union: bool = False,
    isolated: bool | None = None,
) -> QueryResult:
    """Run a read-only SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) on `store`.

    Raises `QueryError` (a ValueError) for a refused or invalid query, `QueryTimeout` past
    `timeout` seconds, `Cancelled` when `cancel` is set. `limit` caps the rows returned
    (`QueryResult.truncated` tells whether more were left). `isolated` picks the child
    process (default: when the store is on disk) or the in-process worker.
    """
    started = time.monotonic()
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is longer than {MAX_QUERY_CHARS} characters")
    kind = check_query(text)
    if limit is not None and limit < 0:
        raise QueryError("limit must be 0 or more")
    if timeout <= 0:
        raise QueryError("timeout must be more than 0 seconds")
    deadline = started + timeout
    if isolated is None:
        isolated = store.path is not None and not getattr(sys, "frozen", False)
    if isolated:
        if store.path is None:
            raise QueryError("an isolated query needs an on-disk index")
        items = _in_child(store.path, text, kind, limit, bindings, union)
    else:
        items = _in_thread(store, text, kind, limit, bindings, union)
    header: Header | None = None
    rows: list[tuple[Value, ...]] = []
    truncated = False
    try:
        for item in _paced(items, deadline, timeout, cancel):
            if header is None:
                header = item
            elif isinstance(item, bool):
                truncated = item
            else:
                rows.append(item)
    finally:
        items.close()
    if header is None:  # pragma: no cover - producers always send one first
        raise QueryError("the query gave no result")
    return QueryResult(
        header.kind, header.columns, tuple(rows), time.monotonic() - started, truncated
    )


class _Feed:
    """Items (header, rows..., truncated flag) that a producer puts on a queue."""

    def __init__(self) -> None:
        self.queue: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=10_000)
        self.stop = threading.Event()
        self.on_close: list[Callable[[], None]] = []

    def close(self) -> None:
        self.stop.set()
        for action in self.on_close:
            action()


def _paced(feed: _Feed, deadline: float, timeout: float, cancel: CancelToken) -> Iterator[Any]:
    while True:
        if cancel.cancelled:
            raise Cancelled()
        left = deadline - time.monotonic()
        if left <= 0:
            raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped")
        try:
            tag, payload = feed.queue.get(timeout=min(_POLL, left))
        except queue.Empty:
            continue
        if tag == "item":
            yield payload
        elif tag == "error":
            raise QueryError(payload)
        else:
            return


def _put(feed: _Feed, tag: str, payload: Any) -> bool:
    while not feed.stop.is_set():
        try:
            feed.queue.put((tag, payload), timeout=_POLL)
            return True
        except queue.Full:
            continue
    return False


def _in_thread(
    store: QueryStore, text: str, kind: str, limit: int | None,
    bindings: Mapping[str, Term] | None, union: bool,
) -> _Feed:
    feed = _Feed()
    allowed = [store.path] if store.path is not None else []

    def work() -> None:
        try:
            with guard(*allowed):
                header, rows = execute(store.store, text, kind, union=union, bindings=bindings)
                if not _put(feed, "item", header):
                    return
                for item in take(rows, limit, feed.stop):
                    if not _put(feed, "item", item):
                        return
            _put(feed, "end", None)
        except Exception as e:  # reported to the caller's thread, never lost
            _put(feed, "error", _one_line(e))

    threading.Thread(target=work, name="skein-query", daemon=True).start()
    return feed


def _in_child(
    path: Path, text: str, kind: str, limit: int | None,
    bindings: Mapping[str, Term] | None, union: bool,
) -> _Feed:
    feed = _Feed()
    request = {
        "path": str(path.resolve()), "query": text, "kind": kind, "limit": limit, "union": union,
        "bindings": {k: str(v) for k, v in (bindings or {}).items()},
    }
    root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed by kill(), on the feed's close
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "kg.query._child"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=errors, cwd=root, env=env,
        )
    except OSError as e:
        errors.close()
        raise QueryError(f"cannot start the query process: {e}") from e

    def kill() -> None:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        errors.close()

    feed.on_close.append(kill)

    def read() -> None:
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(json.dumps(request).encode("utf-8"))
            proc.stdin.close()
            for line in proc.stdout:
                message = json.loads(line)
                if "error" in message:
                    _put(feed, "error", message["error"])
                    return
                if "header" in message:
                    data = message["header"]
                    item: Any = Header(str(data["kind"]), tuple(data["columns"]))
                elif "truncated" in message:
                    item = bool(message["truncated"])
                else:
                    item = tuple(message["row"])
                if not _put(feed, "item", item):
                    return
            code = proc.wait()
            if code != 0 and not feed.stop.is_set():
                errors.seek(0)
                tail = errors.read()[-300:].decode("utf-8", "replace").strip()
                _put(feed, "error", f"the query process stopped (exit code {code}) {tail}")
                return
            _put(feed, "end", None)
        except (OSError, ValueError) as e:
            if not feed.stop.is_set():
                _put(feed, "error", f"the query process failed: {_one_line(e)}")

    threading.Thread(target=read, name="skein-query-reader", daemon=True).start()
    return feed


def _one_line(e: BaseException) -> str:
    return " ".join(str(e).split()) or type(e).__name__
