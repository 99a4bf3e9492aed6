"""DOCX and HTML loaders on generated files, hostile ones included (in this process)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import docx
import pytest
from docfactory import check_segments, failure, load, rezip

from nlp.documents import safezip

Write = Callable[[str, bytes | str], str]


# --- DOCX ----------------------------------------------------------------------------------


def make_docx() -> bytes:
    document = docx.Document()
    document.core_properties.title = "Quarterly Review"
    document.add_heading("Overview", level=1)
    document.add_paragraph("Revenue grew in every region.")
    document.add_paragraph("First point", style="List Bullet")
    table = document.add_table(rows=3, cols=3)
    for r in range(3):
        for c in range(3):
            table.cell(r, c).text = f"r{r}c{c}"
    table.cell(0, 0).merge(table.cell(0, 1)).text = "wide"
    table.cell(1, 2).merge(table.cell(2, 2)).text = "tall"
    inner = table.cell(2, 0).add_table(rows=1, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "in1", "in2"
    document.add_heading("Outlook", level=2)
    document.add_paragraph("Stable.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_structure(write: Write) -> None:
    doc = load(write("review.docx", make_docx()))
    check_segments(doc)
    blocks = [(s.kind, doc.text[s.start : s.end]) for s in doc.segments]
    assert blocks == [
        ("heading", "Overview"),
        ("paragraph", "Revenue grew in every region."),
        ("list", "First point"),
        ("table", "wide | r0c2\nr1c0 | r1c1 | tall\nr2c0 in1 | in2 | r2c1"),
        ("heading", "Outlook"),
        ("paragraph", "Stable."),
    ]
    assert doc.title == "Quarterly Review"
    assert doc.locate(doc.text.index("tall")).kind == "table"


def test_docx_title_from_heading(write: Write) -> None:
    data = rezip(
        make_docx(),
        {
            "docProps/core.xml": b'<?xml version="1.0"?><cp:coreProperties xmlns:cp='
            b'"http://schemas.openxmlformats.org/package/2006/metadata/core-properties"/>'
        },
    )
    assert load(write("r.docx", data)).title == "Overview"


def test_docx_zip_bomb(write: Write) -> None:
    bomb = rezip(make_docx(), {"word/media/image1.png": b"\0" * (20 * 2**20)}, level=9)
    assert len(bomb) < 200_000
    reason = failure(write("bomb.docx", bomb))
    assert reason.startswith("unsafe Word document: entry word/media/image1.png expands")
    assert "zip bomb" in reason


def test_docx_total_size_cap(write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safezip, "MAX_TOTAL_BYTES", 10_000)
    assert "uncompressed size over" in failure(write("big.docx", make_docx()))


def test_docx_billion_laughs(write: Write) -> None:
    laughs = (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"
    )
    reason = failure(write("lol.docx", rezip(make_docx(), {"word/document.xml": laughs})))
    assert reason.startswith("unsafe Word document: word/document.xml declares a DTD")
    wide = laughs.decode().replace(
        '<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>'
    )
    reason = failure(
        write("lol16.docx", rezip(make_docx(), {"word/styles.xml": wide.encode("utf-16-le")}))
    )
    assert "word/styles.xml declares a DTD" in reason


def test_docx_path_traversal(write: Write) -> None:
    evil = rezip(make_docx(), {"../../evil.sh": b"echo owned"})
    assert (
        failure(write("evil.docx", evil))
        == "unsafe Word document: unsafe entry name '../../evil.sh' (absolute path or '..')"
    )


def test_docx_without_document_part(write: Write) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/readme.txt", "not a document")
    assert failure(write("hollow.docx", out.getvalue())).startswith("not a readable Word document")


# --- HTML ----------------------------------------------------------------------------------


def test_html_no_entities(write: Write) -> None:
    page = (
        '<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><html><head><title>Tiny</title>'
        "</head><body><div>Only a line &xxe; here</div><script>var x = 1;</script></body></html>"
    )
    doc = load(write("tiny.html", page))
    assert "root:" not in doc.text and "var x" not in doc.text
    assert doc.text == "Only a line &xxe; here" and doc.title == "Tiny"


def test_html_fallback_when_no_main_content(write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: None)
    page = "<html><body><nav>Home</nav><p>First<br>line</p><style>p {}</style><p>Second</p></body>"
    doc = load(write("page.html", page))
    assert doc.text == "Home\n\nFirst\n\nline\n\nSecond"
    assert doc.warnings == ("no main content found; the whole page text was used",)
    assert failure(write("blank.html", "  \n ")) == "no text found"


def test_html_main_content(write: Write) -> None:
    body = "".join(
        f"<p>Paragraph {i} explains the merger of Acme and Globex in some detail.</p>"
        for i in range(8)
    )
    page = (
        "<html><head><title>Merger news</title></head><body>"
        f"<nav><a href='/'>Home</a> <a href='/x'>Sport"
        f"</a></nav><article><h1>Acme buys Globex</h1>{body}</article>"
        "<footer>Copyright 2024 Example Corp. All rights reserved.</footer></body></html>"
    )
    doc = load(write("news.htm", page))
    check_segments(doc)
    assert "Paragraph 7 explains the merger" in doc.text
    assert "Copyright 2024" not in doc.text and "Sport" not in doc.text
    assert doc.title == "Acme buys Globex" and doc.warnings == ()  # trafilatura's metadata title
