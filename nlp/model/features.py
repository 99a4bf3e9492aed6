"""Word shapes: the casing the uncased encoder's tokenizer throws away, as small ids.

Each word gets one id; the model adds a learned embedding of it to the word's sub-token
embeddings. Sentences written in capitals (headlines) get their own id, because there
casing says nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

PAD, LOWER, TITLE, CAPS, LETTER, MIXED, DIGIT, OTHER, CAPS_SENTENCE = range(9)
INITIAL = 9
"""Added to the shape of a sentence's first word (Title case there means less)."""
N_SHAPES = 2 * INITIAL


def word_shape(word: str) -> int:
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return DIGIT if any(c.isdigit() for c in word) else OTHER
    if any(c.isdigit() for c in word):
        return DIGIT
    if all(c.islower() for c in letters):
        return LOWER
    if all(c.isupper() for c in letters):
        return LETTER if len(letters) == 1 else CAPS
    if letters[0].isupper() and all(c.islower() for c in letters[1:]):
        return TITLE
    return MIXED


def is_caps_sentence(words: Sequence[str]) -> bool:
    """A headline or table row in capitals: most lettered words are all upper case."""
    lettered = [w for w in words if any(c.isalpha() for c in w)]
    if len(lettered) < 3:
        return False
    upper = sum(1 for w in lettered if w.isupper())
    return upper / len(lettered) >= 0.8


def sentence_shapes(words: Sequence[str]) -> list[int]:
    caps = is_caps_sentence(words)
    out = []
    for i, w in enumerate(words):
        shape = word_shape(w)
        if caps and shape in (CAPS, LETTER, TITLE, MIXED):
            shape = CAPS_SENTENCE
        out.append(shape + (INITIAL if i == 0 else 0))
    return out
