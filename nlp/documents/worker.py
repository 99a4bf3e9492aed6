"""The sandbox worker: ``python -m nlp.documents.worker [--memory-mb N]``.

Reads one JSON request per line on stdin (``{"path", "password", "max_bytes"}``) and writes
one JSON reply per line: ``{"ok": true, "document": {...}}`` or ``{"ok": false, "reason": ...}``.
Only JSON crosses the boundary. The first line it writes is ``{"ready": true}``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import IO, Any

from nlp.documents.loading import MAX_FILE_BYTES, load_file
from nlp.documents.model import DocumentError, PasswordRequired


def limit_memory(megabytes: int) -> None:
    """Cap this process's address space (Unix); 0 means no cap."""
    if megabytes <= 0:
        return
    try:
        import resource
    except ImportError:  # not on Unix
        return
    limit = megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def handle(request: Any, memory_mb: int) -> dict[str, Any]:
    """The reply to one request (never raises, except for MemoryError)."""
    if not isinstance(request, dict) or not isinstance(request.get("path"), str):
        return {"ok": False, "reason": "bad request"}
    path: str = request["path"]
    password = request.get("password")
    max_bytes = request.get("max_bytes", MAX_FILE_BYTES)
    if not isinstance(password, str | None) or not isinstance(max_bytes, int):
        return {"ok": False, "reason": "bad request"}
    try:
        document = load_file(path, password, max_bytes=max_bytes)
    except PasswordRequired as exc:
        return {"ok": False, "reason": exc.reason, "password": True}
    except DocumentError as exc:
        return {"ok": False, "reason": exc.reason}
    return {"ok": True, "document": document.to_json()}


def _send(out: IO[str], reply: dict[str, Any]) -> None:
    out.write(json.dumps(reply) + "\n")  # ASCII: safe for any path or text
    out.flush()


def serve(memory_mb: int) -> int:
    # The replies go to a private copy of stdout; stray prints from libraries go to stderr.
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    limit_memory(memory_mb)
    _send(out, {"ready": True, "pid": os.getpid()})
    for line in sys.stdin:
        try:
            request = json.loads(line)
        except ValueError:
            _send(out, {"ok": False, "reason": "bad request"})
            continue
        try:
            _send(out, handle(request, memory_mb))
        except MemoryError:
            reply = {
                "ok": False,
                "reason": f"ran out of memory (limit {memory_mb} MB)",
                "restart": True,
            }
            _send(out, reply)
            return 3  # start afresh: the heap may be in a poor state
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlp.documents.worker")
    parser.add_argument("--memory-mb", type=int, default=2048)
    args = parser.parse_args(argv)
    return serve(args.memory_mb)


if __name__ == "__main__":
    sys.exit(main())
