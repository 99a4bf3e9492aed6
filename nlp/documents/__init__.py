"""Document ingestion: PDF, DOCX, HTML, text and Markdown to a `Document` with offsets.

Untrusted files are parsed in a sandboxed child process (see `sandbox`). Importing this
package is cheap: pypdfium2, python-docx and trafilatura load only when a file needs them.
"""

from nlp.documents.api import LoadResult, iter_paths, load_document, load_many
from nlp.documents.model import Document, DocumentError, PasswordRequired, Segment
from nlp.documents.registry import detect_format, supported_suffixes

SUPPORTED_SUFFIXES: frozenset[str] = supported_suffixes()
"""File suffixes picked up from folders (``.pdf``, ``.docx``, ``.html``, ``.txt``, ``.md``...)."""

__all__ = [
    "SUPPORTED_SUFFIXES",
    "Document",
    "DocumentError",
    "LoadResult",
    "PasswordRequired",
    "Segment",
    "detect_format",
    "iter_paths",
    "load_document",
    "load_many",
]
