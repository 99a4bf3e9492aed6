"""Every file of the shared document corpus loads with sensible text or fails clearly."""

from __future__ import annotations

from pathlib import Path

import pytest
from docfactory import SHARED_DOCS, check_segments

from nlp.documents import DocumentError, PasswordRequired, load_document
from nlp.documents.sandbox import Sandbox

# relative path -> words the text must contain (observed in the files)
EXPECTED: dict[str, list[str]] = {
    "docx/comments-rich-para.docx": ["Document text", "Some text worthy of note.", "Paragraph 7"],
    "docx/docx-tables.docx": ["Header Col 1 | Header Col 2", "Lorem ipsum | A link example", "g&t"],
    "docx/eng_spa_mult.docx": ["All human beings are born free", "Todos los seres humanos"],
    "docx/handbook-1p.docx": ["CHAPTER 1", "The United States Trustee appoints and supervises"],
    "html/other/example-10k-1p.html": ["Galaxy Gaming, Inc.", "Commission file number"],
    "html/readability/bbc-1/source.html": ["President Barack Obama", "gun"],
    "html/readability/bbc-1/expected.html": ["President Barack Obama", "gun"],
    "html/readability/nytimes-1/source.html": ["Sudan", "Obama administration"],
    "html/readability/nytimes-1/expected.html": ["Sudan", "Obama administration"],
    "html/readability/qq/source.html": ["DeepMind", "人工智能"],
    "html/readability/qq/expected.html": ["DeepMind", "人工智能"],
    "html/readability/wikipedia/source.html": ["Mozilla is a free-software community", "Netscape"],
    "html/readability/wikipedia/expected.html": [
        "Mozilla is a free-software community",
        "Netscape",
    ],
    "pdf/WARN-Report-for-7-1-2015-to-03-25-2016.pdf": [
        "Layoff Permanent",
        "Southern California Edison",
    ],
    "pdf/federal-register-2020-17221.pdf": [
        "Federal Aviation Administration",
        "Airworthiness Directives",
    ],
    "pdf/malformed-from-issue-932.pdf": ["2021"],
    # "ef-\nficient" across a line end comes out as one word
    "pdf/multi-column.pdf": ["Dense Passage Retrieval", "relies on efficient passage retrieval"],
    "pdf/multilang.pdf": ["Hello World", "Привет, мир", "你好世界", "こんにちは世界"],
    "pdf/pdf-with-ocr-text.pdf": ["Foundation", "Sugar"],
    "pdf/scotus-transcript-p1.pdf": ["SUPREME COURT OF THE UNITED STATES", "KNOWLES"],
    "pdf/senate-expenditures.pdf": ["CITIBANK", "AIRFARE FOR"],
}
PAGES = {
    "pdf/WARN-Report-for-7-1-2015-to-03-25-2016.pdf": 16,
    "pdf/federal-register-2020-17221.pdf": 15,
    "pdf/multi-column.pdf": 13,
    "pdf/multilang.pdf": 1,
    "pdf/scotus-transcript-p1.pdf": 1,
}
FAILS = {"pdf/empty.pdf": "empty file (0 bytes)", "pdf/password-example.pdf": "encrypted"}


def _corpus() -> list[str]:
    if not SHARED_DOCS.is_dir():
        return []
    return sorted(str(p.relative_to(SHARED_DOCS)) for p in SHARED_DOCS.rglob("*") if p.is_file())


needs_corpus = pytest.mark.skipif(not SHARED_DOCS.is_dir(), reason="shared/data/docs is not here")


@needs_corpus
def test_corpus_is_covered() -> None:
    """Every file here has an expectation (a new file must be looked at, not skipped)."""
    unknown = [
        f for f in _corpus() if f not in EXPECTED and f not in FAILS and not f.endswith(".json")
    ]
    assert unknown == []


@needs_corpus
@pytest.mark.parametrize("name", _corpus() or ["(no corpus)"])
def test_corpus_file(name: str, sandbox: Sandbox) -> None:
    path = str(SHARED_DOCS / name)
    if name in FAILS:
        with pytest.raises(DocumentError) as caught:
            sandbox.load(path)
        assert str(caught.value).startswith(f"{path}: ")
        assert FAILS[name] in caught.value.reason
        return
    doc = sandbox.load(path)
    check_segments(doc)
    assert doc.source == path
    assert doc.title
    if name.endswith(".json"):
        assert doc.format == "text" and '"title"' in doc.text
        return
    assert doc.format == Path(name).suffix.lstrip(".")
    assert len(doc.text) > (5 if "malformed" in name else 100)
    for words in EXPECTED[name]:
        assert words in doc.text, f"{words!r} not in {name}"
    hit = doc.text.index(EXPECTED[name][0])
    assert doc.locate(hit) is not None
    if name in PAGES:
        assert doc.pages == PAGES[name]
        assert dict(doc.metadata)["pages"] == str(PAGES[name])
    if doc.format == "pdf":
        assert all(s.page is not None and 1 <= s.page <= doc.pages for s in doc.segments)


@needs_corpus
def test_encrypted_pdf_with_password() -> None:
    path = str(SHARED_DOCS / "pdf/password-example.pdf")
    with pytest.raises(PasswordRequired, match="a password is required"):
        load_document(path)
    with pytest.raises(PasswordRequired, match="wrong password"):
        load_document(path, password="nope", sandbox=False)
    doc = load_document(path, password="test")
    check_segments(doc)
    assert "Backup4all" in doc.text and doc.pages == 4
    assert doc.title.startswith("Backup4all")
    assert any(s.kind == "list" for s in doc.segments)


@needs_corpus
def test_docx_tables_kinds() -> None:
    doc = load_document(SHARED_DOCS / "docx/docx-tables.docx", sandbox=False)
    tables = [doc.text[s.start : s.end] for s in doc.segments if s.kind == "table"]
    assert len(tables) == 3
    assert tables[1].splitlines()[1] == "d | e | f / g&t | h | i"  # nested table inline
    assert tables[2].splitlines() == ["a | b", "c | d", "e"]  # merged cells once


@needs_corpus
def test_html_drops_boilerplate() -> None:
    doc = load_document(SHARED_DOCS / "html/readability/wikipedia/source.html", sandbox=False)
    assert doc.title == "Mozilla"
    assert "Navigation menu" not in doc.text and "Privacy policy" not in doc.text
    assert any(s.kind == "heading" for s in doc.segments)
