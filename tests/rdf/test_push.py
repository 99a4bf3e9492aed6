"""Pushing a project to a real Oxigraph server (started here on 127.0.0.1), and the HTTP
behaviour around it: retries, no retries on 4xx, clear errors, cancel."""

from __future__ import annotations

import contextlib
import http.server
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from desktop.cli import main as cli_main
from kg.pipeline import build
from kg.query.store import project_base
from kg.rdf.formats import export
from kg.rdf.push import PushError, PushReport, project_graph_iri, push
from kg.store import Project
from kg.store.reads import snapshot
from nlp.progress import Cancelled, CancelToken, run

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*")

DOCS = {
    "a.txt": "Senator Maria Alvarez of New Mexico met officials of the Federal Trade Commission "
             "in Chicago.\n\nDr. Helen Park works for the National Cancer Institute in "
             "Baltimore, Maryland.",
    "b.txt": "Dr. Helen Park met Senator Maria Alvarez in Chicago.\n\nThe Federal Trade "
             "Commission is based in Washington. José Núñez works for Acme \"Inc.\" in Zürich.",
}
EXTRA = {"c.txt": "Dr. Rosa Quintero works for the Geological Survey in Denver, Colorado."}


def oxigraph_binary() -> str | None:
    found = shutil.which("oxigraph")
    beside = Path(sys.executable).parent / "oxigraph"
    return found or (str(beside) if beside.exists() else None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_oxigraph(location: Path, port: int) -> subprocess.Popen[bytes]:
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
    return subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def wait_ready(url: str, seconds: float = 20.0) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=0.5):
            return
        time.sleep(0.05)
    raise RuntimeError(f"the test server at {url} did not start")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def oxigraph(tmp_path: Path) -> Iterator[str]:
    """A fresh Oxigraph server; yields its base URL."""
    port = free_port()
    process = start_oxigraph(tmp_path / "store", port)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_ready(base + "/")
        yield base
    finally:
        stop(process)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("push")
    (folder / "docs").mkdir()
    for name, text in DOCS.items():
        (folder / "docs" / name).write_text(text, encoding="utf-8")
    with Project.create(folder / "p.skein") as project:
        run(build([folder / "docs"], project, extractor="rules"))
    return folder / "p.skein"


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Iterator[Project]:
    shutil.copyfile(built, tmp_path / "p.skein")
    with Project.open(tmp_path / "p.skein", backups=False) as p:
        yield p


