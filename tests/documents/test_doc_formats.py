"""Format detection, bad inputs, PDF and text loaders on generated files (in this process)."""

from __future__ import annotations

import os
import random
from collections.abc import Callable

import pytest
from docfactory import check_segments, failure, load, make_pdf, render_gray
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp.documents import SUPPORTED_SUFFIXES, DocumentError, detect_format, ocr
from nlp.documents.text import load_text

Write = Callable[[str, bytes | str], str]
JUNK = random.Random(7).randbytes(4096)


# --- detection -----------------------------------------------------------------------------


def test_detect_trusts_content_over_suffix() -> None:
    pdf = make_pdf([["x"]])
    assert detect_format("a.txt", pdf[:8192]) == "pdf"
    assert detect_format("a.html", b"Just words.") == "html"
    assert detect_format("notes", b"Just words.") == "text"
    assert detect_format("a.txt", b"<!DOCTYPE html><html><body>hi</body></html>") == "html"
    assert detect_format("a.md", b"# Title") == "markdown"
    with pytest.raises(DocumentError, match=r"not a PDF \(looks like an HTML page\)"):
        detect_format("a.pdf", b"<!doctype html><html><p>hi</p></html>")
    with pytest.raises(DocumentError, match=r"unsupported file type \(looks like a PNG image\)"):
        detect_format("a.xyz", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert {".pdf", ".docx", ".html", ".htm", ".txt", ".md"} <= SUPPORTED_SUFFIXES


def test_pdf_renamed_txt_is_read_as_pdf(write: Write) -> None:
    doc = load(write("report.txt", make_pdf([["Quarterly revenue grew."]])))
    assert doc.format == "pdf" and "Quarterly revenue grew." in doc.text


# --- bad inputs ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["empty.pdf", "empty.txt", "empty.docx", "empty.md"])
def test_empty_file(write: Write, name: str) -> None:
    assert failure(write(name, b"")) == "empty file (0 bytes)"


def test_missing_file_and_folder(tmp_path: os.PathLike[str]) -> None:
    assert failure(os.path.join(tmp_path, "nope.pdf")) == "file not found"
    assert failure(str(tmp_path)) == "is a folder, not a file"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("junk.txt", "binary data, not text"),
        ("junk.pdf", "not a PDF (looks like binary data)"),
        ("junk.docx", "not a Word document (DOCX) (looks like binary data)"),
        ("junk.bin", "unsupported file type (looks like binary data)"),
    ],
)
def test_binary_junk(write: Write, name: str, reason: str) -> None:
    assert failure(write(name, JUNK)) == reason


def test_pdf_that_is_html(write: Write) -> None:
    path = write(
        "invoice.pdf", "<!DOCTYPE html><html><head><title>x</title></head><body>Hi</body></html>"
    )
    assert failure(path) == "not a PDF (looks like an HTML page)"


