"""A model's reading of sentences, kept so that graph aids can be scored on top of it.

`read` runs the encoder once over a list of sentences (each inside its document's window,
as `nlp.model.runtime.Runtime` reads them) and keeps, per window, the encoder's hidden
states and, per sentence, the tag probabilities of every word. From that `Reading` the
model's own spans (`Reading.spans`, the runtime's Viterbi decoding) and the relation
logits of *any* set of spans (`Reading.relation_logits`, the model's relation head) come
without another encoder pass: a gazetteer may add or retype spans, the type constraint may
be lifted, and each variant still gets the model's relation scores for its spans.

A reading can be saved (`save`: one ``.npz`` of float arrays, loaded without pickle) and
loaded for the same model and sentences (`load`), so a benchmark runs the encoder once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from nlp.model import batching, decode
from nlp.progress import NEVER, CancelToken, Progress, Work
from nlp.training.examples import Example

if TYPE_CHECKING:
    from nlp.model.runtime import Runtime

Span = tuple[int, int, str, float]
"""(start word, end word exclusive, type, confidence), word offsets in the sentence."""


@dataclass(frozen=True, slots=True)
class _Chunk:
    window: int
    item: int
    first_word: int
    n_words: int


def _keys(examples: Sequence[Example]) -> list[tuple[str, int]]:
    return [(ex.doc_id or f"#{i}", ex.index) for i, ex in enumerate(examples)]


def _windows(runtime: Runtime, examples: Sequence[Example], domain: int
             ) -> list[batching.Window]:
    items = runtime.items([ex.tokens for ex in examples], _keys(examples))
    return batching.pack(items, runtime.max_len, domain)


class Reading:
    """Hidden states per window and tag probabilities per sentence of one model."""

    def __init__(self, runtime: Runtime, examples: Sequence[Example], domain: int,
                 hidden: Sequence[np.ndarray], probs: Sequence[np.ndarray]) -> None:
        self.runtime = runtime
        self.examples = tuple(examples)
        self.domain = domain
        self.windows = _windows(runtime, examples, domain)
        if len(hidden) != len(self.windows):
            raise ValueError("reading: hidden states do not match the sentences' windows")
        self.hidden = list(hidden)
        self.probs = list(probs)
        """Per sentence: (words, tags) probabilities."""
        self._memo: dict[tuple[Any, ...], np.ndarray] = {}
        """Logits by (sentence, head span, tail span): they depend on nothing else."""
        index = {key: i for i, key in enumerate(_keys(examples))}
        self._chunks: list[list[_Chunk]] = [[] for _ in examples]
        for w, window in enumerate(self.windows):
            for k, item in enumerate(window.items):
                doc, sent, first = item.key
                self._chunks[index[(doc, sent)]].append(_Chunk(w, k, first, len(item.words)))

    @property
    def scheme(self) -> Any:
        return self.runtime.scheme

    def spans(self, i: int) -> list[Span]:
        """The model's entities in sentence `i`, as `Runtime.predict` decodes them."""
        tags = self.scheme.tags
        trans, start = decode.transitions(tags), decode.starts(tags)
        out: list[Span] = []
        for c in self._chunks[i]:
            p = self.probs[i][c.first_word : c.first_word + c.n_words]
            if not len(p):
                continue
            path = decode.viterbi(np.log(p + 1e-12), trans, start)
            out.extend((s + c.first_word, e + c.first_word, ty, conf)
                       for s, e, ty, conf in decode.spans(path, p, tags))
        return out

    def relation_logits(self, i: int, spans: Sequence[tuple[int, int, str]]
                        ) -> dict[tuple[int, int], np.ndarray]:
        """The relation head's logits (none + each relation) for every ordered pair of
        `spans` (indexes into it) in one chunk of sentence `i`, whatever their types."""
        import torch

        runtime = self.runtime
        if not runtime.scheme.relations or len(spans) < 2:
            return {}
        out: dict[tuple[int, int], np.ndarray] = {}
        for c in self._chunks[i]:
            inside = [(j, s - c.first_word, e - c.first_word, ty)
                      for j, (s, e, ty) in enumerate(spans)
                      if s >= c.first_word and e <= c.first_word + c.n_words]
            memo = [(a, b, (i, *spans[a], *spans[b])) for a, _, _, _ in inside
                    for b, _, _, _ in inside if a != b]
            if all(key in self._memo for _, _, key in memo):
                out.update({(a, b): self._memo[key] for a, b, key in memo})
                continue
            if len(inside) < 2:
                continue
            window = self.windows[c.window]
            ents: list[list[list[batching.WordSpan]]] = [[[] for _ in window.items]]
            ents[0][c.item] = [(s, e, ty) for _, s, e, ty in inside]
            rows = batching.pair_rows([window], ents, runtime.type_ids, lambda h, t: True)
            hidden = torch.from_numpy(self.hidden[c.window]).unsqueeze(0).to(runtime.device)
            pairs = torch.tensor([r[:7] for r in rows], dtype=torch.long, device=hidden.device)
            with torch.inference_mode():
                logits = runtime.model.relation_logits(hidden, pairs).float().cpu().numpy()
            for row, logit in zip(rows, logits, strict=True):
                h, t = divmod(row[8], 65536)
                a, b = inside[h][0], inside[t][0]
                out[(a, b)] = logit
                self._memo[(i, *spans[a], *spans[b])] = logit
        return out


