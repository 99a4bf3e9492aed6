"""Kill a real import (`skein build`'s pipeline) with SIGKILL many times: nothing committed
is ever lost, and the project file always reopens with a passing integrity check."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.store import Project

CHILD = r"""
import sys
from kg.pipeline import build
from kg.store import Project
from nlp.progress import Progress

project_path, folder = sys.argv[1], sys.argv[2]
path = __import__("pathlib").Path(project_path)
project = Project.open(path, backups=False) if path.exists() else Project.create(path)
work = build([folder], project, extractor="rules")
for step in work:
    # Progress(i, ...) before file i means files < i are committed.
    if step.message != "scanning" and step.done:
        print("committed-upto", step.done, flush=True)
print("finished", flush=True)
"""

WORDS = ("Senator Maria Alvarez of New Mexico met officials of the Federal Trade Commission "
         "in Chicago . Dr. Helen Park works for the National Cancer Institute in Baltimore .")


def make_corpus(folder: Path, n: int) -> list[Path]:
    rng = random.Random(7)
    folder.mkdir()
    words = WORDS.split()
    paths = []
    for i in range(n):
        body = "\n\n".join(
            " ".join(rng.choice(words) for _ in range(40)) + "." for _ in range(30)
        )
        p = folder / f"doc{i:03d}.txt"
        p.write_text(f"Report {i}\n\n{body}\n", encoding="utf-8")
        paths.append(p)
    return paths


def check_consistent(project_path: Path) -> int:
    with Project.open(project_path, backups=False) as project:
        con = project.con
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        # a document is committed whole: never without its sentences and mentions
        half = con.execute(
            "SELECT count(*) FROM documents d WHERE d.status = 'extracted' AND ("
            " NOT EXISTS (SELECT 1 FROM sentences s WHERE s.document = d.id) OR"
            " NOT EXISTS (SELECT 1 FROM mentions m WHERE m.document = d.id))"
        ).fetchone()[0]
        assert half == 0
        return int(
            con.execute("SELECT count(*) FROM documents WHERE status = 'extracted'").fetchone()[0]
        )


@pytest.mark.slow
def test_kill_during_import_loses_nothing_committed(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "docs", 150)
    project_path = tmp_path / "crash.skein"
    rng = random.Random(1234)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    kills = 0
    committed_before = 0
    for _round in range(20):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(project_path), str(corpus[0].parent)],
            stdout=subprocess.PIPE, text=True, env=env, start_new_session=True,
        )
        # wait until the child is importing, then kill it at a random moment
        deadline = time.monotonic() + 60
        seen = 0
        assert child.stdout is not None
        target = committed_before + rng.randint(1, 3)  # files already done are skipped fast
        while time.monotonic() < deadline:
            line = child.stdout.readline()
            if not line:
                break
            if line.startswith("committed-upto"):
                seen = int(line.split()[1])
                if seen >= target:
                    time.sleep(rng.uniform(0.0, 0.15))  # land somewhere inside a transaction
                    break
            if line.startswith("finished"):
                break
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            kills += 1
        child.wait(timeout=30)
        child.stdout.close()
        count = check_consistent(project_path)
        # everything the child reported committed is there, and nothing went backwards
        assert count >= committed_before
        assert count >= seen
        committed_before = max(committed_before, count)
        if count == len(corpus):
            break
    assert kills >= 15
    # a final undisturbed run completes the import from where the kills left it
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(project_path), str(corpus[0].parent)],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert "finished" in out.stdout, out.stderr
    assert check_consistent(project_path) == len(corpus)
