"""A `QueryResult` as text: an aligned table, JSON, or CSV.

* ``table``: a header, a rule, one line per row, columns padded to the widest cell (by display
  width: wide East Asian characters count two); control characters are shown escaped
  (``\\n``), cells longer than `max_width` are cut with ``…``; a last line tells the row
  count, the time and whether the limit cut rows off.
* ``json``: one object, deliberately simpler than the SPARQL 1.1 JSON results format::

      {"kind": "select", "columns": ["e", "name"],
       "rows": [{"e": "urn:...", "name": "Ada"}, ...],   # every column, null when unbound
       "truncated": false, "elapsed": 0.012}

  ASK adds ``"boolean": true``; CONSTRUCT/DESCRIBE rows have subject, predicate, object.
  Values are the `QueryResult` values (IRIs and literals as strings, numbers, booleans);
  NaN and infinities, which JSON lacks, are written as the strings ``NaN``, ``INF``, ``-INF``.
* ``csv``: RFC 4180 (CRLF line ends, quotes where needed), a header of the column names,
  unbound cells empty, booleans ``true``/``false``.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import unicodedata
from typing import Any

from kg.query.sparql import QueryResult
from kg.query.values import Value

FORMATS = ("table", "json", "csv")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def cell(value: Value) -> str:
    """A value as plain text (CSV and table cells)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "INF" if value > 0 else "-INF"
        return repr(value)
    return str(value)


def _visible(text: str) -> str:
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def width(text: str) -> int:
    """Columns `text` takes in a terminal (wide characters 2, combining marks 0)."""
    total = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total


def _cut(text: str, limit: int) -> str:
    if width(text) <= limit:
        return text
    out, used = [], 0
    for ch in text:
        w = width(ch)
        if used + w > limit - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def to_table(result: QueryResult, *, max_width: int = 60) -> str:
    header = list(result.columns)
    body = [[_cut(_visible(cell(v)), max_width) for v in row] for row in result.rows]
    widths = [max([width(h)] + [width(r[i]) for r in body]) for i, h in enumerate(header)]

    def line(cells: list[str]) -> str:
        return "  ".join(c + " " * (w - width(c)) for c, w in zip(cells, widths, strict=True))

    lines = [line(header).rstrip(), "  ".join("-" * w for w in widths)]
    lines += [line(r).rstrip() for r in body]
    count = len(result.rows)
    note = f"{count} row{'s' if count != 1 else ''}"
    if result.kind in ("construct", "describe"):
        note = f"{count} triple{'s' if count != 1 else ''}"
    note += f" in {result.elapsed:.3f} s"
    if result.truncated:
        note += " (limit reached: more rows were left out)"
    lines.append(f"({note})")
    return "\n".join(lines) + "\n"


def _json_value(value: Value) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return cell(value)
    return value


def to_json(result: QueryResult) -> str:
    out: dict[str, Any] = {"kind": result.kind, "columns": list(result.columns)}
    if result.kind == "ask":
        out["boolean"] = result.boolean
    out["rows"] = [
        {c: _json_value(v) for c, v in zip(result.columns, row, strict=True)}
        for row in result.rows
    ]
    out["truncated"] = result.truncated
    out["elapsed"] = round(result.elapsed, 6)
    return json.dumps(out, ensure_ascii=False, allow_nan=False, indent=1) + "\n"


def to_csv(result: QueryResult) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow([cell(v) for v in row])
    return buffer.getvalue()


def render(result: QueryResult, fmt: str) -> str:
    """`result` in format `fmt` (one of `FORMATS`); ValueError otherwise."""
    if fmt == "table":
        return to_table(result)
    if fmt == "json":
        return to_json(result)
    if fmt == "csv":
        return to_csv(result)
    raise ValueError(f"unknown output format {fmt!r}; known: {', '.join(FORMATS)}")
