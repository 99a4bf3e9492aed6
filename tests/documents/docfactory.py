"""Helpers for the document tests: small PDFs, ZIP surgery, the segment invariants."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

import pytest

from nlp.documents import load_document
from nlp.documents.model import Document, DocumentError

SHARED_DOCS = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "docs"


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF file from object bodies (object n is objects[n-1]; 1 is the catalog)."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _stream(content: bytes, extra: bytes = b"") -> bytes:
    data = zlib.compress(content)
    return (
        b"<< /Length %d /Filter /FlateDecode %s>>\nstream\n" % (len(data), extra)
        + data
        + b"\nendstream"
    )


def make_pdf(
    pages: list[list[str]],
    *,
    size: tuple[int, int] = (400, 300),
    font: int = 12,
    images: dict[int, tuple[int, int, bytes]] | None = None,
) -> bytes:
    """A PDF with one text line per string (Helvetica), or a grayscale image on a page.

    `images` maps a 0-based page index to (width, height, pixels): that page gets the image
    and no text layer, like a scan.
    """
    images = images or {}
    n = len(pages)
    kids = b" ".join(b"%d 0 R" % (4 + 3 * i) for i in range(n))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, lines in enumerate(pages):
        if i in images:
            w, h, pixels = images[i]
            content = b"q %d 0 0 %d 0 0 cm /Im0 Do Q" % size
            extra = (
                b"/Type /XObject /Subtype /Image /Width %d /Height %d "
                b"/ColorSpace /DeviceGray /BitsPerComponent 8 " % (w, h)
            )
            resources = b"<< /XObject << /Im0 %d 0 R >> >>" % (6 + 3 * i)
            third = _stream(pixels, extra)
        else:
            ops = [b"BT /F1 %d Tf %d TL 40 %d Td" % (font, font * 3 // 2, size[1] - 40)]
            for line in lines:
                escaped = (
                    line.encode("latin-1")
                    .replace(b"\\", b"\\\\")
                    .replace(b"(", b"\\(")
                    .replace(b")", b"\\)")
                )
                ops.append(b"(%s) Tj T*" % escaped)
            ops.append(b"ET")
            content = b"\n".join(ops)
            resources = b"<< /Font << /F1 3 0 R >> >>"
            third = b"<< >>"
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources %s /Contents %d 0 R >>"
            % (size[0], size[1], resources, 5 + 3 * i)
        )
        objects.append(_stream(content))
        objects.append(third)
    return _pdf(objects)


def render_gray(pdf: bytes, scale: float = 2.0) -> tuple[int, int, bytes]:
    """Page 1 of a PDF as (width, height, grayscale pixels)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    bitmap = document[0].render(scale=scale, grayscale=True)
    raw = bytes(bitmap.buffer)
    rows = b"".join(
        raw[y * bitmap.stride : y * bitmap.stride + bitmap.width] for y in range(bitmap.height)
    )
    size = (bitmap.width, bitmap.height)
    bitmap.close()
    document.close()
    return size[0], size[1], rows


def rezip(docx: bytes, replace: dict[str, bytes], *, level: int = 6) -> bytes:
    """A copy of a ZIP with entries replaced or added."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            if info.filename not in replace:
                dst.writestr(info.filename, src.read(info.filename))
        for name, data in replace.items():
            dst.writestr(
                zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=level
            )
    return out.getvalue()


def check_segments(doc: Document) -> None:
    """The invariants every loader keeps."""
    assert doc.segments, "no segments"
    last_end = 0
    for i, seg in enumerate(doc.segments):
        assert seg.start >= last_end, f"segment {i} overlaps or is out of order"
        assert seg.end > seg.start
        assert doc.text[seg.start : seg.end].strip(), f"segment {i} is blank"
        assert seg.paragraph == i
        assert doc.locate(seg.start) == seg and doc.locate(seg.end - 1) == seg
        last_end = seg.end
    covered = sum(s.end - s.start for s in doc.segments)
    separators = len(doc.segments) - 1
    assert covered + 2 * separators == len(doc.text)
    assert doc.locate(len(doc.text)) is None
    assert Document.from_json(doc.to_json()) == doc


def load(path: str, password: str | None = None) -> Document:
    """Load in this process (no sandbox)."""
    return load_document(path, password=password, sandbox=False)


def failure(path: str) -> str:
    """The reason `path` fails to load; the message must start with the path."""
    with pytest.raises(DocumentError) as caught:
        load(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    return caught.value.reason
