"""`skein build`, `info` and `export` on the bundled samples, as a user runs them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "assets" / "samples"


def skein(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop.cli", *args],
        capture_output=True, text=True, cwd=cwd, timeout=600,
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cwd = tmp_path_factory.mktemp("cli")
    out = skein("build", str(SAMPLES), "--project", "demo.skein", cwd=cwd)
    assert out.returncode == 0, out.stderr
    assert "5 added" in out.stdout and "0 failed" in out.stdout
    return cwd


def test_info_prints_counts(demo: Path) -> None:
    out = skein("info", "--project", "demo.skein", cwd=demo)
    assert out.returncode == 0, out.stderr
    assert "field-notes.md" in out.stdout and "[extracted]" in out.stdout
    data = json.loads(skein("info", "--project", "demo.skein", "--json", cwd=demo).stdout)
    assert data["counts"]["documents"] == 5
    assert data["counts"]["mentions"] > 100 and data["counts"]["entities"] > 20


def test_second_build_is_incremental(demo: Path) -> None:
    out = skein("build", str(SAMPLES), "--project", "demo.skein", cwd=demo)
    assert "0 added" in out.stdout and "5 unchanged" in out.stdout


@pytest.mark.parametrize(
    ("fmt", "syntax"),
    [("turtle", "turtle"), ("nt", "ntriples"), ("xml", "rdfxml"), ("trig", "trig"),
     ("nquads", "nquads")],
)
def test_export_is_accepted_by_rapper(demo: Path, fmt: str, syntax: str) -> None:
    out = skein("export", "--project", "demo.skein", "--format", fmt, "--out", f"demo.{fmt}",
                cwd=demo)
    assert out.returncode == 0, out.stderr
    if shutil.which("rapper") is None:
        pytest.skip("rapper (raptor2-utils) is not installed")
    check = subprocess.run(["rapper", "-i", syntax, "-c", f"demo.{fmt}"],
                           capture_output=True, text=True, cwd=demo)
    assert check.returncode == 0, check.stderr
    assert "returned" in check.stderr and " 0 triples" not in check.stderr


def test_bad_project_gives_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "notes.skein").write_text("not a project")
    out = skein("info", "--project", "notes.skein", cwd=tmp_path)
    assert out.returncode == 1
    assert "notes.skein: not a Skein project" in out.stderr
    assert "Traceback" not in out.stderr
