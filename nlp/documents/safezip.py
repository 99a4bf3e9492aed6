"""Checks on an untrusted ZIP container (DOCX) before any parser reads it."""

from __future__ import annotations

import io
import re
import zipfile

MAX_ENTRIES = 10_000
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
"""Largest uncompressed/compressed ratio of one entry (entries under `RATIO_FLOOR` exempt)."""
RATIO_FLOOR = 1024 * 1024
_CHUNK = 1 << 16
_DTD = re.compile(rb"<!\s*(doctype|entity)", re.IGNORECASE)


class UnsafeZip(Exception):
    """The container is refused; the message says why in plain words."""


def _unsafe_name(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or bool(re.match(r"^[A-Za-z]:", name)) or ".." in parts


def _scan_xml(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse a DTD in an XML part (entity expansion, external entities)."""
    tail = b""
    seen = 0
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            seen += len(chunk)
            if seen > info.file_size:
                raise UnsafeZip(f"{info.filename} is larger than its declared size")
            window = tail + chunk
            if _DTD.search(window) or _DTD.search(window.replace(b"\x00", b"")):  # UTF-16/32 too
                raise UnsafeZip(
                    f"{info.filename} declares a DTD or entities (<!DOCTYPE/<!ENTITY), "
                    "which documents never need; refused as unsafe"
                )
            tail = window[-32:]


def check(data: bytes) -> zipfile.ZipFile:
    """Open `data` as a ZIP after the checks; raises UnsafeZip or zipfile.BadZipFile."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise UnsafeZip(
            f"too many entries in the archive ({len(infos):,}; the limit is {MAX_ENTRIES:,})"
        )
    total = 0
    for info in infos:
        if _unsafe_name(info.filename):
            raise UnsafeZip(f"unsafe entry name {info.filename!r} (absolute path or '..')")
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise UnsafeZip(f"uncompressed size over {MAX_TOTAL_BYTES // 2**20} MB (a zip bomb?)")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise UnsafeZip(
                f"entry {info.filename} expands {ratio:,.0f} times "
                f"(the limit is {MAX_RATIO}; a zip bomb?)"
            )
    for info in infos:
        if info.filename.lower().endswith((".xml", ".rels", ".vml")):
            _scan_xml(archive, info)
    return archive
