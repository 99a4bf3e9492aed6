"""Turning per-word tag probabilities into entity spans: constrained Viterbi over BIO."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def transitions(tags: Sequence[str]) -> np.ndarray:
    """log-space transition mask: I-X may only follow B-X or I-X."""
    n = len(tags)
    allowed = np.zeros((n, n))
    for j, tag in enumerate(tags):
        if tag.startswith("I-"):
            label = tag[2:]
            for i, prev in enumerate(tags):
                if prev[2:] != label or prev == "O":
                    allowed[i, j] = -np.inf
    return allowed


def starts(tags: Sequence[str]) -> np.ndarray:
    return np.array([-np.inf if t.startswith("I-") else 0.0 for t in tags])


def viterbi(log_probs: np.ndarray, trans: np.ndarray, start: np.ndarray) -> list[int]:
    """Best valid tag sequence for (W, T) log-probabilities."""
    n_words = log_probs.shape[0]
    if n_words == 0:
        return []
    score = start + log_probs[0]
    back = np.zeros((n_words, log_probs.shape[1]), dtype=np.int64)
    for w in range(1, n_words):
        cand = score[:, None] + trans
        back[w] = cand.argmax(axis=0)
        score = cand.max(axis=0) + log_probs[w]
    best = [int(score.argmax())]
    for w in range(n_words - 1, 0, -1):
        best.append(int(back[w, best[-1]]))
    return best[::-1]


def spans(
    tag_ids: Sequence[int], probs: np.ndarray, tags: Sequence[str]
) -> list[tuple[int, int, str, float]]:
    """(start, end, type, confidence) of each entity; confidence = mean probability of its
    words' tags."""
    out: list[tuple[int, int, str, float]] = []
    start, label = -1, ""
    for w, tid in enumerate([*tag_ids, 0]):
        tag = tags[tid] if w < len(tag_ids) else "O"
        if start >= 0 and not (tag.startswith("I-") and tag[2:] == label):
            conf = float(np.mean([probs[k, tag_ids[k]] for k in range(start, w)]))
            out.append((start, w, label, conf))
            start = -1
        if tag.startswith("B-") or (tag.startswith("I-") and start < 0):
            start, label = w, tag[2:]
    return out
