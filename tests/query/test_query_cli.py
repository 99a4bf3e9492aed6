"""`skein query` and `skein search`: through `add_commands`, and as a user runs them."""

from __future__ import annotations

import argparse
import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli_query import add_commands
from kg.query.safety import QueryError

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = "SELECT ?name WHERE { ?e a skein:Person ; rdfs:label ?name } ORDER BY ?name"


def cli(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="skein")
    add_commands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return int(args.func(args))


def test_query_formats(project_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = str(project_path)
    assert cli("query", "--project", p, PEOPLE) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0] == "name" and table[2:4] == ["Helen Park", "Maria Alvarez"]
    assert cli("query", "-p", p, PEOPLE, "--format", "csv") == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows == [["name"], ["Helen Park"], ["Maria Alvarez"]]
    assert cli("query", "-p", p, PEOPLE, "--format", "json", "--limit", "1") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["rows"] == [{"name": "Helen Park"}] and data["truncated"] is True


def test_query_from_a_file_and_refusals(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rq = tmp_path / "q.rq"
    rq.write_text("ASK { ?e rdfs:label 'Chicago' }", encoding="utf-8")
    assert cli("query", "-p", str(project_path), f"@{rq}") == 0
    assert "true" in capsys.readouterr().out
    with pytest.raises(QueryError, match="SERVICE is not allowed"):
        cli("query", "-p", str(project_path), "SELECT * { SERVICE <http://x/> { ?s ?p ?o } }")
    with pytest.raises(ValueError, match="ran longer than"):
        cli("query", "-p", str(project_path), "--timeout", "0.3",
            "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")


def test_search(project_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("search", "-p", str(project_path), "park") == 0
    assert capsys.readouterr().out.startswith("Helen Park  [PER]  2 mentions")
    assert cli("search", "-p", str(project_path), "zur", "--type", "LOC", "--json") == 0
    (hit,) = json.loads(capsys.readouterr().out)
    assert hit["name"] == "Zürich" and hit["label"] == "LOC"
    assert cli("search", "-p", str(project_path), "zur", "--type", "PER", "--json") == 0
    assert json.loads(capsys.readouterr().out) == []


# Until desktop/cli.py adds these commands, its main() runs with them added this way.
_SHIM = (
    "import sys, desktop.cli as c; from desktop.cli_query import add_commands; "
    "model = c.add_model_commands; "
    "c.add_model_commands = lambda sub: (model(sub), add_commands(sub)); "
    "sys.exit(c.main(sys.argv[1:]))"
)


def _command() -> list[str]:
    if "cli_query" in (ROOT / "desktop" / "cli.py").read_text(encoding="utf-8"):
        return [sys.executable, "-m", "desktop.cli"]
    return [sys.executable, "-c", _SHIM]


def test_as_a_user_runs_them(project_path: Path) -> None:
    def skein(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*_command(), *args], capture_output=True, text=True,
                              cwd=project_path.parent, timeout=120)

    out = skein("query", "--project", "p.skein", PEOPLE, "--format", "csv")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["name", "Helen Park", "Maria Alvarez"]
    out = skein("query", "--project", "p.skein", "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert out.returncode == 1
    assert out.stderr.strip() == "skein: INSERT is not allowed: queries are read-only"
    out = skein("search", "--project", "p.skein", "maria", "--json")
    assert out.returncode == 0 and json.loads(out.stdout)[0]["name"] == "Maria Alvarez"
