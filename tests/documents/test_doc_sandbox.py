"""The sandbox worker, batches of files and folders, cancellation."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from docfactory import make_pdf

from nlp.documents import PasswordRequired, iter_paths, load_many
from nlp.documents.model import DocumentError
from nlp.documents.sandbox import Sandbox
from nlp.progress import Cancelled, CancelToken, Progress, run

Write = Callable[[str, bytes | str], str]


def worker_children(ignore: Sandbox | None = None) -> list[int]:
    """Live (not zombie) worker processes started by this test process (but `ignore`'s)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        pid = int(entry.name)
        if ignore is not None and pid == ignore.pid:
            continue
        if int(stat[1]) == os.getpid() and stat[0] != "Z" and b"nlp.documents.worker" in cmdline:
            found.append(pid)
    return found


linux_only = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")


def test_import_is_light() -> None:
    code = (
        "import sys, nlp.documents as d; d.detect_format('a.pdf', b'%PDF-1.7');"
        "print(sorted(m for m in ('pypdfium2', 'docx', 'trafilatura', 'lxml', 'charset_normalizer')"
        " if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_timeout_kills_and_restarts(write: Write) -> None:
    slow = write("slow.txt", "ab\n\n" * 1_000_000)  # about 15 s of work for the text loader
    fine = write("fine.txt", "Still here.")
    with Sandbox(timeout=1.0) as box:
        assert box.load(fine).text == "Still here."
        first = box.pid
        with pytest.raises(DocumentError, match=r"slow\.txt: timed out after 1 s$"):
            box.load(slow)
        assert box.pid is None  # killed, not left running
        assert box.load(fine).text == "Still here."
        assert box.pid not in (None, first)


def test_out_of_memory_is_reported(write: Write) -> None:
    big = write("big.txt", "ab\n\n" * 3_000_000)
    fine = write("fine.txt", "Small file.")
    with Sandbox(memory_mb=160) as box:
        with pytest.raises(DocumentError, match=r"big\.txt: ran out of memory \(limit 160 MB\)$"):
            box.load(big)
        assert box.load(fine).text == "Small file."


FAKE_WORKER = """
import json, os, signal, sys
print(json.dumps({"ready": True}), flush=True)
sys.stdin.readline()
if sys.argv[1] == "crash":
    os.kill(os.getpid(), signal.SIGSEGV)
print(sys.argv[1], flush=True)
sys.stdin.readline()
"""


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("crash", "parser crashed (signal 11)"),
        ("not-json", "the document worker sent an invalid reply"),
        ('{"ok":true,"document":{"id":1}}', "the document worker sent an invalid reply"),
    ],
)
def test_bad_worker_is_contained(write: Write, mode: str, reason: str) -> None:
    path = write("a.txt", "text")
    with Sandbox(command=[sys.executable, "-c", FAKE_WORKER, mode]) as box:
        with pytest.raises(DocumentError) as caught:
            box.load(path)
        assert caught.value.reason == reason
        assert box.pid is None


def test_worker_that_cannot_start(write: Write) -> None:
    path = write("a.txt", "text")
    box = Sandbox(command=[sys.executable, "-c", "raise SystemExit(7)"])
    with pytest.raises(DocumentError) as caught:
        box.load(path)
    assert caught.value.reason == "the document worker did not start (exit code 7)"
    assert box.pid is None


def test_size_cap_before_any_worker(write: Write) -> None:
    path = write("a.txt", "x" * 100)
    with Sandbox(max_bytes=10) as box, pytest.raises(DocumentError, match="file too large"):
        box.load(path)
    assert box.pid is None  # refused before any worker was started


def test_password_error_type_survives(sandbox: Sandbox) -> None:
    shared = (
        Path(__file__).resolve().parents[2]
        / ".."
        / "shared"
        / "data"
        / "docs"
        / "pdf"
        / "password-example.pdf"
    )
    if not shared.exists():
        pytest.skip("shared/data/docs is not here")
    with pytest.raises(PasswordRequired):
        sandbox.load(str(shared))


