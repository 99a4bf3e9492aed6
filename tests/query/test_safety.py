"""What a query may not do: refused before it runs, and walled off by the audit guard."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.query.safety import QueryBlocked, QueryError, check_query, decode_escapes, guard
from kg.query.sparql import run_query
from kg.query.store import QueryStore

W = "SELECT * WHERE { ?s ?p ?o }"

REFUSED = [
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }", "SERVICE"),
    ("select * where { service <http://127.0.0.1:{port}/> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * WHERE { sErViCe SILENT <http://127.0.0.1:{port}/> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * WHERE {SERVICE<http://127.0.0.1:{port}/>{?s ?p ?o}}", "SERVICE"),
    ("SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:{port}/> { ?s ?p ?o } }", "\\u escapes"),
    ("SELECT * WHERE { \\U00000053ERVICE <http://127.0.0.1:{port}/> {?s ?p ?o} }", "\\u escapes"),
    ("SELECT * WHERE { \\u005Cu0053ERVICE <http://127.0.0.1:{port}/> {?s ?p ?o} }", "\\u escapes"),
    ("SELECT * WHERE { ?s ?p \"x\\u0022 } SERVICE <http://127.0.0.1:{port}/> { ?a ?b \\u0022\" }",
     "SERVICE"),
    ("SELECT * WHERE { ?s ?p ?o } # comment\rSERVICE <http://127.0.0.1:{port}/> {}", "SERVICE"),
    ("SELECT * WHERE { ?s ?p ?o } # comment\u2028SERVICE <http://127.0.0.1:{port}/> {}",
     "SERVICE"),
    ("PREFIX ex: <urn:x#>\nSELECT * WHERE { ?s ex:a\\#b ?o . SERVICE <http://127.0.0.1:{port}/>"
     " { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * WHERE { ?s ?p 'unterminated SERVICE <http://127.0.0.1:{port}/> { ?s ?p ?o } }",
     "SERVICE"),
    ("SELECT * WHERE { ＳＥＲＶＩＣＥ <http://127.0.0.1:{port}/> { ?s ?p ?o } }", "SERVICE"),
    ("LOAD <http://127.0.0.1:{port}/data.ttl>", "LOAD"),
    ("load <file:///etc/passwd> INTO GRAPH <urn:g>", "LOAD"),
    ("SELECT * FROM <http://127.0.0.1:{port}/data.ttl> WHERE { ?s ?p ?o }", "FROM is"),
    ("SELECT * from <file:///etc/passwd> WHERE { ?s ?p ?o }", "FROM is"),
    ("SELECT * FROM NAMED <http://127.0.0.1:{port}/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
     "FROM NAMED"),
    ("SELECT * From Named <urn:g> WHERE { ?s ?p ?o }", "FROM NAMED"),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT"),
    ("insert data { <urn:a> <urn:b> <urn:c> }", "INSERT"),
    ("DELETE WHERE { ?s ?p ?o }", "DELETE"),
    ("SELECT * WHERE { ?s ?p ?o } ; DROP ALL", "DROP"),
    ("CLEAR DEFAULT", "CLEAR"),
    ("CREATE GRAPH <urn:g>", "CREATE"),
    ("COPY DEFAULT TO <urn:g>", "COPY"),
    ("MOVE DEFAULT TO <urn:g>", "MOVE"),
    ("ADD DEFAULT TO <urn:g>", "ADD"),
    ("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH"),
    ("PREFIX : <urn:x#> DeLeTe DATA { :a :b :c }", "DELETE"),
]

ALLOWED = [
    'SELECT * WHERE { ?s rdfs:label "SERVICE" }',
    "SELECT * WHERE { ?s rdfs:label 'LOAD <http://x/> ; DROP ALL' }",
    'SELECT * WHERE { ?s rdfs:label """multi\nline SERVICE <http://x/> { }""" }',
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://x/> and FROM <file:///etc/passwd>",
    "# INSERT DATA { <a> <b> <c> }\nASK { ?s ?p ?o }",
    "SELECT ?service ?from ?insert WHERE { ?service ?from ?insert }",
    "PREFIX service: <urn:s#> SELECT * WHERE { ?s service:load ?o . ?o service:from ?x }",
    "SELECT * WHERE { ?s <https://example.org/service/delete#from> ?o }",
    'SELECT * WHERE { ?s rdfs:label "\\u0053ERVICE" }',
    'SELECT * WHERE { ?s rdfs:label "caf\\u00e9"@fr }',
    'SELECT * WHERE { ?s rdfs:label ?l FILTER(?l < "a" && ?l > "0") }',
    "DESCRIBE <urn:x>",
    "CONSTRUCT WHERE { ?s ?p ?o }",
]


