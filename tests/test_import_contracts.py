"""The core stays headless and cheap: `import nlp, kg` loads no Qt, torch or transformers."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("PySide6", "superqt", "torch", "transformers", "pykeen", "peft", "optuna", "desktop")

CORE_MODULES = [
    "nlp",
    "kg",
    "nlp.documents",
    "nlp.text",
    "nlp.extract",
    "kg.store",
    "kg.pipeline",
    "kg.rdf.formats",
    "kg.graph",
    "kg.query",
]


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_imports_nothing_heavy(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        f"heavy = [m for m in sys.modules if m.split('.')[0] in {HEAVY!r}]\n"
        "print(','.join(sorted(heavy)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "", f"importing {module} loaded {out}"


def test_the_cli_parser_needs_no_qt() -> None:
    code = (
        "import sys\n"
        "from desktop.cli import _parser\n"
        "_parser()\n"
        "print([m for m in sys.modules if m.startswith(('PySide6', 'torch'))])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "[]"


def test_import_linter_contracts_hold() -> None:
    """The layer contract (desktop -> kg -> nlp) and the no-Qt-in-core contract."""
    import shutil
    from pathlib import Path

    exe = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run([exe], capture_output=True, text=True, cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout
