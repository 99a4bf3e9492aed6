"""IRI pieces that need no RDF library (so `kg.rdf.formats` stays cheap to import)."""

from __future__ import annotations

import re
from urllib.parse import quote

DEFAULT_BASE = "urn:skein:project:"
"""IRI prefix of a project's records unless the caller gives its own."""

_BASE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*[:/#]")


def check_base(base: str) -> str:
    """Return `base` if it is an absolute IRI prefix ending in ``:``, ``/`` or ``#``."""
    if not _BASE.fullmatch(base):
        raise ValueError(f"base must be an absolute IRI ending in ':', '/' or '#', got {base!r}")
    return base


def segment(value: str | int) -> str:
    """`value` as one IRI path segment: unreserved characters kept, the rest percent-encoded."""
    return quote(str(value), safe="-._~", errors="surrogatepass")
