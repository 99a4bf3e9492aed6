"""Python string offsets (code points) <-> Qt text positions (UTF-16 code units).

The store's offsets count code points; `QTextDocument` counts UTF-16 units, so every
character outside the Basic Multilingual Plane (emoji, some CJK) shifts Qt positions by one.
"""

from __future__ import annotations

import bisect


class Utf16Index:
    """Converts offsets into one text in both directions in O(log n)."""

    def __init__(self, text: str) -> None:
        astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF] if not text.isascii() else []
        self._astral = astral
        # Qt position just after the k-th astral character (its two units).
        self._after = [a + k + 2 for k, a in enumerate(astral)]
        self.length = len(text)

    def to_qt(self, offset: int) -> int:
        """The Qt position of code-point `offset`."""
        return offset + bisect.bisect_left(self._astral, offset)

    def from_qt(self, position: int) -> int:
        """The code-point offset of Qt `position` (inside a surrogate pair: the pair's end)."""
        before = bisect.bisect_right(self._after, position)
        return max(0, min(self.length, position - before))
