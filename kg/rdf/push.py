"""Pushing a project's knowledge graph to a shared SPARQL store.

The project becomes ONE named graph in the store, ``<project base>graph`` by default
(``urn:skein:project:<project id>:graph``, next to the per-document graphs of the export), made
of the union of the project's dataset (`kg.rdf.flatten`: provenance kept through the reified
assertions). Every push replaces that graph, so pushing twice changes nothing. Three ways:

- **Graph Store Protocol** (``endpoint``, e.g. Oxigraph's ``/store``, Fuseki's ``/ds/data``): one
  ``PUT <endpoint>?graph=<g>`` with the N-Triples. PUT replaces the graph, but servers may do
  it in two steps (Oxigraph clears, then loads), so a failed or cancelled upload can leave the
  graph empty until the next push.
- **Graph Store + Update** (both endpoints): the PUT goes to a fresh staging graph, then one
  update ``DROP SILENT GRAPH <g> ; MOVE SILENT GRAPH <staging> TO GRAPH <g>`` swaps it in, in
  one transaction on stores whose updates are transactional: readers see the old graph or the
  new one, never a half. A failure drops the staging graph (best effort: a leftover is
  named ``<g>-staging-<random>``).
- **Update only** (``update_endpoint``): ``DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> {...}
  }`` in one request when the graph fits in one (`UPDATE_CHUNK_BYTES`); else ``INSERT DATA``
  chunks into a staging graph, then the same swap. Also the fall-back when the Graph Store
  endpoint answers 404, 405, 415 or 501 and an update endpoint is known.

The N-Triples are written to a temporary file first, so a large graph is not held in memory;
values are only ever N-Triples terms written by Oxigraph's serializer, never pasted text.
Standard library HTTP with retries and clear errors: `kg.rdf.transport`.
"""

from __future__ import annotations

import re
import tempfile
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from kg.query.store import project_base
from kg.rdf.flatten import write_ntriples
from kg.rdf.transport import Answer, Call, Policy, PushError, check_url, send
from kg.store.project import Project
from kg.store.reads import snapshot
from nlp.progress import NEVER, CancelToken, Progress, Work

UPDATE_CHUNK_BYTES = 512 * 1024
"""Largest INSERT DATA body: well under the 1 MiB that some servers (older Oxigraph) accept."""
NTRIPLES = "application/n-triples"
SPARQL_UPDATE = "application/sparql-update"
FALL_BACK_ON = frozenset({404, 405, 415, 501})
"""Graph Store answers meaning "no such protocol here" (with an update endpoint, use it)."""

_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")

__all__ = ["PushError", "PushReport", "project_graph_iri", "push"]


@dataclass(frozen=True, slots=True)
class PushReport:
    endpoint: str
    """The URL the graph went to (the update endpoint for an update-only push)."""
    graph: str
    method: str
    """``graph-store``, ``graph-store+update`` or ``update``."""
    triples: int
    bytes: int
    requests: int
    retries: int
    seconds: float


@dataclass
class _Tally:
    requests: int = 0
    retries: int = 0

    def count(self, answer: Answer) -> None:
        self.requests += 1
        self.retries += answer.attempts - 1


def project_graph_iri(project: Project) -> str:
    """The named graph a project is pushed to unless told otherwise."""
    return project_base(project) + "graph"


def _check_iri(iri: str) -> str:
    if not _IRI.fullmatch(iri):
        raise PushError(f"the graph name must be an absolute IRI, got {iri!r}")
    return iri


def gsp_url(endpoint: str, graph: str) -> str:
    """The Graph Store Protocol URL of `graph` (indirect identification: ``?graph=``)."""
    joiner = "&" if urllib.parse.urlsplit(endpoint).query else "?"
    return endpoint + joiner + urllib.parse.urlencode({"graph": graph})


def _update(url: str, text: str, what: str) -> Call:
    return Call("POST", url, SPARQL_UPDATE, text.encode("utf-8"), what)


def _swap(url: str, staging: str, graph: str) -> Call:
    return _update(url, f"DROP SILENT GRAPH <{graph}> ;\nMOVE SILENT GRAPH <{staging}> TO GRAPH "
                        f"<{graph}>", "swap of the pushed graph")


def _staging(graph: str) -> str:
    """A fresh staging graph, named after its target so that a leftover is recognisable."""
    return f"{graph}-staging-{uuid.uuid4().hex}"


def _chunks(body: BinaryIO, limit: int) -> Iterator[bytes]:
    body.seek(0)
    chunk: list[bytes] = []
    size = 0
    for line in body:
        if chunk and size + len(line) > limit:
            yield b"".join(chunk)
            chunk, size = [], 0
        chunk.append(line)
        size += len(line)
    if chunk:
        yield b"".join(chunk)


def _insert(graph: str, triples: bytes, drop_first: bool) -> str:
    head = f"DROP SILENT GRAPH <{graph}> ;\n" if drop_first else ""
    return f"{head}INSERT DATA {{ GRAPH <{graph}> {{\n{triples.decode('utf-8')}}} }}"


