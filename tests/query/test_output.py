"""Writers: an aligned table, JSON that loads, CSV that parses back."""

from __future__ import annotations

import csv
import io
import json

import pytest

from kg.query.output import render, to_csv, to_json, to_table, width
from kg.query.sparql import QueryResult, run_query
from kg.query.store import QueryStore

AWKWARD = QueryResult(
    "select",
    ("name", "n", "score", "ok", "missing"),
    (
        ('Ann "The Hammer", O\'Neil', 1, 0.5, True, None),
        ("line\nbreak\r\nand, comma", -2, float("nan"), False, None),
        ("東京", 30, float("inf"), True, "x"),
    ),
    0.01234,
    truncated=True,
)


def test_csv_parses_back_with_a_header() -> None:
    text = to_csv(AWKWARD)
    assert text.endswith("\r\n") and text.startswith("name,n,score,ok,missing\r\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == list(AWKWARD.columns)
    assert rows[1] == ['Ann "The Hammer", O\'Neil', "1", "0.5", "true", ""]
    assert rows[2] == ["line\nbreak\r\nand, comma", "-2", "NaN", "false", ""]
    assert rows[3] == ["東京", "30", "INF", "true", "x"]


def test_json_loads_as_records() -> None:
    data = json.loads(to_json(AWKWARD))
    assert data["kind"] == "select" and data["columns"] == list(AWKWARD.columns)
    assert data["truncated"] is True
    assert data["rows"][0] == {"name": 'Ann "The Hammer", O\'Neil', "n": 1, "score": 0.5,
                               "ok": True, "missing": None}
    assert data["rows"][1]["score"] == "NaN" and data["rows"][2]["score"] == "INF"


def test_table_is_aligned_and_escapes_line_breaks() -> None:
    lines = to_table(AWKWARD).splitlines()
    assert len(lines) == 2 + 3 + 1
    assert "line\\nbreak\\r\\nand, comma" in lines[3]
    column = lines[0].index(" n ") + 1  # where the second column starts on screen
    for line, value in zip(lines[2:5], ("1 ", "-2 ", "30 "), strict=True):
        assert width(line[: line.index(value)]) == column  # 東京 counts 4 columns
    assert "3 rows" in lines[-1] and "limit reached" in lines[-1]


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_every_kind_renders(index: QueryStore, fmt: str) -> None:
    for query in ("ASK { ?s ?p ?o }", "CONSTRUCT WHERE { ?s a skein:Person }",
                  "SELECT ?e WHERE { ?e a skein:Person } ORDER BY ?e"):
        result = run_query(index, query, isolated=False)
        out = render(result, fmt)
        if fmt == "json":
            assert json.loads(out)["kind"] == result.kind
        elif fmt == "csv":
            assert len(list(csv.reader(io.StringIO(out)))) == len(result.rows) + 1
        else:
            assert out.splitlines()[0].split()[0] == result.columns[0]
    with pytest.raises(ValueError, match="unknown output format"):
        render(AWKWARD, "xml")
