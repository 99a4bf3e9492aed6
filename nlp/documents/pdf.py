"""PDF with pypdfium2: text per page, lines joined into paragraphs by their geometry.

Pages without a text layer are OCRed with tesseract when it is installed.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from nlp.documents import blocks as _limits
from nlp.documents import ocr
from nlp.documents.blocks import Block, build, clean
from nlp.documents.model import Document, DocumentError, PasswordRequired

MAX_PAGES = 2000
"""Pages after this one are not read (with a warning)."""

_LIGATURES = str.maketrans(
    {
        "ﬀ": "ff",
        "ﬁ": "fi",
        "ﬂ": "fl",
        "ﬃ": "ffi",
        "ﬄ": "ffl",
        "ﬅ": "st",
        "ﬆ": "st",
        "\uf0b7": "•",
        "\uf0a7": "▪",
        "\uf0d8": "•",
        "\uf076": "•",
        "\uf0fc": "✓",
    }
)
_BULLET = re.compile(r"^\s*([•▪◦●■‣∙]|\d{1,2}[.)]\s|\(?[a-z]\)\s)")
_SOFT_HYPHEN = re.compile(r"(\w)[\ufffe\u00ad\x02](\w)?")
_FILE_NAME = re.compile(
    r"^(microsoft \w+ - )?[\w ~.-]+\."
    r"(exe|docx?|pdf|rtf|tmp|dvi|e?ps|indd|qxd|txt|xlsx?|pptx?|tex)$",
    re.I,
)
_ENDS_SENTENCE = re.compile(r"[.!?:;\"'”’)]$")


@dataclass(slots=True)
class _Line:
    """A line as PDFium reports it (one or more visual lines when it joined a hyphenation)."""

    text: str
    size: float
    """Font size of its first character."""
    left: float
    right: float
    top: float
    """Top of the first character's box."""
    base: float
    """Bottom of the first character's box."""
    end_base: float
    """Bottom of the last character's box."""
    end_top: float


def _open(path: str, data: bytes, password: str | None) -> Any:
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == 4:  # FPDF_ERR_PASSWORD
            if password is None:
                raise PasswordRequired(path, "encrypted PDF: a password is required") from None
            raise PasswordRequired(path, "encrypted PDF: wrong password") from None
        if code == 5:  # FPDF_ERR_SECURITY
            raise DocumentError(
                path, "encrypted PDF with an unsupported security handler"
            ) from None
        raise DocumentError(path, "damaged PDF: PDFium could not parse it") from None


def _lines(textpage: Any, raw: str) -> list[_Line]:
    """The page's lines with the boxes of their first and last characters."""
    import pypdfium2.raw as pdfium_c

    lines: list[_Line] = []
    for match in re.finditer(r"[^\r\n]+", raw):
        text = match.group()
        idx = [match.start() + i for i, c in enumerate(text) if not c.isspace()]
        if not idx:
            continue
        first = textpage.get_charbox(idx[0], loose=True)
        last = textpage.get_charbox(idx[-1], loose=True)
        word = next((i for i in idx if raw[i].isalnum()), idx[0])
        size = float(pdfium_c.FPDFText_GetFontSize(textpage.raw, word))
        lines.append(
            _Line(_text(text), size, first[0], last[2], first[3], first[1], last[1], last[3])
        )
    return lines


def _breaks(prev: _Line, cur: _Line, pitch: float, width: float) -> bool:
    """Whether `cur` starts a new paragraph after `prev`."""
    size = max(prev.size, cur.size, 1.0)
    if _BULLET.match(cur.text):
        return True
    if cur.base > prev.end_top or cur.base > prev.end_base + 0.5 * size:
        return True  # moved up: a new column or a block out of reading order
    if abs(prev.size - cur.size) > 0.12 * size:
        return True  # font size change (heading)
    if prev.end_base - cur.base > 1.4 * pitch + 0.1 * size:
        return True  # a vertical gap
    ended = bool(_ENDS_SENTENCE.search(prev.text.rstrip()))
    if ended and prev.left + 0.8 * size < cur.left < prev.left + 6 * size:
        return True  # first-line indent
    return ended and (prev.right - prev.left) < 0.7 * width


def _join_text(lines: list[str]) -> str:
    """Lines joined with spaces, end-of-line hyphens removed before a lowercase letter."""
    lines = [line.strip() for line in lines if line.strip()]
    out = lines[0] if lines else ""
    for nxt in lines[1:]:
        if re.search(r"[^\W\d_]-$", out) and nxt[:1].islower():
            out = out[:-1] + nxt  # de-hyphenate "infor-\nmation"
        else:
            out = f"{out} {nxt}"
    return out


def _unhyphen(match: re.Match[str]) -> str:
    after = match.group(2) or ""
    return match.group(1) + ("" if after.islower() or not after else "-") + after


def _text(raw: str) -> str:
    """Ligatures expanded; PDFium's soft-hyphen marks dropped inside words, kept as "-" else."""
    return _SOFT_HYPHEN.sub(_unhyphen, raw.translate(_LIGATURES))


def page_blocks(textpage: Any, raw: str, page_no: int) -> Iterator[Block]:
    """Paragraph and heading blocks of one page's text layer."""
    lines = _lines(textpage, raw)
    if not lines:
        return
    steps = [a.end_base - b.base for a, b in itertools.pairwise(lines)]
    steps = [s for s in steps if s > 0.5 * min(a.size for a in lines)]
    pitch = statistics.median(steps) if steps else lines[0].size * 1.2
    width = statistics.median(line.right - line.left for line in lines)
    body = statistics.median(line.size for line in lines)
    group = [lines[0]]
    for line in [*lines[1:], None]:
        if line is not None and not _breaks(group[-1], line, pitch, width):
            group.append(line)
            continue
        text = clean(_join_text([g.text for g in group]), keep_lines=False)
        big = min(g.size for g in group) > 1.15 * body
        heading = big and len(group) <= 3 and len(text) <= 200 and not text.endswith(".")
        kind = "heading" if heading else "list" if _BULLET.match(text) else "paragraph"
        yield Block(text, kind, page_no)
        if line is not None:
            group = [line]


def _ocr_blocks(page: Any, page_no: int) -> list[Block]:
    text = ocr.recognise(ocr.render_page(page))
    paragraphs = re.split(r"\n\s*\n", text)
    return [Block(_join_text(p.split("\n")), "ocr", page_no) for p in paragraphs if p.strip()]


_DIGITS = re.compile(r"\d+")


def _running_key(text: str) -> str:
    """A block's text with numbers and spacing ignored: page 3's and page 4's header
    (number first on even pages, last on odd ones) get the same key."""
    return " ".join(_DIGITS.sub(" ", text).split())


def _edges(blocks: list[Block]) -> list[Block]:
    """Where running lines sit: the first and last block, and the second and second-to-last
    on pages long enough that those are not the body itself."""
    n = 2 if len(blocks) >= 6 else 1
    return [*blocks[:n], *blocks[-n:]] if blocks else []


def drop_running_lines(pages: list[list[Block]]) -> tuple[list[list[Block]], int]:
    """Remove running headers and footers: blocks at the top or bottom of a page
    whose text (digits ignored, so page numbers match) recurs on at least half of the
    pages (and on three or more)."""
    if len(pages) < 3:
        return pages, 0
    edge_counts: dict[str, int] = {}
    for blocks in pages:
        edges = {_running_key(b.text) for b in _edges(blocks)}
        for key in edges:
            edge_counts[key] = edge_counts.get(key, 0) + 1
    need = max(3, (len(pages) + 1) // 2)
    running = {k for k, n in edge_counts.items() if n >= need and k}
    if not running:
        return pages, 0
    kept: list[list[Block]] = []
    removed = 0
    for blocks in pages:
        edge_ids = {id(b) for b in _edges(blocks)}
        page = [b for b in blocks
                if not (id(b) in edge_ids and _running_key(b.text) in running)]
        removed += len(blocks) - len(page)
        kept.append(page)
    return kept, removed


def load(path: str, data: bytes, password: str | None = None) -> Document:
    """Read a PDF; raises DocumentError (PasswordRequired for encrypted files)."""
    pdf = _open(path, data, password)
    try:
        return _read(path, data, pdf, password is not None)
    finally:
        pdf.close()


def _read(path: str, data: bytes, pdf: Any, encrypted: bool) -> Document:
    count = len(pdf)
    if count == 0:
        raise DocumentError(path, "the PDF has no pages")
    warnings: list[str] = []
    if count > MAX_PAGES:
        warnings.append(f"only the first {MAX_PAGES} of {count} pages were read")
    pages: list[list[Block]] = []
    chars = 0
    no_text: list[int] = []
    for index in range(min(count, MAX_PAGES)):
        page_no = index + 1
        page = pdf[index]
        try:
            textpage = page.get_textpage()
            raw = textpage.get_text_range()
            if raw.strip():
                found = list(page_blocks(textpage, raw, page_no))
            elif ocr.available():
                try:
                    found = _ocr_blocks(page, page_no)
                    warnings.append(f"page {page_no} has no text layer; its text was read by OCR")
                except ocr.OcrError as exc:
                    found = []
                    warnings.append(f"page {page_no} has no text layer and OCR failed: {exc}")
            else:
                found = []
                no_text.append(page_no)
            textpage.close()
        finally:
            page.close()
        pages.append(found)
        chars += sum(len(b.text) + 2 for b in found)
        if chars > _limits.MAX_CHARS:
            warnings.append(
                f"stopped after page {page_no}: more than {_limits.MAX_CHARS:,} characters"
            )
            break
    warnings.extend(
        f"page {n} has no text layer; install tesseract-ocr to read it" for n in no_text
    )
    pages, removed = drop_running_lines(pages)
    if removed:
        warnings.append(f"{removed} running header/footer lines were left out")
    blocks = [b for page in pages for b in page]
    meta = {k: v.strip() for k, v in pdf.get_metadata_dict(skip_empty=True).items()}
    title = meta.get("Title", "")
    if _FILE_NAME.match(title) or len(title) < 3:
        title = ""
    meta_items = [(k.lower(), v) for k, v in meta.items()] + [("pages", str(count))]
    if encrypted:
        meta_items.append(("encrypted", "yes"))
    return build(path, data, "pdf", blocks, title=title, metadata=meta_items, warnings=warnings)
