"""Highlight colours per entity type: fixed for the default scheme, generated for others."""

from __future__ import annotations

import colorsys
import hashlib
from collections.abc import Iterable

# (light theme, dark theme) backgrounds; dark ones are deep so light text stays readable.
_FIXED: dict[str, tuple[str, str]] = {
    "PER": ("#ffd29e", "#8a531c"),
    "ORG": ("#b6dbff", "#1f4f80"),
    "LOC": ("#c2f0b8", "#2d6a36"),
    "MISC": ("#e5c7fa", "#5f3a80"),
}


def _hex(r: float, g: float, b: float) -> str:
    return "#{:02x}{:02x}{:02x}".format(*(round(c * 255) for c in (r, g, b)))


def label_colour(label: str, *, dark: bool = False) -> str:
    """A background colour (``#rrggbb``) for entity type `label`, stable across runs."""
    fixed = _FIXED.get(label)
    if fixed is not None:
        return fixed[1] if dark else fixed[0]
    digest = hashlib.sha256(label.encode("utf-8", "surrogatepass")).digest()
    hue = int.from_bytes(digest[:2], "big") / 65536
    lightness, saturation = (0.32, 0.45) if dark else (0.84, 0.70)
    return _hex(*colorsys.hls_to_rgb(hue, lightness, saturation))


def label_colours(labels: Iterable[str], *, dark: bool = False) -> dict[str, str]:
    """Colours for every label in `labels`."""
    return {label: label_colour(label, dark=dark) for label in labels}