def read(runtime: Runtime, examples: Sequence[Example], domain: int = 0, *,
         cancel: CancelToken = NEVER) -> Work[Reading]:
    """Run the encoder once over `examples` (long work: one `Progress` per batch).

    Relations are read in the domain the sentences are read in (for a model whose
    relations come from one corpus, pass that corpus's domain, as the bench does)."""
    import torch

    windows = _windows(runtime, examples, domain)
    index = {key: i for i, key in enumerate(_keys(examples))}
    hidden: list[np.ndarray] = [np.zeros((0, 0), np.float32)] * len(windows)
    parts: list[dict[int, np.ndarray]] = [{} for _ in examples]
    batches = list(runtime.batches(windows))
    tok = runtime.tokenizer
    runtime.model.eval()
    for n, idx in enumerate(batches):
        yield Progress(n, len(batches), "reading sentences", "readout")
        cancel.check()
        batch = [windows[j] for j in idx]
        t = batching.collate(batch, None, tok.cls_token_id, tok.sep_token_id)
        t = {k: v.to(runtime.device) for k, v in t.items()}
        with torch.inference_mode():
            h, logits = _forward(runtime, t)
            probs = torch.softmax(logits.float(), -1).cpu().numpy()
            h_np = h.float().cpu().numpy()
        for b, j in enumerate(idx):
            hidden[j] = h_np[b, : windows[j].n_pieces].copy()
            w = 0
            for item in windows[j].items:
                doc, sent, first = item.key
                parts[index[(doc, sent)]][first] = probs[b, w : w + len(item.words)]
                w += len(item.words)
    yield Progress(len(batches), len(batches), "read", "readout")
    n_tags = len(runtime.scheme.tags)
    probs_out = [np.concatenate([p[k] for k in sorted(p)]) if p else np.zeros((0, n_tags))
                 for p in parts]
    return Reading(runtime, examples, domain, hidden, probs_out)


def _forward(runtime: Runtime, t: dict[str, Any]) -> tuple[Any, Any]:
    if runtime.forward is not None:
        hidden, logits = runtime.forward(t)
        return hidden, logits
    hidden = runtime.model.encode(t["input_ids"], t["attention_mask"], t["shape_ids"],
                                  t["domain_ids"])
    return hidden, runtime.model.ner_logits(hidden, t["word_pos"])


def save(reading: Reading, path: str | Path) -> None:
    """Write the reading's arrays to `path` (``.npz``, written atomically)."""
    path = Path(path)
    arrays = {f"h{j}": h for j, h in enumerate(reading.hidden)}
    arrays.update({f"p{i}": p for i, p in enumerate(reading.probs)})
    tmp = path.with_name(path.name + ".part.npz")
    np.savez(tmp, **arrays)  # type: ignore[arg-type]
    tmp.replace(path)


def load(path: str | Path, runtime: Runtime, examples: Sequence[Example],
         domain: int = 0) -> Reading:
    """A saved reading for this runtime and these examples (the caller keys the file)."""
    with np.load(Path(path), allow_pickle=False) as data:
        n_windows = sum(1 for k in data.files if k.startswith("h"))
        hidden = [data[f"h{j}"] for j in range(n_windows)]
        probs = [data[f"p{i}"] for i in range(len(examples))]
    return Reading(runtime, examples, domain, hidden, probs)
