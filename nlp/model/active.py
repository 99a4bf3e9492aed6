"""Which sentences to review first: model uncertainty, and orders for a review queue.

A sentence's uncertainty is the larger of two "least confidence" scores in [0, 1]:

* entities: 1 - min over its words of the probability of the word's most likely tag;
* relations: 1 - min over the candidate pairs of its predicted entities (pairs whose
  types admit some relation) of the probability of the pair's most likely outcome
  (a relation type or "none"), over the outcomes the type schema allows.

A sentence the model reads confidently everywhere scores near 0; one where it hesitates
on a single word or pair scores high. `ORDERS` holds the queue orders by name:
``uncertainty`` (least sure first) and ``random`` (a seeded shuffle, the baseline).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from nlp.model import batching, decode
from nlp.training.examples import Example

if TYPE_CHECKING:
    from nlp.model.runtime import Runtime

__all__ = ["ORDERS", "least_sure_first", "order", "random_order", "uncertainty"]


def uncertainty(runtime: Runtime, examples: Sequence[Example], domain: int = 0) -> list[float]:
    """One score per example in [0, 1]: higher = the model is less sure (see the module)."""
    import torch

    keys = batching.example_keys(examples)
    windows = batching.pack(runtime.items([ex.tokens for ex in examples], keys),
                            runtime.max_len, domain)
    scores = dict.fromkeys(keys, 0.0)
    trans, start = decode.transitions(runtime.scheme.tags), decode.starts(runtime.scheme.tags)
    tok = runtime.tokenizer
    runtime.model.eval()
    with torch.inference_mode():
        for idx in runtime.batches(windows):
            batch = [windows[i] for i in idx]
            t = batching.collate(batch, None, tok.cls_token_id, tok.sep_token_id)
            t = {k: v.to(runtime.device) for k, v in t.items()}
            hidden, logits = _forward(runtime, t)
            probs = torch.softmax(logits.float(), -1).cpu().numpy()
            found: list[list[list[batching.WordSpan]]] = []
            for b, window in enumerate(batch):
                per_item, w = [], 0
                for item in window.items:
                    p = probs[b, w : w + len(item.words)]
                    w += len(item.words)
                    key = item.key[:2]
                    if len(p):
                        scores[key] = max(scores[key], 1.0 - float(p.max(-1).min()))
                    path = decode.viterbi(np.log(p + 1e-12), trans, start)
                    per_item.append([(s, e, ty) for s, e, ty, _ in
                                     decode.spans(path, p, runtime.scheme.tags)])
                found.append(per_item)
            rel_domain = getattr(runtime, "relation_domain", None)
            if rel_domain is not None and rel_domain != domain and runtime.scheme.relations:
                # relations are read in the convention that taught them, as `Runtime` does
                hidden, _ = _forward(runtime, {**t, "domain_ids": torch.full_like(
                    t["domain_ids"], rel_domain)})
            for key, score in _relation_doubt(runtime, hidden, batch, found):
                scores[key] = max(scores[key], score)
    return [scores[k] for k in keys]


def _forward(runtime: Runtime, t: dict[str, Any]) -> tuple[Any, Any]:
    """Hidden states and tag logits, through the ONNX graph where the runtime has one."""
    if runtime.forward is not None:
        hidden, logits = runtime.forward(t)
        return hidden, logits
    hidden = runtime.model.encode(t["input_ids"], t["attention_mask"], t["shape_ids"],
                                  t["domain_ids"])
    return hidden, runtime.model.ner_logits(hidden, t["word_pos"])


def _relation_doubt(runtime: Runtime, hidden: Any, batch: Sequence[batching.Window],
                    found: list[list[list[batching.WordSpan]]]
                    ) -> list[tuple[tuple[str, int], float]]:
    """(sentence key, 1 - confidence of the pair's best outcome) per candidate pair."""
    import torch

    scheme = runtime.scheme
    if not scheme.relations:
        return []
    rows = batching.pair_rows(batch, found, runtime.type_ids,
                              lambda h, t: bool(scheme.allowed(h, t)))
    if not rows:
        return []
    pairs = torch.tensor([r[:7] for r in rows], dtype=torch.long, device=hidden.device)
    logits = runtime.model.relation_logits(hidden, pairs).float()
    out = []
    for row, logit in zip(rows, logits, strict=True):
        b, k = row[0], row[7]
        h, t = divmod(row[8], 65536)
        allowed = [0, *scheme.allowed(found[b][k][h][2], found[b][k][t][2])]
        p = torch.softmax(logit[allowed], -1)
        out.append((batch[b].items[k].key[:2], 1.0 - float(p.max())))
    return out


def least_sure_first(scores: Sequence[float]) -> list[int]:
    """Indexes by falling uncertainty; ties keep their input order."""
    return sorted(range(len(scores)), key=lambda i: -scores[i])


def random_order(n: int, seed: int = 0) -> list[int]:
    """A seeded shuffle of ``range(n)``: the same seed gives the same order."""
    out = list(range(n))
    random.Random(seed).shuffle(out)  # noqa: S311 -- a review order, not a secret
    return out


Order = Callable[["Runtime", Sequence[Example], int, int], list[int]]
"""(runtime, examples, domain, seed) -> the order in which to review the examples."""


def _by_uncertainty(runtime: Runtime, examples: Sequence[Example], domain: int,
                    seed: int) -> list[int]:
    return least_sure_first(uncertainty(runtime, examples, domain))


def _by_chance(runtime: Runtime, examples: Sequence[Example], domain: int,
               seed: int) -> list[int]:
    return random_order(len(examples), seed)


ORDERS: dict[str, Order] = {"uncertainty": _by_uncertainty, "random": _by_chance}


def order(name: str, runtime: Runtime, examples: Sequence[Example], *, domain: int = 0,
          seed: int = 0) -> list[int]:
    """The review order called `name` (see `ORDERS`)."""
    try:
        fn = ORDERS[name]
    except KeyError:
        raise ValueError(f"unknown order {name!r}; choose one of {', '.join(ORDERS)}") from None
    return fn(runtime, examples, domain, seed)
