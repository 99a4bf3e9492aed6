"""Fixtures for the document tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from nlp.documents.sandbox import Sandbox


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    """One worker for many tests (restarted by the sandbox itself when needed)."""
    with Sandbox(timeout=60) as box:
        yield box


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, bytes | str], str]:
    """Write a file under tmp_path and return its path."""

    def _write(name: str, data: bytes | str) -> str:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return str(path)

    return _write