def _drop_quietly(url: str, graph: str, policy: Policy) -> None:
    """Best-effort removal of a staging graph after a failure (no retries, errors ignored)."""
    call = _update(url, f"DROP SILENT GRAPH <{graph}>", "removal of the staging graph")
    quick = Policy(retries=0, timeout=min(policy.timeout, 5.0), auth=policy.auth)
    try:
        for _ in send(call, quick):
            pass
    except (PushError, OSError):
        pass


def _via_update(url: str, graph: str, body: BinaryIO, size: int, limit: int, policy: Policy,
                tally: _Tally, cancel: CancelToken) -> Work[None]:
    if size <= limit:
        text = _insert(graph, b"".join(_chunks(body, limit)), drop_first=True)
        tally.count((yield from send(_update(url, text, "update of the project graph"),
                                     policy, cancel)))
        return
    staging = _staging(graph)
    try:
        for i, part in enumerate(_chunks(body, limit), 1):
            call = _update(url, _insert(staging, part, drop_first=False), f"update chunk {i}")
            tally.count((yield from send(call, policy, cancel)))
        tally.count((yield from send(_swap(url, staging, graph), policy, cancel)))
    except Exception:  # a failure or a cancel (not Ctrl-C twice, not close())
        _drop_quietly(url, staging, policy)
        raise


def _via_store(endpoint: str, update: str | None, graph: str, body: BinaryIO, policy: Policy,
               tally: _Tally, cancel: CancelToken) -> Work[None]:
    if update is None:
        call = Call("PUT", gsp_url(endpoint, graph), NTRIPLES, body, "upload of the project graph")
        tally.count((yield from send(call, policy, cancel)))
        return
    staging = _staging(graph)
    call = Call("PUT", gsp_url(endpoint, staging), NTRIPLES, body, "upload of the project graph")
    try:
        tally.count((yield from send(call, policy, cancel)))
        tally.count((yield from send(_swap(update, staging, graph), policy, cancel)))
    except Exception:  # a failure or a cancel (not Ctrl-C twice, not close())
        _drop_quietly(update, staging, policy)
        raise


def push(
    project: Project,
    endpoint: str | None = None,
    *,
    graph_iri: str | None = None,
    update_endpoint: str | None = None,
    auth: tuple[str, str] | None = None,
    retries: int = 3,
    timeout: float = 30.0,
    backoff: float = 0.5,
    chunk_bytes: int = UPDATE_CHUNK_BYTES,
    cancel: CancelToken = NEVER,
) -> Work[PushReport]:
    """Replace the project's graph in a shared store with the project's current RDF.

    `endpoint` is a SPARQL 1.1 Graph Store Protocol URL, `update_endpoint` a SPARQL 1.1 Update
    URL; give either or both (see the module doc). `graph_iri` defaults to
    `project_graph_iri`. Raises PushError (one line: what, where, HTTP status, the endpoint's
    message) and `Cancelled`."""
    started = time.perf_counter()
    if endpoint is None and update_endpoint is None:
        raise PushError("give a Graph Store endpoint, an update endpoint, or both")
    if endpoint is not None:
        check_url(endpoint, "the Graph Store endpoint")
    if update_endpoint is not None:
        check_url(update_endpoint, "the update endpoint")
    if retries < 0 or timeout <= 0 or chunk_bytes < 1024:
        raise ValueError("retries must be >= 0, timeout > 0 and chunk_bytes >= 1024")
    graph = _check_iri(graph_iri if graph_iri is not None else project_graph_iri(project))
    policy = Policy(retries=retries, timeout=timeout, backoff=backoff, auth=auth)
    snap, base = snapshot(project), project_base(project)
    tally = _Tally()
    with tempfile.TemporaryFile(prefix="skein-push-") as body:
        flat = yield from write_ntriples(snap, base, body, cancel=cancel)
        method, target = "update", update_endpoint
        if endpoint is not None:
            try:
                yield from _via_store(endpoint, update_endpoint, graph, body, policy, tally, cancel)
                method = "graph-store" if update_endpoint is None else "graph-store+update"
                target = endpoint
            except PushError as e:
                if update_endpoint is None or e.status not in FALL_BACK_ON:
                    raise
                tally.requests += 1  # the refused PUT
                endpoint = None
        if endpoint is None and update_endpoint is not None:
            yield from _via_update(update_endpoint, graph, body, flat.bytes, chunk_bytes, policy,
                                   tally, cancel)
    yield Progress(1, 1, f"pushed {flat.triples:,} triples", "push")
    return PushReport(
        endpoint=target or "",
        graph=graph,
        method=method,
        triples=flat.triples,
        bytes=flat.bytes,
        requests=tally.requests,
        retries=tally.retries,
        seconds=time.perf_counter() - started,
    )