def make_tree(root: Path) -> None:
    files = {
        "a.txt": b"Alpha text.",
        "sub/b.md": b"# Beta\n\nBody.",
        "sub/deeper/c.pdf": make_pdf([["Gamma page."]]),
        "sub/deeper/broken.pdf": b"this is not a pdf at all",
        "sub/notes.xyz": b"unsupported suffix",
        ".hidden/d.txt": b"hidden",
        "sub/.e.txt": b"hidden too",
        "z.html": b"<html><head><title>Zed</title></head><body><p>Zeta page.</p></body></html>",
    }
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)


def test_iter_paths(tmp_path: Path) -> None:
    make_tree(tmp_path)
    if hasattr(os, "symlink"):
        os.symlink(tmp_path / "sub", tmp_path / "sub" / "deeper" / "loop")
    explicit = str(tmp_path / "sub" / "notes.xyz")
    found = iter_paths([tmp_path, explicit, tmp_path / "a.txt"])
    rel = [os.path.relpath(p, tmp_path) for p in found]
    assert rel == [
        "a.txt",
        "sub/b.md",
        "sub/deeper/broken.pdf",
        "sub/deeper/c.pdf",
        "z.html",
        "sub/notes.xyz",
    ]


def test_load_many_folder_tree(tmp_path: Path) -> None:
    make_tree(tmp_path)
    steps: list[Progress] = []
    results = run(load_many([tmp_path], timeout=30), steps.append)
    names = [Path(r.path).name for r in results]
    assert names == ["a.txt", "b.md", "broken.pdf", "c.pdf", "z.html"]
    assert [s.message for s in steps] == [*names, "z.html"]
    assert [s.done for s in steps] == [0, 1, 2, 3, 4, 5] and {s.total for s in steps} == {5}
    assert {s.stage for s in steps} == {"load"}
    broken = results[2]
    assert broken.document is None
    assert broken.error == f"{broken.path}: not a PDF (looks like plain text)"
    texts = [r.document.text for r in results if r.document is not None]
    assert texts == ["Alpha text.", "Beta\n\nBody.", "Gamma page.", "Zeta page."]


@linux_only
def test_cancel_stops_and_leaves_no_worker(tmp_path: Path, sandbox: Sandbox) -> None:
    for i in range(6):
        (tmp_path / f"f{i}.txt").write_text(f"File {i}.")
    token = CancelToken()
    work = load_many([tmp_path], cancel=token)
    seen = []
    with pytest.raises(Cancelled):
        for step in work:
            seen.append(step.message)
            if step.done == 2:
                assert worker_children(sandbox), "a worker should be running mid-batch"
                token.cancel()
    assert seen == ["f0.txt", "f1.txt", "f2.txt"]
    assert worker_children(sandbox) == []


@linux_only
def test_abandoned_batch_stops_worker(tmp_path: Path, sandbox: Sandbox) -> None:
    for i in range(3):
        (tmp_path / f"f{i}.txt").write_text(f"File {i}.")
    work = load_many([tmp_path])
    next(work)
    next(work)
    assert worker_children(sandbox)
    work.close()
    assert worker_children(sandbox) == []


def test_passwords_by_name(tmp_path: Path) -> None:
    shared = (
        Path(__file__).resolve().parents[2]
        / ".."
        / "shared"
        / "data"
        / "docs"
        / "pdf"
        / "password-example.pdf"
    )
    if not shared.exists():
        pytest.skip("shared/data/docs is not here")
    locked = run(load_many([shared], sandbox=False))
    assert locked[0].needs_password and "encrypted" in (locked[0].error or "")
    opened = run(load_many([shared], passwords={"password-example.pdf": "test"}, sandbox=False))
    assert opened[0].document is not None and opened[0].error is None
