"""Fixtures of the RDF/graph export tests."""

from __future__ import annotations

import shutil

import pytest
from rdf_samples import odd_snapshot

from kg.records import Snapshot


@pytest.fixture(scope="session")
def snap() -> Snapshot:
    return odd_snapshot()


@pytest.fixture(scope="session")
def rapper() -> str:
    found = shutil.which("rapper")
    if found is None:
        pytest.skip("rapper (raptor2-utils) is not installed")
    return found