@pytest.fixture
def server() -> Iterator[tuple[int, list[object]]]:
    """A local TCP server that counts connections (and closes them at once)."""
    seen: list[object] = []
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.1)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, addr = listener.accept()
            except OSError:
                continue
            seen.append(addr)
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1], seen
    stop.set()
    thread.join(2)
    listener.close()


@pytest.mark.parametrize(("query", "reason"), REFUSED)
def test_refused_before_running(query: str, reason: str) -> None:
    with pytest.raises(QueryError, match=r"not allowed|only allowed") as info:
        check_query(query.replace("{port}", "9"))
    assert reason in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("query", ALLOWED)
def test_keywords_in_strings_comments_iris_and_names_are_fine(query: str) -> None:
    assert check_query(query) in ("select", "ask", "construct", "describe")


def test_messages_say_why() -> None:
    with pytest.raises(QueryError, match="SERVICE is not allowed: queries may not reach the"):
        check_query("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }")
    with pytest.raises(QueryError, match="INSERT is not allowed: queries are read-only"):
        check_query("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises(QueryError, match="expected SELECT, ASK, CONSTRUCT or DESCRIBE"):
        check_query("PREFIX x: <urn:x>")
    with pytest.raises(QueryError, match="empty"):
        check_query("  \n")


def test_escapes_are_decoded_until_none_is_left() -> None:
    assert decode_escapes("\\u005Cu0053ERVICE") == "SERVICE"
    assert decode_escapes("\\U0000D800") == "\ufffd"


def test_query_form() -> None:
    assert check_query("PREFIX a: <urn:a#>\nBASE <urn:b>\nselect * { ?s ?p ?o }") == "select"
    assert check_query("ask {}") == "ask"


@pytest.mark.parametrize("isolated", [False, True])
def test_no_socket_is_ever_opened(
    index: QueryStore, server: tuple[int, list[object]], isolated: bool
) -> None:
    port, seen = server
    for query, _ in REFUSED:
        with pytest.raises(QueryError):
            run_query(index, query.replace("{port}", str(port)), isolated=isolated, timeout=5)
    for query in ALLOWED:
        run_query(index, query, isolated=isolated, timeout=5)
    assert seen == []


def test_the_engine_itself_would_connect(
    index: QueryStore, server: tuple[int, list[object]]
) -> None:
    """Why the first wall matters: Oxigraph resolves SERVICE over HTTP."""
    port, seen = server
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"
    with pytest.raises(OSError):
        list(index.store.query(query))
    deadline = time.monotonic() + 2
    while not seen and time.monotonic() < deadline:
        time.sleep(0.02)
    assert seen


def test_audit_guard_blocks_sockets_processes_and_files_outside(
    tmp_path: Path, server: tuple[int, list[object]]
) -> None:
    port, seen = server
    inside = tmp_path / "index" / "data"
    inside.parent.mkdir()
    inside.write_text("ok")
    outside = tmp_path / "secret.txt"
    outside.write_text("no")
    with guard(inside.parent):
        with socket.socket() as sock, pytest.raises(QueryBlocked, match=r"socket\.connect blo"):
            sock.connect(("127.0.0.1", port))
        with pytest.raises(QueryBlocked, match="blocked"):
            socket.create_connection(("127.0.0.1", port), timeout=1)
        with pytest.raises(QueryBlocked, match="getaddrinfo"):
            socket.getaddrinfo("localhost", 80)
        with pytest.raises(QueryBlocked, match="blocked"):
            outside.read_text()
        with pytest.raises(QueryBlocked, match="subprocess"):
            import subprocess

            subprocess.run(["true"], check=False)
        assert inside.read_text() == "ok"
        other: list[bool] = []  # other threads are not guarded
        t = threading.Thread(target=lambda: other.append(outside.read_text() == "no"))
        t.start()
        t.join()
        assert other == [True]
    assert seen == []
    assert outside.read_text() == "no"  # the guard ends with the block
    socket.create_connection(("127.0.0.1", port), timeout=1).close()
