"""`skein embed` and `skein links` end to end, as a user runs them."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.cli import main
from kg.embed.decisions import accepted_links
from kg.embed.storage import embeddings_root
from kg.store import Project

ROOT = Path(__file__).resolve().parents[2]


def test_embed_then_links(project_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = str(project_path)
    assert main(["embed", "-p", p, "--model", "DistMult", "--epochs", "3", "--dim", "8",
                 "--name", "small", "--seed", "5", "--json"]) == 0
    trained = json.loads(capsys.readouterr().out)
    assert trained["name"] == "small" and trained["model"] == "DistMult"
    assert set(trained["metrics"]) == {"mrr", "hits_at_1", "hits_at_3", "hits_at_10", "triples"}
    assert (embeddings_root(project_path) / "small" / "model.safetensors").is_file()

    assert main(["links", "-p", p, "--model", "small", "--top", "3", "--json"]) == 0
    links = json.loads(capsys.readouterr().out)
    assert len(links) == 3 and links[0]["model"].startswith("small:DistMult@")
    assert {"paths", "sentences", "shared_neighbours"} <= set(links[0]["evidence"])

    assert main(["links", "-p", p, "--top", "2"]) == 0  # the newest: "small"
    out = capsys.readouterr().out
    assert out.startswith("  1. ") and "\n  2. " in out and links[0]["head_name"] in out

    assert main(["links", "-p", p, "--similar", "Boston", "--top", "2"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2
    assert main(["links", "-p", p, "--duplicates", "--json"]) == 0
    assert isinstance(json.loads(capsys.readouterr().out), list)

    assert main(["links", "-p", p, "--accept", "Bill Gates", "Live_In", "Boston",
                 "--user", "ann"]) == 0
    assert "accepted: Bill Gates -Live_In-> Boston" in capsys.readouterr().out
    with Project.open(project_path, backups=False) as project:
        [link] = accepted_links(project)
    assert link.user == "ann" and link.relation == "Live_In"
    assert main(["links", "-p", p, "--model", "small"]) == 0
    assert "graph changed since 'small'" in capsys.readouterr().err  # a new fact

    assert main(["links", "-p", p, "--similar", "Nobody Atall"]) == 1
    assert "no entity named 'Nobody Atall'" in capsys.readouterr().err


def test_links_without_a_model_says_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Project.create(tmp_path / "empty.skein").close()
    assert main(["links", "-p", str(tmp_path / "empty.skein")]) == 1
    assert "no trained embeddings (run `skein embed`)" in capsys.readouterr().err
    assert main(["embed", "-p", str(tmp_path / "empty.skein"), "--epochs", "1"]) == 1
    assert "nothing to train on" in capsys.readouterr().err


@pytest.mark.slow
def test_ctrl_c_cancels_training_and_saves_nothing(project_path: Path) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "desktop.cli", "embed", "-p", str(project_path), "--name",
         "long", "--epochs", "100000", "--batch-size", "1", "--dim", "8"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 600  # imports can be slow on a busy machine
        while time.monotonic() < deadline and proc.poll() is None:
            if _job_status(project_path) == "running":
                break
            time.sleep(0.2)
        time.sleep(1.0)  # well into training
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=600)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "cancelled: no embedding was saved" in err
    assert _job_status(project_path) == "cancelled"
    assert not (embeddings_root(project_path) / "long").exists()
    assert [p.name for p in embeddings_root(project_path).iterdir()] == ["transe"]


def _job_status(path: Path) -> str | None:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = con.execute("SELECT status FROM jobs WHERE kind = 'embed' AND args LIKE"
                          " '%\"long\"%'").fetchone()
    except sqlite3.OperationalError:
        return None
    finally:
        con.close()
    return row[0] if row else None
