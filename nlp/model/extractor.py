"""The trained model as an extraction backend (registered as ``transformer``).

Document text → spaCy sentences/tokens → the model (each sentence read inside a window of
its neighbours) → character-offset mentions and relations with confidences.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nlp.extract.types import Extraction, Mention, ModelInfo, RelationMention
from nlp.text import Sentence

DEFAULT_BUNDLE = Path(__file__).resolve().parents[2] / "assets" / "models" / "default"


def resolve_bundle(name: str | Path) -> Path:
    return DEFAULT_BUNDLE if str(name) == "default" else Path(name)


@functools.lru_cache(maxsize=4)
def _runtime(path: str, device: str, backend: str = "torch") -> Any:
    from nlp.model.bundle import load

    return load(path, device=device, backend=backend)


class TransformerExtractor:
    """Extraction with a Skein model bundle (``model="default"`` for the shipped one)."""

    def __init__(self, model: str | Path = "default", device: str = "auto",
                 min_confidence: float = 0.0, backend: str = "torch") -> None:
        from nlp.model.bundle import read_info

        self.path = resolve_bundle(model)
        self.bundle = read_info(self.path)
        self.device = device
        self.min_confidence = min_confidence
        self.backend = backend
        """``torch``, or ``onnx`` for the int8 ONNX Runtime encoder (CPU)."""
        calibrated = ", confidences calibrated on dev" if self.bundle.meta.get(
            "calibration") else ", raw confidences"
        self._info = ModelInfo(self.bundle.model_id, "transformer",
                               f"fine-tuned {self.bundle.encoder} NER + relations{calibrated}")

    @property
    def info(self) -> ModelInfo:
        return self._info

    def extract(self, text: str, sentences: Sequence[Sentence]) -> Extraction:
        runtime = _runtime(str(self.path), self.device, self.backend)
        words = [[text[t.start : t.end] for t in s.tokens] for s in sentences]
        preds = runtime.predict(words, [("doc", s.index) for s in sentences])
        mentions: list[Mention] = []
        relations: list[RelationMention] = []
        for sent, pred in zip(sentences, preds, strict=True):
            local: dict[int, Mention] = {}
            for k, (ws, we, label, conf) in enumerate(pred.spans):
                if conf < self.min_confidence:
                    continue
                start, end = sent.tokens[ws].start, sent.tokens[we - 1].end
                local[k] = Mention(start, end, text[start:end], label, conf, sent.index)
            mentions.extend(local.values())
            for h, t, label, conf in pred.relations:
                if h in local and t in local and conf >= self.min_confidence:
                    relations.append(RelationMention(local[h], local[t], label, conf))
        return Extraction(tuple(mentions), tuple(relations))