def remote_graph(base: str, graph: str) -> Graph:
    """The store's graph, read back over the Graph Store Protocol (empty when it is absent)."""
    url = base + "/store?" + urllib.parse.urlencode({"graph": graph})
    request = urllib.request.Request(url, headers={"Accept": "application/n-triples"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Graph().parse(data=response.read(), format="nt")
    except urllib.error.HTTPError as e:
        if e.code != 404:
            raise
        return Graph()


def select(base: str, query: str) -> list[dict[str, Any]]:
    request = urllib.request.Request(
        base + "/query", data=query.encode("utf-8"),
        headers={"Content-Type": "application/sparql-query",
                 "Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        bindings: list[dict[str, Any]] = json.loads(response.read())["results"]["bindings"]
        return bindings


def store_graphs(base: str) -> dict[str, int]:
    """Every named graph of the store with its triple count."""
    rows = select(base, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {r["g"]["value"]: int(r["n"]["value"]) for r in rows}


def local_graph(project: Project, tmp_path: Path) -> Graph:
    out = export(snapshot(project), "nt", tmp_path / "local.nt", base=project_base(project))
    return Graph().parse(out.path, format="nt")


def assert_pushed(base: str, project: Project, tmp_path: Path, report: PushReport) -> None:
    """The store holds exactly the project's local export, in the project's graph alone."""
    local = local_graph(project, tmp_path)
    remote = remote_graph(base, report.graph)
    assert report.graph == project_graph_iri(project) == project_base(project) + "graph"
    assert store_graphs(base) == {report.graph: len(local)} and report.triples == len(local)
    assert set(remote) == set(local) and isomorphic(remote, local)


@pytest.mark.parametrize("mode", ["graph-store", "graph-store+update", "update"])
def test_push_matches_the_local_export_and_twice_changes_nothing(
        oxigraph: str, project: Project, tmp_path: Path, mode: str) -> None:
    kwargs: dict[str, Any] = {
        "graph-store": {"endpoint": oxigraph + "/store"},
        "graph-store+update": {"endpoint": oxigraph + "/store",
                               "update_endpoint": oxigraph + "/update"},
        "update": {"update_endpoint": oxigraph + "/update"},
    }[mode]
    report = run(push(project, **kwargs))
    assert report.method == mode and report.retries == 0
    assert report.requests == {"graph-store": 1, "graph-store+update": 2, "update": 1}[mode]
    assert_pushed(oxigraph, project, tmp_path, report)
    first = set(remote_graph(oxigraph, report.graph))
    again = run(push(project, **kwargs))
    assert again.triples == report.triples and again.graph == report.graph
    assert set(remote_graph(oxigraph, report.graph)) == first
    assert store_graphs(oxigraph) == {report.graph: len(first)}
    with Project.create(tmp_path / "empty.skein") as empty:  # a push replaces, never adds
        assert run(push(empty, graph_iri=report.graph, **kwargs)).triples == 0
    assert len(remote_graph(oxigraph, report.graph)) == 0 and store_graphs(oxigraph) == {}


def test_provenance_survives_the_flattening(oxigraph: str, project: Project) -> None:
    report = run(push(project, oxigraph + "/store"))
    rows = select(oxigraph, f"""
        PREFIX skein: <https://skein.dev/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?s ?p ?o ?docgraph ?doc ?conf WHERE {{ GRAPH <{report.graph}> {{
            ?s ?p ?o .
            ?a rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; skein:assertedIn ?docgraph ;
               skein:inDocument ?doc ; skein:confidence ?conf ; prov:wasGeneratedBy ?act .
            ?docgraph a skein:DocumentGraph ; prov:wasDerivedFrom ?doc .
        }} }}""")
    facts = {(r["s"]["value"], r["p"]["value"], r["o"]["value"]) for r in rows}
    relations = [r for r in snapshot(project).relations if r.status != "rejected"]
    assert facts and len(facts) <= len(relations)
    assert all(r["doc"]["value"].startswith(project_base(project) + "document/") for r in rows)


def test_a_new_document_updates_the_pushed_graph(oxigraph: str, project: Project,
                                                 tmp_path: Path) -> None:
    before = run(push(project, oxigraph + "/store"))
    (tmp_path / "more").mkdir()
    for name, text in EXTRA.items():
        (tmp_path / "more" / name).write_text(text, encoding="utf-8")
    run(build([tmp_path / "more"], project, extractor="rules"))
    after = run(push(project, oxigraph + "/store"))
    assert after.triples > before.triples
    assert_pushed(oxigraph, project, tmp_path, after)
    names = {str(o) for o in remote_graph(oxigraph, after.graph).objects()}
    assert "Rosa Quintero" in names


def test_chunked_updates_and_the_fall_back_from_a_missing_graph_store(
        oxigraph: str, project: Project, tmp_path: Path) -> None:
    report = run(push(project, oxigraph + "/no-graph-store", update_endpoint=oxigraph + "/update",
                      chunk_bytes=8192))
    assert report.method == "update" and report.endpoint == oxigraph + "/update"
    chunks = -(-report.bytes // 8192)  # at least: whole lines up to 8 KiB each
    assert report.requests >= 1 + chunks + 1 > 10  # the refused PUT, the chunks, the swap
    assert_pushed(oxigraph, project, tmp_path, report)  # no staging graph left behind


def test_graph_option_and_a_404_is_a_clear_error(oxigraph: str, project: Project) -> None:
    report = run(push(project, oxigraph + "/store", graph_iri="http://example.org/kg/ä"))
    assert store_graphs(oxigraph) == {"http://example.org/kg/ä": report.triples}
    with pytest.raises(PushError) as caught:
        run(push(project, oxigraph + "/nothing-here"))
    message = str(caught.value)
    assert caught.value.status == 404 and "HTTP 404" in message and oxigraph in message
    assert "not supported by this server" in message  # what the endpoint said
    assert "after" not in message  # no retries on a 4xx
    with pytest.raises(PushError, match="absolute IRI"):
        run(push(project, oxigraph + "/store", graph_iri="no iri"))
    with pytest.raises(PushError, match="must not hold credentials"):
        run(push(project, "http://user:secret@127.0.0.1:1/store"))


def test_retries_until_the_server_is_up(project: Project, tmp_path: Path) -> None:
    port = free_port()
    started: list[subprocess.Popen[bytes]] = []
    timer = threading.Timer(0.6, lambda: started.append(start_oxigraph(tmp_path / "s", port)))
    timer.start()
    try:
        base = f"http://127.0.0.1:{port}"
        report = run(push(project, base + "/store", retries=8, backoff=0.2))
        assert report.retries >= 1 and report.requests == 1
        assert store_graphs(base) == {report.graph: report.triples}
    finally:
        timer.join()
        for process in started:
            stop(process)


class _Script(http.server.BaseHTTPRequestHandler):
    """Answers each request with the next status of the server's script."""

    def do_PUT(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        server: Any = self.server
        server.seen.append((self.command, self.path, self.headers.get("Authorization"), body))
        status = server.script.pop(0) if server.script else 204
        if status == 0:  # the body is taken, the answer is slow
            time.sleep(1.0)
            status = 204
        answer = f"scripted {status}".encode()
        with contextlib.suppress(ConnectionError):  # a client that gave up waiting
            self.send_response(status)
            if status == 503:
                self.send_header("Retry-After", "0")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

    do_POST = do_PUT

    def log_message(self, *args: Any) -> None:
        pass


@contextlib.contextmanager
def scripted(*statuses: int) -> Iterator[tuple[str, Any]]:
    server: Any = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Script)
    server.script, server.seen = list(statuses), []
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/store", server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_5xx_is_retried_4xx_is_not_and_credentials_stay_secret(project: Project) -> None:
    with scripted(503, 500) as (url, server):
        report = run(push(project, url, retries=3, backoff=0.01, auth=("ann", "s3cret")))
    assert report.retries == 2 and len(server.seen) == 3
    assert {auth for _, _, auth, _ in server.seen} == {"Basic YW5uOnMzY3JldA=="}
    with scripted(400) as (url, server), pytest.raises(PushError) as caught:
        run(push(project, url, retries=3, backoff=0.01, auth=("ann", "s3cret")))
    assert len(server.seen) == 1 and "HTTP 400" in str(caught.value)
    assert "scripted 400" in str(caught.value) and "s3cret" not in str(caught.value)
    with scripted(503, 503, 503) as (url, server), pytest.raises(PushError) as caught:
        run(push(project, url, retries=2, backoff=0.01))
    assert len(server.seen) == 3 and "after 3 attempts" in str(caught.value)
    assert "HTTP 503" in str(caught.value)


def test_no_resend_when_everything_was_sent_but_no_answer_came(project: Project) -> None:
    with scripted(0) as (url, server), pytest.raises(PushError) as caught:
        run(push(project, url, retries=3, backoff=0.01, timeout=0.3))
    assert len(server.seen) == 1 and "no answer within 0.3 s of sending" in str(caught.value)


def test_a_failed_swap_drops_the_staging_graph(project: Project) -> None:
    with scripted(204, 400) as (url, server), pytest.raises(PushError) as caught:
        run(push(project, url, update_endpoint=url.replace("/store", "/update")))
    (put, put_path, _, _), (_, _, _, swap), (_, _, _, drop) = server.seen
    staging = urllib.parse.parse_qs(urllib.parse.urlsplit(put_path).query)["graph"][0]
    assert put == "PUT" and staging.startswith(project_graph_iri(project) + "-staging-")
    assert f"MOVE SILENT GRAPH <{staging}>" in swap.decode()
    assert drop.decode() == f"DROP SILENT GRAPH <{staging}>"
    assert "swap of the pushed graph" in str(caught.value) and "HTTP 400" in str(caught.value)


def test_cancel_stops_the_waiting_between_retries(project: Project) -> None:
    cancel = CancelToken()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        for step in push(project, f"http://127.0.0.1:{free_port()}/store", retries=5,
                         backoff=30.0, cancel=cancel):
            if step.message.startswith("retrying"):
                cancel.cancel()
    assert time.monotonic() - started < 20.0  # not the 30 s of the backoff


def test_cli_push(oxigraph: str, built: Path, capsys: pytest.CaptureFixture[str],
                  monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli_main(["push", "-p", str(built), "--endpoint", oxigraph + "/store",
                     "--update-endpoint", oxigraph + "/update"]) == 0
    out = capsys.readouterr().out
    assert "pushed" in out and "graph-store+update" in out
    assert cli_main(["push", "-p", str(built), "--endpoint", oxigraph + "/nope"]) == 1
    err = capsys.readouterr().err
    assert "skein: " in err and "HTTP 404" in err and "Traceback" not in err
    assert cli_main(["push", "-p", str(built), "--endpoint", oxigraph + "/store",
                     "--user", "ann"]) == 1
    assert "--password-env" in capsys.readouterr().err
    monkeypatch.setenv("SKEIN_TEST_PASSWORD", "pw")
    assert cli_main(["push", "-p", str(built), "--endpoint", oxigraph + "/store",
                     "--user", "ann", "--password-env", "SKEIN_TEST_PASSWORD"]) == 0
    assert cli_main(["push", "-p", str(built)]) == 2
