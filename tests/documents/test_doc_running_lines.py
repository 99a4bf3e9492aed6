"""Running headers and footers of PDFs are left out of the text (they are not content)."""

from __future__ import annotations

import pytest
from docfactory import SHARED_DOCS

from nlp.documents import load_document
from nlp.documents.blocks import Block
from nlp.documents.pdf import drop_running_lines


def page(n: int, body: str) -> list[Block]:
    header = f"{n} Federal Register / Vol. 85" if n % 2 else f"Federal Register / Vol. 85 {n}"
    return [Block(header, page=n), Block(body, page=n), Block(f"Page {n} of 9", page=n)]


def test_headers_with_moving_page_numbers_are_dropped() -> None:
    pages = [page(n, f"Body text number {n}.") for n in range(1, 7)]
    kept, removed = drop_running_lines(pages)
    assert removed == 12
    assert [[b.text for b in p] for p in kept] == [[f"Body text number {n}."]
                                                   for n in range(1, 7)]


def test_repeated_body_text_and_short_documents_are_kept() -> None:
    same_body = [[Block("Intro"), Block("Repeated clause."), Block("Middle"),
                  Block("More"), Block(f"End {n}")] for n in range(4)]
    kept, removed = drop_running_lines(same_body)
    assert removed == 8  # "Intro" on top and "End #" at the bottom of every page
    # the repeated clause is body text: it never sits at a page's edge
    assert all(any(b.text == "Repeated clause." for b in p) for p in kept)
    two = [page(1, "a"), page(2, "b")]
    assert drop_running_lines(two) == (two, 0)


def test_federal_register_headers_are_gone() -> None:
    path = SHARED_DOCS / "pdf" / "federal-register-2020-17221.pdf"
    if not path.exists():
        pytest.skip("shared documents are absent")
    doc = load_document(str(path))
    assert "Federal Register / Vol. 85, No. 152" not in doc.text
    assert any("running header/footer" in w for w in doc.warnings)
    assert "Lion Air" in doc.text
