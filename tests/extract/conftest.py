"""Shared helpers for the extraction tests: run a backend through the registry."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from nlp.extract import Extraction, get_extractor
from nlp.text import split_sentences

Run = Callable[[str], Extraction]


@pytest.fixture(scope="session")
def run_rules() -> Run:
    """Extract with the ``rules`` backend, looked up by name as ``skein build`` does."""
    extractor = get_extractor("rules")

    def run(text: str) -> Extraction:
        return extractor.extract(text, split_sentences(text))

    return run