def test_truncated_pdf(write: Write) -> None:
    data = make_pdf([["First page text."], ["Second page text."]])
    assert (
        failure(write("cut.pdf", data[: len(data) // 2]))
        == "damaged PDF: PDFium could not parse it"
    )


# --- PDF -----------------------------------------------------------------------------------


def test_pdf_pages_paragraphs_and_hyphenation(write: Write) -> None:
    page1 = [
        "The committee reviewed the infor-",
        "mation on Tuesday and agreed.",
        "",
        "A new paragraph.",
    ]
    doc = load(write("a.pdf", make_pdf([page1, ["Second page."]])))
    check_segments(doc)
    assert doc.pages == 2
    assert "reviewed the information on Tuesday and agreed." in doc.text
    second = doc.text.index("Second page.")
    assert doc.locate(second).page == 2
    assert doc.locate(doc.text.index("A new paragraph.")).page == 1


def test_page_and_character_caps(write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
    from nlp.documents import blocks, pdf

    pages = [[f"Page {n} says hello."] for n in range(1, 5)]
    path = write("long.pdf", make_pdf(pages))
    monkeypatch.setattr(pdf, "MAX_PAGES", 2)
    doc = load(path)
    assert doc.text == "Page 1 says hello.\n\nPage 2 says hello."
    assert doc.warnings == ("only the first 2 of 4 pages were read",)
    monkeypatch.setattr(pdf, "MAX_PAGES", 100)
    monkeypatch.setattr(blocks, "MAX_CHARS", 30)
    doc = load(path)
    assert doc.text == "Page 1 says hello."
    assert doc.warnings == (
        "stopped after page 2: more than 30 characters",
        "text cut at 30 characters (the limit)",
    )
    doc = load(write("long.txt", "First paragraph here.\n\nSecond paragraph is cut."))
    assert doc.text == "First paragraph here." and "text cut at 30" in doc.warnings[0]


def test_scanned_page_without_tesseract(write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    picture = render_gray(make_pdf([["Scanned words"]], size=(200, 60)))
    doc = load(
        write("scan.pdf", make_pdf([["Typed page."], []], size=(200, 60), images={1: picture}))
    )
    assert doc.text == "Typed page."
    assert doc.warnings == ("page 2 has no text layer; install tesseract-ocr to read it",)
    only_scan = write("scan-only.pdf", make_pdf([[]], size=(200, 60), images={0: picture}))
    assert "no text found" in failure(only_scan) and "tesseract-ocr" in failure(only_scan)


@pytest.mark.skipif(not ocr.available(), reason="tesseract-ocr is not installed")
def test_scanned_page_is_ocred(write: Write) -> None:
    source = make_pdf([["Skein scanned invoice", "Total amount 1234"]], size=(300, 100), font=18)
    picture = render_gray(source, scale=300 / 72)
    doc = load(
        write("scan.pdf", make_pdf([["Typed page."], []], size=(300, 100), images={1: picture}))
    )
    check_segments(doc)
    ocr_text = " ".join(doc.text[s.start : s.end] for s in doc.segments if s.kind == "ocr")
    assert "scanned invoice" in ocr_text and "1234" in ocr_text
    assert all(s.page == 2 for s in doc.segments if s.kind == "ocr")
    assert "page 2 has no text layer; its text was read by OCR" in doc.warnings


# --- text and Markdown ---------------------------------------------------------------------

SAMPLE = "Naïve café owners in Zürich — “quoted” text.\n\nSecond paragraph."


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_text_with_bom(write: Write, encoding: str) -> None:
    data = SAMPLE.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):
        data = "\ufeff".encode(encoding) + data
    doc = load(write("a.txt", data))
    assert doc.text == SAMPLE
    check_segments(doc)


def test_latin1_and_newlines(write: Write) -> None:
    text = "Le café était très animé; le garçon naïf a noté « à côté » déjà.\r\n\r\nDeuxième été."
    doc = load(write("fr.txt", text.encode("latin-1")))
    assert (
        doc.text
        == "Le café était très animé; le garçon naïf a noté « à côté » déjà.\n\nDeuxième été."
    )
    assert dict(doc.metadata)["encoding"] == "cp1252"
    assert [s.kind for s in doc.segments] == ["paragraph", "paragraph"]


def test_markdown_headings_lists_and_code(write: Write) -> None:
    source = (
        "# Project Skein\nIntro line one\nline two.\n\n## Goals ##\n\n"
        "- read files\n- build graphs\n\n"
        "```\ncode\n\nmore code\n```\n\nSetext title\n============\nTail."
    )
    doc = load(write("README.md", source))
    check_segments(doc)
    blocks = [(s.kind, doc.text[s.start : s.end]) for s in doc.segments]
    assert blocks == [
        ("heading", "Project Skein"),
        ("paragraph", "Intro line one\nline two."),
        ("heading", "Goals"),
        ("list", "- read files\n- build graphs"),
        ("code", "```\ncode\nmore code\n```"),
        ("heading", "Setext title"),
        ("paragraph", "Tail."),
    ]
    assert doc.title == "Project Skein" and doc.format == "markdown"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048) | st.text(max_size=500).map(lambda t: t.encode("utf-8")))
def test_text_loader_never_crashes(data: bytes) -> None:
    try:
        doc = load_text("fuzz.txt", data, None)
    except DocumentError as exc:
        assert exc.reason
        return
    check_segments(doc)
