"""The app's settings, without Qt: which extractor imports use and on which device, the
confidence below which it keeps no suggestion, and the confidence below which the text and
the lists hide suggestions. Values read back from the settings file are checked (a bad one
falls back to its default); `$SKEIN_EXTRACTOR` wins over the saved extractor.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace

BACKENDS: dict[str, str] = {
    "default": "Default: the trained model when installed, else the rule-based baseline",
    "transformer": "Trained model (skein-news)",
    "rules": "Rule-based baseline (no model)",
}
DEVICES: dict[str, str] = {
    "auto": "Automatic (GPU when available)",
    "cpu": "CPU",
    "cuda": "GPU (CUDA)",
}
KEYS = {"backend": "extraction/backend", "device": "extraction/device",
        "min_confidence": "extraction/min_confidence",
        "show_confidence": "view/min_confidence"}
"""Field -> settings key."""


@dataclass(frozen=True, slots=True)
class Preferences:
    backend: str = "default"
    """Extraction backend for imports (a name in `BACKENDS`)."""
    device: str = "auto"
    """Where the trained model runs (a name in `DEVICES`)."""
    min_confidence: float = 0.0
    """Imports keep no suggestion (mention or relation) below this confidence."""
    show_confidence: float = 0.0
    """The text, mentions and relations hide suggestions below this confidence (what a
    person added or accepted is always shown)."""

    def extractor_options(self) -> dict[str, object]:
        """Options for `kg.pipeline.build`'s backend: the model's device and threshold
        (the rule-based baseline takes none)."""
        from nlp.extract.registry import default_backend

        name = default_backend() if self.backend == "default" else self.backend
        if name != "transformer":
            return {}
        return {"device": self.device, "min_confidence": self.min_confidence}

    def to_mapping(self) -> dict[str, str]:
        return {KEYS[k]: str(getattr(self, k)) for k in KEYS}


def _confidence(value: object, default: float) -> float:
    try:
        number = float(str(value))
    except ValueError:
        return default
    return number if 0.0 <= number <= 1.0 else default


def from_mapping(values: Mapping[str, object], env: Mapping[str, str] | None = None
                 ) -> Preferences:
    """Preferences from saved values (settings key -> value), checked; missing or bad
    values take their defaults. `env` (default: the process environment) may name the
    extractor (``SKEIN_EXTRACTOR``)."""
    base = Preferences()
    backend = str(values.get(KEYS["backend"], base.backend))
    device = str(values.get(KEYS["device"], base.device))
    prefs = Preferences(
        backend if backend in BACKENDS else base.backend,
        device if device in DEVICES else base.device,
        _confidence(values.get(KEYS["min_confidence"], 0.0), base.min_confidence),
        _confidence(values.get(KEYS["show_confidence"], 0.0), base.show_confidence),
    )
    forced = (os.environ if env is None else env).get("SKEIN_EXTRACTOR")
    return replace(prefs, backend=forced) if forced else prefs
