"""The format registry and atomic export."""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import BinaryIO

import pytest

from kg.rdf import formats
from kg.rdf.formats import FORMATS, ExportResult, Format, Written, export, format_names
from kg.records import Snapshot

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*")


def test_registry_names_suffixes_and_media_types() -> None:
    assert format_names() == ("turtle", "nt", "jsonld", "xml", "trig", "nquads", "graphml", "gexf")
    suffixes = {name: spec.suffix for name, spec in FORMATS.items()}
    assert suffixes == {
        "turtle": ".ttl",
        "nt": ".nt",
        "jsonld": ".jsonld",
        "xml": ".rdf",
        "trig": ".trig",
        "nquads": ".nq",
        "graphml": ".graphml",
        "gexf": ".gexf",
    }
    assert len({spec.media_type for spec in FORMATS.values()}) == len(FORMATS)
    assert [n for n, s in FORMATS.items() if s.keeps_graphs] == ["jsonld", "trig", "nquads"]


@pytest.mark.parametrize("name", list(FORMATS))
def test_every_writer_resolves(name: str) -> None:
    module, _, function = FORMATS[name].writer.partition(":")
    assert callable(getattr(importlib.import_module(module), function))


def test_unknown_format_lists_the_known_ones(snap: Snapshot, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown export format 'n3'; known formats: turtle, nt"):
        export(snap, "n3", tmp_path / "x.n3")
    assert list(tmp_path.iterdir()) == []


def test_export_result(snap: Snapshot, tmp_path: Path) -> None:
    out = tmp_path / "a b#c.ttl"
    result = export(snap, "turtle", out)
    assert isinstance(result, ExportResult)
    assert (result.path, result.format, result.unit) == (out, "turtle", "triples")
    assert result.bytes == out.stat().st_size > 0 and result.count > 100
    with pytest.raises(AttributeError):
        result.bytes = 0  # type: ignore[misc]


def test_export_replaces_atomically_and_leaves_no_temp(snap: Snapshot, tmp_path: Path) -> None:
    out = tmp_path / "project.nq"
    out.write_bytes(b"old")
    export(snap, "nquads", out)
    assert out.read_bytes() != b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["project.nq"]
    assert out.stat().st_mode & 0o777 == 0o644


def _failing_writer(snap: Snapshot, spec: Format, stream: BinaryIO, base: str) -> Written:
    stream.write(b"half a fi")
    raise OSError("disk full")


def test_a_failed_export_keeps_the_old_file(
    snap: Snapshot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(
        FORMATS, "broken", Format("broken", ".x", "text/plain", f"{__name__}:_failing_writer")
    )
    out = tmp_path / "project.x"
    out.write_bytes(b"old")
    with pytest.raises(OSError, match="disk full"):
        export(snap, "broken", out)
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["project.x"]


def test_a_bad_base_fails_before_writing(snap: Snapshot, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="base"):
        export(snap, "trig", tmp_path / "x.trig", base="not a base")
    assert list(tmp_path.iterdir()) == []


def test_custom_base(snap: Snapshot, tmp_path: Path) -> None:
    out = tmp_path / "x.nt"
    export(snap, "nt", out, base="https://example.org/projects/p1/")
    text = out.read_text(encoding="utf-8")
    assert "<https://example.org/projects/p1/entity/e-1>" in text
    assert "urn:skein:project:" not in text


def test_formats_module_is_cheap_to_import() -> None:
    """The CLI builds its parser from the registry: no RDF or graph library for that."""
    import subprocess
    import sys

    code = (
        "import sys, kg.rdf.formats; print(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('rdflib', 'networkx', 'pyoxigraph')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={**os.environ}
    ).stdout.strip()
    assert out == "[]"
    assert formats.__name__ == "kg.rdf.formats"
