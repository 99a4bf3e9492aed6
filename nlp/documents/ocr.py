"""OCR of scanned pages with the `tesseract` command (Debian's tesseract-ocr)."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path
from typing import Any

OCR_DPI = 300
OCR_MAX_PIXELS = 40_000_000
OCR_TIMEOUT = 120.0
"""Seconds for one page."""


class OcrError(Exception):
    """Tesseract failed on a page; the message is plain words."""


def available() -> bool:
    return shutil.which("tesseract") is not None


def png_gray(width: int, height: int, stride: int, pixels: bytes) -> bytes:
    """An 8-bit grayscale PNG of a row-major pixel buffer (no imaging library needed)."""
    rows = b"".join(b"\x00" + pixels[y * stride : y * stride + width] for y in range(height))

    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 6))
        + chunk(b"IEND", b"")
    )


def render_page(page: Any) -> bytes:
    """The page as a grayscale PNG at about `OCR_DPI`, smaller for very large pages."""
    width, height = page.get_size()
    scale = OCR_DPI / 72
    pixels = width * height * scale * scale
    if pixels > OCR_MAX_PIXELS:
        scale *= (OCR_MAX_PIXELS / pixels) ** 0.5
    bitmap = page.render(scale=scale, grayscale=True)
    try:
        return png_gray(bitmap.width, bitmap.height, bitmap.stride, bytes(bitmap.buffer))
    finally:
        bitmap.close()


def recognise(png: bytes, *, lang: str = "eng", timeout: float = OCR_TIMEOUT) -> str:
    """Text of a PNG image as tesseract reads it."""
    exe = shutil.which("tesseract")
    if exe is None:
        raise OcrError("tesseract-ocr is not installed")
    fd, name = tempfile.mkstemp(prefix="skein-ocr-", suffix=".png")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(png)
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        done = subprocess.run(
            [exe, name, "stdout", "-l", lang, "--psm", "3"],
            capture_output=True,
            timeout=timeout,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise OcrError(f"OCR timed out after {timeout:g} s") from None
    except OSError as exc:
        raise OcrError(f"could not run tesseract ({exc.strerror})") from None
    finally:
        Path(name).unlink()
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrError(f"tesseract failed ({detail[-1] if detail else f'exit {done.returncode}'})")
    return done.stdout.decode("utf-8", "replace")
