"""The headless build: real files, a real project file, the rule-based baseline."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg.pipeline import build
from kg.store import Project
from kg.store.reads import documents, snapshot
from nlp.progress import Cancelled, CancelToken, Progress, run

NOTE = (
    "Senator Maria Alvarez of New Mexico met officials of the Federal Trade Commission in "
    "Chicago.\n\nDr. Helen Park works for the National Cancer Institute in Baltimore, Maryland."
)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    (folder / "nested" / "deeper").mkdir(parents=True)
    (folder / "a.txt").write_text(NOTE, encoding="utf-8")
    (folder / "nested" / "b.md").write_text("# Brief\n\n" + NOTE.replace("Park", "Kim"))
    (folder / "nested" / "deeper" / "c.txt").write_bytes(("\ufeff" + NOTE).encode("utf-16-le"))
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "nested" / "empty.txt").write_bytes(b"")  # same bytes as empty.pdf
    (folder / "junk.docx").write_bytes(os.urandom(2048))
    return folder


def test_build_stores_documents_mentions_entities_and_failures(
    corpus: Path, tmp_path: Path
) -> None:
    with Project.create(tmp_path / "p.skein") as project:
        steps: list[Progress] = []
        report = run(build([corpus], project, extractor="rules"), steps.append)
        assert len(report.added) == 3
        assert {Path(p).name for p, _ in report.failed} == {"empty.pdf", "empty.txt", "junk.docx"}
        assert any("empty file" in reason for _, reason in report.failed)
        assert report.model == "rule-baseline@0.1"
        assert steps[-1].done == steps[-1].total == 6

        docs = {Path(d.source).name: d for d in documents(project)}
        assert docs["a.txt"].status == "extracted"
        assert docs["empty.pdf"].status == "failed"
        assert docs["empty.pdf"].error is not None and "empty.pdf" in docs["empty.pdf"].error
        assert docs["empty.txt"].status == "failed"  # its own row, though the bytes are equal
        assert docs["empty.txt"].error is not None and "empty.txt" in docs["empty.txt"].error

        snap = snapshot(project)
        names = {(e.label, e.name) for e in snap.entities}
        assert ("ORG", "Federal Trade Commission") in names
        # one entity per real thing: the commission appears in three documents
        ftc = [e for e in snap.entities if e.name == "Federal Trade Commission"]
        assert len(ftc) == 1
        texts = {d.id: project.query("SELECT text FROM documents WHERE id = ?", (d.id,))[0][0]
                 for d in snap.documents if d.status == "extracted"}
        for m in snap.mentions:  # provenance: offsets point at the mention in its document
            assert texts[m.document][m.start : m.end] == m.text
            assert m.model == "rule-baseline@0.1" and 0 <= m.confidence <= 1
        assert snap.relations, "the baseline finds at least one relation here"
        job = project.query("SELECT kind, status, message FROM jobs")[0]
        assert job[:2] == ("build", "done") and "3 added" in job[2]


def test_rebuild_only_does_what_changed(corpus: Path, tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.skein") as project:
        run(build([corpus], project, extractor="rules"))
        before = project.counts()
        again = run(build([corpus], project, extractor="rules"))
        assert len(again.unchanged) == 3 and not again.added
        assert project.counts()["mentions"] == before["mentions"]

        changed = corpus / "a.txt"
        changed.write_text(NOTE + "\n\nThe Department of Justice filed a brief.", encoding="utf-8")
        third = run(build([corpus], project, extractor="rules"))
        assert [Path(p).name for p in third.replaced] == ["a.txt"]
        assert len(third.unchanged) == 2
        sources = [Path(d.source).name for d in documents(project)]
        assert sources.count("a.txt") == 1  # the old version was replaced, not duplicated
        names = {e.name for e in snapshot(project).entities}
        assert "Department of Justice" in names


def test_failed_file_is_retried_once_fixed(corpus: Path, tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.skein") as project:
        run(build([corpus], project, extractor="rules"))
        (corpus / "junk.docx").unlink()
        (corpus / "empty.pdf").unlink()
        (corpus / "nested" / "empty.txt").write_text("Now it has words in Paris.")
        (corpus / "fixed.txt").write_text("Dr. Helen Park visited Boston.", encoding="utf-8")
        report = run(build([corpus], project, extractor="rules"))
        assert sorted(Path(p).name for p in report.added) == ["empty.txt", "fixed.txt"]
        statuses = {Path(d.source).name: d.status for d in documents(project)}
        assert statuses["empty.txt"] == "extracted"  # the failure row was replaced


def test_cancel_keeps_finished_documents(corpus: Path, tmp_path: Path) -> None:
    cancel = CancelToken()
    with Project.create(tmp_path / "p.skein") as project:
        work = build([corpus], project, extractor="rules", cancel=cancel)
        for step in work:
            if step.done == 2 and step.message != "scanning":
                cancel.cancel()
        extracted = [d for d in documents(project) if d.status == "extracted"]
        assert 1 <= len(extracted) < 3
        status = project.query("SELECT status FROM jobs")[0][0]
        assert status == "cancelled"
        # the next build finishes the job
        report = run(build([corpus], project, extractor="rules"))
        assert len(report.added) + len(report.unchanged) == 3


def test_cancelled_is_reported(corpus: Path, tmp_path: Path) -> None:
    cancel = CancelToken()
    cancel.cancel()
    with Project.create(tmp_path / "p.skein") as project:
        report = run(build([corpus], project, extractor="rules", cancel=cancel))
        assert report.cancelled
        assert not report.added
    with pytest.raises(Cancelled):
        cancel.check()
