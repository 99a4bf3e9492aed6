"""Loading in this process: read the file (bounded), detect the format, run its loader.

The sandbox worker calls `load_file`; so does `load_document(..., sandbox=False)`.
"""

from __future__ import annotations

import stat
from pathlib import Path

from nlp.documents import registry
from nlp.documents.model import Document, DocumentError
from nlp.documents.sniff import HEAD_BYTES

MAX_FILE_BYTES = 200 * 1024 * 1024
"""Larger files are refused before they are read."""


def _mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MB" if n >= 2**20 else f"{n:,} bytes"


def check_file(path: str, max_bytes: int = MAX_FILE_BYTES) -> int:
    """The size of a readable regular file within the limit; else DocumentError."""
    try:
        info = Path(path).stat()
    except FileNotFoundError:
        raise DocumentError(path, "file not found") from None
    except PermissionError:
        raise DocumentError(path, "permission denied") from None
    except OSError as exc:
        raise DocumentError(path, f"cannot read the file ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise DocumentError(path, "is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise DocumentError(path, "not a regular file")
    if info.st_size == 0:
        raise DocumentError(path, "empty file (0 bytes)")
    if info.st_size > max_bytes:
        raise DocumentError(
            path, f"file too large ({_mb(info.st_size)}; the limit is {_mb(max_bytes)})"
        )
    return info.st_size


def read_file(path: str, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of `path`, refusing empty, special and oversized files."""
    size = check_file(path, max_bytes)
    try:
        with open(path, "rb") as handle:
            data = handle.read(min(size, max_bytes) + 1)  # read(n) reserves n bytes up front
    except OSError as exc:
        raise DocumentError(path, f"cannot read the file ({exc.strerror or exc})") from None
    if not data:
        raise DocumentError(path, "empty file (0 bytes)")
    if len(data) > size:
        raise DocumentError(path, "the file changed while it was read")
    return data


def load_file(
    path: str, password: str | None = None, *, max_bytes: int = MAX_FILE_BYTES
) -> Document:
    """Load one file here (no sandbox). Every failure is a DocumentError naming the file."""
    data = read_file(path, max_bytes)
    fmt = registry.get(registry.detect_format(path, data[:HEAD_BYTES]))
    try:
        return fmt.load(path, data, password)
    except (DocumentError, MemoryError):
        raise
    except RecursionError:
        raise DocumentError(path, f"this {fmt.label} is nested too deeply to read") from None
    except Exception as exc:  # a parser bug or a file no parser expected
        detail = str(exc).strip() or type(exc).__name__
        raise DocumentError(path, f"could not read this {fmt.label} ({detail[:200]})") from exc
