"""What a query may do: read the project's index, nothing else.

Two walls. The first, `check_query`, runs before any engine sees the text: a small SPARQL
lexer skips string literals, IRIs, comments, variables, prefixed names and language tags,
and every remaining word is compared (NFKC, case-insensitively) with the keywords that reach
outside the index (``SERVICE``; ``LOAD`` and ``FROM``/``FROM NAMED``, which name data by IRI)
or change data (every update operation). Oxigraph resolves ``SERVICE`` over HTTP, so this wall
is the one that keeps queries off the network. ``\\u``/``\\U`` escapes outside strings and IRIs
are refused, and the text is checked a second time with every escape decoded (repeatedly, so
double-encoded escapes are decoded too): a query is refused if either reading holds a
forbidden keyword. Where the lexer is unsure (an unterminated string, an odd backslash) it
reads on as code, so doubt ends in a refusal, never in a keyword passing unseen.

The second wall, `guard`, is a `sys.addaudithook` hook (installed once per process; hooks
cannot be removed) that is active only for threads inside ``with guard(...)``: network
connections and name lookups, subprocesses and opening files outside the allowed folders
raise `QueryBlocked`. It sees what Python code does (custom functions, anything a library
does through Python); native code in the engine does not raise audit events, which is why
the first wall does not rely on it.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import threading
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any


class QueryError(ValueError):
    """A query that is refused, invalid, or failed (its message is one line for the user)."""


class QueryTimeout(QueryError):
    """The query ran past its time limit and was stopped."""


class QueryBlocked(QueryError):
    """The audit guard stopped something a query may not do."""


FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_PROLOG = {"PREFIX", "BASE", "VERSION"}
_NETWORK = "queries may not reach the network"
_DATA = "a query reads the project's index only"
_READ_ONLY = "queries are read-only"
FORBIDDEN: dict[str, str] = {
    "SERVICE": _NETWORK,
    "LOAD": "queries may not read files or the network",
    "FROM": _DATA,
    **{
        word: _READ_ONLY
        for word in (
            "INSERT", "DELETE", "CLEAR", "DROP", "CREATE", "COPY", "MOVE", "ADD", "WITH", "USING",
        )
    },
}
"""Keywords a query may not hold, with the reason given to the user."""

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r\x0b\x0c\x85\u2028\u2029]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''
      | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
      | '(?:[^'\\\n\r]|\\.)*'
      | "(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<pname>(?:[^\W\d][\w.\-]*)?:(?:[\w.:%\-]|\\[_~.\-!$&'()*+,;=/?\#@%])*)
  | (?P<word>[^\W\d_]\w*)
  | (?P<escape>\\[uU])
  | (?P<other>\\.|.)
    """,
    re.VERBOSE | re.DOTALL,
)
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def tokens(text: str) -> Iterator[tuple[str, str]]:
    """(kind, text) of each token of `text`; kinds as the groups of `_TOKEN`."""
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:  # pragma: no cover - `other` matches any character
            raise AssertionError(pos)
        kind = match.lastgroup or "other"
        if kind not in ("ws", "comment"):
            yield kind, match.group()
        pos = match.end()


def decode_escapes(text: str) -> str:
    """`text` with every ``\\uXXXX``/``\\UXXXXXXXX`` decoded until none is left (a code
    point that is not a character becomes U+FFFD)."""
    for _ in range(16):
        decoded = _UCHAR.sub(_char, text)
        if decoded == text:
            return text
        text = decoded
    raise QueryError("too many nested \\u escapes")


def _char(match: re.Match[str]) -> str:
    code = int(match.group(1) or match.group(2), 16)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return chr(code)


def _keyword(word: str) -> str:
    return unicodedata.normalize("NFKC", word).upper()


def _refuse_keywords(text: str) -> list[str]:
    """The words of `text` (read as SPARQL); raise QueryError on a forbidden one."""
    words: list[str] = []
    for kind, value in tokens(text):
        if kind == "escape":
            raise QueryError(
                "\\u escapes are only allowed inside string literals and IRIs"
            )
        if kind == "word":
            word = _keyword(value)
            if words and words[-1] == "FROM" and word == "NAMED":
                raise QueryError(f"FROM NAMED is not allowed: {_DATA}")
            if words and words[-1] == "FROM":
                raise QueryError(f"FROM is not allowed: {_DATA}")
            if word in FORBIDDEN and word != "FROM":
                raise QueryError(f"{word} is not allowed: {FORBIDDEN[word]}")
            words.append(word)
        elif words and words[-1] == "FROM":
            raise QueryError(f"FROM is not allowed: {_DATA}")
    if words and words[-1] == "FROM":
        raise QueryError(f"FROM is not allowed: {_DATA}")
    return words


