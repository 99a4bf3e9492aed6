"""A loaded model ready to predict: network + tokenizer + label scheme, batched inference.

Shared by evaluation, the extraction backend and the training loop's dev checks.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from nlp.model import batching, decode
from nlp.model.calibration import Calibration
from nlp.model.labels import LabelScheme
from nlp.model.network import JointModel

Span = tuple[int, int, str, float]
"""(start word, end word exclusive, type, confidence)"""
Rel = tuple[int, int, str, float]
"""(head span index, tail span index, type, confidence)"""


@dataclass(frozen=True, slots=True)
class Prediction:
    spans: list[Span]
    relations: list[Rel]


def pick_device(name: str = "auto") -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


class Runtime:
    """Inference over `Item`s: length-sorted batches, `torch.inference_mode`."""

    def __init__(self, model: JointModel, tokenizer: Any, scheme: LabelScheme, *,
                 max_len: int = 256, device: torch.device | None = None,
                 batch_pieces: int = 4096, forward: Any = None,
                 relation_domain: int | None = None,
                 calibration: Calibration | None = None) -> None:
        self.model = model
        self.calibration = calibration
        """Maps raw confidences to calibrated ones (`nlp.model.calibration`); None: raw."""
        self.relation_domain = relation_domain
        """Read relations in this domain (annotation convention) whatever the NER domain:
        a model whose relations were learnt from one corpus only finds them there."""
        self.forward = forward
        """Optional replacement for the torch encoder + tag layer (the ONNX path)."""
        self.tokenizer = tokenizer
        self.scheme = scheme
        self.max_len = max_len
        self.device = device or pick_device()
        self.batch_pieces = batch_pieces
        self.type_ids = {t: i for i, t in enumerate(scheme.types)}
        self._trans = decode.transitions(scheme.tags)
        self._start = decode.starts(scheme.tags)

    def items(self, sentences: Sequence[Sequence[str]],
              keys: Sequence[tuple[str, int]]) -> list[batching.Item]:
        return batching.encode(self.tokenizer, sentences, keys, self.max_len)

    def batches(self, windows: Sequence[batching.Window]) -> Iterator[list[int]]:
        """Window indexes grouped into batches of similar length (padding stays small)."""
        order = sorted(range(len(windows)), key=lambda i: windows[i].n_pieces)
        batch: list[int] = []
        for i in order:
            if batch and (len(batch) + 1) * windows[i].n_pieces > self.batch_pieces:
                yield batch
                batch = []
            batch.append(i)
        if batch:
            yield batch

    @torch.inference_mode()
    def predict_windows(self, windows: Sequence[batching.Window]) -> list[list[Prediction]]:
        """Predictions per window, per item."""
        self.model.eval()
        found_all: list[list[list[Span]]] = [[] for _ in windows]
        rels_all: list[list[list[Rel]]] = [[[] for _ in w.items] for w in windows]
        rel_domain = self.relation_domain if self.scheme.relations else None
        tok = self.tokenizer
        for idx in self.batches(windows):
            batch = [windows[i] for i in idx]
            tensors = batching.collate(batch, None, tok.cls_token_id, tok.sep_token_id)
            t = {k: v.to(self.device) for k, v in tensors.items()}
            hidden, logits = self._forward(t)
            probs_np = torch.softmax(logits.float(), -1).cpu().numpy()
            found: list[list[list[Span]]] = []
            for b, window in enumerate(batch):
                per_item, w = [], 0
                for item in window.items:
                    p = probs_np[b, w : w + len(item.words)]
                    w += len(item.words)
                    path = decode.viterbi(np.log(p + 1e-12), self._trans, self._start)
                    per_item.append(decode.spans(path, p, self.scheme.tags))
                found.append(per_item)
            for b, i in enumerate(idx):
                found_all[i] = found[b]
            if rel_domain is None or all(w.domain == rel_domain for w in batch):
                for b, rels in zip(idx, self._relations(hidden, batch, found), strict=True):
                    rels_all[b] = rels
        if rel_domain is not None:
            self._relations_elsewhere(windows, found_all, rels_all, rel_domain)
        if self.calibration is not None:
            self._calibrate(self.calibration, windows, found_all, rels_all, rel_domain)
        return [[Prediction(s, r) for s, r in zip(found_all[i], rels_all[i], strict=True)]
                for i in range(len(windows))]

    @staticmethod
    def _calibrate(cal: Calibration, windows: Sequence[batching.Window],
                   found: list[list[list[Span]]], rels: list[list[list[Rel]]],
                   rel_domain: int | None) -> None:
        """Calibrated confidences, each by the map of the domain it was read in."""
        for i, window in enumerate(windows):
            d, rd = window.domain, window.domain if rel_domain is None else rel_domain
            found[i] = [[(s, e, t, cal.entity_conf(d, c)) for s, e, t, c in item]
                        for item in found[i]]
            rels[i] = [[(h, t, r, cal.relation_conf(rd, c)) for h, t, r, c in item]
                       for item in rels[i]]

    def _has_pair(self, spans: Sequence[Span]) -> bool:
        return any(a != b and self.scheme.allowed(spans[a][2], spans[b][2])
                   for a in range(len(spans)) for b in range(len(spans)))

    def _relations_elsewhere(self, windows: Sequence[batching.Window],
                             found: list[list[list[Span]]], rels: list[list[list[Rel]]],
                             rel_domain: int) -> None:
        """Relations of windows read in another domain: a second encoder pass in the
        relation domain, over only the sentences that hold a candidate pair (repacked by
        document, so they keep their neighbours with pairs as context)."""
        picked = [(i, k) for i, w in enumerate(windows) if w.domain != rel_domain
                  for k in range(len(w.items)) if self._has_pair(found[i][k])]
        if not picked:
            return
        where = {id(windows[i].items[k]): (i, k) for i, k in picked}
        sub = batching.pack([windows[i].items[k] for i, k in picked], self.max_len, rel_domain)
        tok = self.tokenizer
        for idx in self.batches(sub):
            batch = [sub[j] for j in idx]
            tensors = batching.collate(batch, None, tok.cls_token_id, tok.sep_token_id)
            hidden, _ = self._forward({k: v.to(self.device) for k, v in tensors.items()})
            spans = [[found[where[id(it)][0]][where[id(it)][1]] for it in w.items]
                     for w in batch]
            for window, per_item in zip(batch, self._relations(hidden, batch, spans),
                                        strict=True):
                for item, item_rels in zip(window.items, per_item, strict=True):
                    i, k = where[id(item)]
                    rels[i][k] = item_rels

    def _forward(self, t: dict[str, Any]) -> tuple[torch.Tensor, torch.Tensor]:
        if self.forward is not None:
            hidden, logits = self.forward(t)
            return hidden, logits
        hidden = self.model.encode(t["input_ids"], t["attention_mask"], t["shape_ids"],
                                   t["domain_ids"])
        return hidden, self.model.ner_logits(hidden, t["word_pos"])

    def _relations(self, hidden: torch.Tensor, batch: Sequence[batching.Window],
                   found: list[list[list[Span]]]) -> list[list[list[Rel]]]:
        rels: list[list[list[Rel]]] = [[[] for _ in w.items] for w in batch]
        if not self.scheme.relations:
            return rels
        ents = [[[(s, e, ty) for s, e, ty, _ in item] for item in window] for window in found]
        rows = batching.pair_rows(batch, ents, self.type_ids,
                                  lambda h, t: bool(self.scheme.allowed(h, t)))
        if not rows:
            return rels
        pairs = torch.tensor([r[:7] for r in rows], dtype=torch.long, device=hidden.device)
        logits = self.model.relation_logits(hidden, pairs).float()
        for row, logit in zip(rows, logits, strict=True):
            b, k, code = row[0], row[7], row[8]
            h, t = divmod(code, 65536)
            ht, tt = found[b][k][h][2], found[b][k][t][2]
            allowed = [0, *self.scheme.allowed(ht, tt)]
            p = torch.softmax(logit[allowed], -1)
            best = int(p.argmax())
            if best:
                rels[b][k].append((h, t, self.scheme.relations[allowed[best] - 1],
                                   float(p[best])))
        return rels

    def predict(self, sentences: Sequence[Sequence[str]],
                keys: Sequence[tuple[str, int]], domain: int = 0) -> list[Prediction]:
        """One prediction per input sentence (chunks of long sentences joined back);
        `domain` picks the annotation convention the model learned (0 = its default)."""
        items = self.items(sentences, keys)
        windows = batching.pack(items, self.max_len, domain)
        preds = self.predict_windows(windows)
        merged: dict[tuple[str, int], Prediction] = {}
        for window, per_item in zip(windows, preds, strict=True):
            for item, pred in zip(window.items, per_item, strict=True):
                doc, sent, offset = item.key
                shifted = [(s + offset, e + offset, ty, c) for s, e, ty, c in pred.spans]
                prev = merged.get((doc, sent))
                if prev is None:
                    merged[(doc, sent)] = Prediction(shifted, list(pred.relations))
                else:  # a later chunk: relations index into its own spans
                    n = len(prev.spans)
                    prev.spans.extend(shifted)
                    prev.relations.extend((h + n, t + n, ty, c) for h, t, ty, c in pred.relations)
        return [merged.get((d, s), Prediction([], [])) for d, s in keys]
