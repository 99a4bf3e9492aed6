"""Sentences and tokens keep exact character offsets."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.text import split_sentences

TEXT = (
    "Dr. Helen Park works for the National Cancer Institute. She lives in Baltimore.\n"
    "This line continues the paragraph.\n\n"
    "A new paragraph starts here!  And ends here?\n\n\n   \n"
    "Trailing block without a full stop"
)


def test_offsets_are_exact_and_sentences_stay_in_blocks() -> None:
    sents = split_sentences(TEXT)
    texts = [s.text_of(TEXT) for s in sents]
    assert texts[0].startswith("Dr. Helen Park")
    assert "A new paragraph starts here!" in texts
    assert texts[-1] == "Trailing block without a full stop"
    for s in sents:
        assert "\n\n" not in s.text_of(TEXT)
        for tok in s.tokens:
            assert s.start <= tok.start < tok.end <= s.end
            assert TEXT[tok.start : tok.end].strip() == TEXT[tok.start : tok.end]
    assert [s.index for s in sents] == list(range(len(sents)))


def test_huge_paragraph_is_split_without_losing_offsets() -> None:
    text = ("word " * 60_000).strip()  # 300,000 chars, no blank lines
    sents = split_sentences(text)
    covered = sum(len(s.tokens) for s in sents)
    assert covered == 60_000
    assert all(text[t.start : t.end] == "word" for s in sents for t in s.tokens)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_any_text_keeps_offsets(text: str) -> None:
    last = -1
    for s in split_sentences(text):
        assert s.start >= last
        last = s.end
        for tok in s.tokens:
            assert text[tok.start : tok.end]
            assert not text[tok.start : tok.end].isspace()