def check_query(text: str) -> str:
    """Refuse what a query may not do; return its form (``select``, ``ask``, ``construct`` or
    ``describe``). Raises QueryError with a one-line reason."""
    if not text.strip():
        raise QueryError("the query is empty")
    if "\x00" in text:
        raise QueryError("the query holds a NUL character")
    words = _refuse_keywords(text)
    _refuse_keywords(decode_escapes(text))
    for word in words:
        if word in FORMS:
            return word.lower()
        if word not in _PROLOG:
            break
    raise QueryError(
        "not a query Skein runs: expected SELECT, ASK, CONSTRUCT or DESCRIBE"
        " (after PREFIX/BASE declarations)"
    )


# -- the audit guard -------------------------------------------------------------------------

_NETWORK_EVENTS = frozenset({
    "socket.connect", "socket.bind", "socket.getaddrinfo", "socket.gethostbyname",
    "socket.gethostbyaddr", "socket.sendto", "socket.sendmsg", "urllib.Request",
    "http.client.connect", "ftplib.connect", "smtplib.connect", "imaplib.open",
    "poplib.connect", "telnetlib.Telnet.open", "webbrowser.open",
})
_PROCESS_EVENTS = frozenset({
    "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.startfile",
    "os.fork", "os.forkpty", "pty.spawn",
})

_guarded: dict[int, tuple[str, ...]] = {}
"""Thread id -> the folders it may open files in, while inside `guard`."""
_state = threading.local()
_install_lock = threading.Lock()
_installed = False


def _inside(path: str, folders: tuple[str, ...]) -> bool:
    return any(path == f or path.startswith(f + os.sep) for f in folders)


_PREFIXES = tuple(
    os.path.realpath(p) for p in {sys.prefix, sys.base_prefix, sys.exec_prefix}
)
_MODULE_SUFFIXES = (".py", ".pyc", ".so", ".pyd")
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def _python_module(path: str, args: tuple[Any, ...]) -> bool:
    """Reading a module of the Python installation (a lazy import) is allowed."""
    mode = args[1] if len(args) > 1 else None
    flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
    reading = (mode is None or set(str(mode)) <= set("rbt")) and not flags & _WRITE_FLAGS
    return reading and path.endswith(_MODULE_SUFFIXES) and _inside(path, _PREFIXES)


def _hook(event: str, args: tuple[Any, ...]) -> None:
    folders = _guarded.get(threading.get_ident())
    if folders is None or getattr(_state, "busy", False):
        return
    if event in _NETWORK_EVENTS:
        raise QueryBlocked(f"{event} blocked: {_NETWORK}")
    if event in _PROCESS_EVENTS:
        raise QueryBlocked(f"{event} blocked: queries may not start programs")
    if event == "open" and args and isinstance(args[0], str | bytes | os.PathLike):
        _state.busy = True
        try:
            path = os.path.realpath(os.fsdecode(args[0]))
        finally:
            _state.busy = False
        if not _inside(path, folders) and not _python_module(path, args):
            raise QueryBlocked(f"opening {path} blocked: {_DATA}")


def install_guard() -> None:
    """Add the audit hook to this process (once; it stays, inactive outside `guard`)."""
    global _installed
    with _install_lock:
        if not _installed:
            sys.addaudithook(_hook)
            _installed = True


@contextlib.contextmanager
def guard(*allowed: str | os.PathLike[str]) -> Iterator[None]:
    """While inside, this thread may not connect, resolve names, start processes, or open
    files outside the `allowed` folders (`QueryBlocked` is raised instead)."""
    install_guard()
    ident = threading.get_ident()
    _guarded[ident] = tuple(os.path.realpath(Path(a)) for a in allowed)
    try:
        yield
    finally:
        _guarded.pop(ident, None)
