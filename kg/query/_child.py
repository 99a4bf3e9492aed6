"""The query child process (``python -m kg.query._child``), started by `kg.query.sparql`.

Reads one JSON request on stdin (index folder, query text, its kind, limit, union flag,
bindings as N-Triples terms), opens the index read-only, checks the query again, runs it under
the audit guard (only the index folder may be opened) and writes JSON lines on stdout: one
``{"header": ...}``, one ``{"row": [...]}`` per row, then ``{"truncated": bool}``; or one
``{"error": message}``. The parent kills it on time out or cancel.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import pyoxigraph as ox

from kg.query.safety import check_query, guard, install_guard
from kg.query.values import execute, take, term_from_nt


def _write(out: Any, message: dict[str, Any]) -> None:
    out.write(json.dumps(message, ensure_ascii=False).encode("utf-8", "surrogatepass") + b"\n")


def main() -> int:
    out = sys.stdout.buffer
    try:
        request = json.loads(sys.stdin.buffer.read())
        path = str(request["path"])
        text = str(request["query"])
        if check_query(text) != request["kind"]:
            raise ValueError("the query's kind changed between checks")
        bindings = {str(k): term_from_nt(str(v)) for k, v in request["bindings"].items()}
        store = ox.Store.read_only(path)
        install_guard()
        with guard(path):
            header, rows = execute(
                store, text, request["kind"], union=bool(request["union"]), bindings=bindings
            )
            _write(out, {"header": {"kind": header.kind, "columns": list(header.columns)}})
            for item in take(rows, request["limit"]):
                if isinstance(item, bool):
                    _write(out, {"truncated": item})
                else:
                    _write(out, {"row": list(item)})
    except Exception as e:
        _write(out, {"error": " ".join(str(e).split()) or type(e).__name__})
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
