"""People's edits in a real project become training signal: positives, span and pair
negatives, partial vs reviewed sentences, and linking labels from merges and splits."""

from __future__ import annotations

from kg.annotate import (
    accept_mention,
    accept_relation,
    add_mention,
    mark_sentence_reviewed,
    reject_mention,
    relabel_mention,
)
from kg.learn import LinkLabel, corrections, link_labels
from kg.learn.examples import MIN_FOR_HOLDOUT, split_holdout
from kg.learn.score import score_decisions
from kg.resolve import merge, split
from kg.store import Project
from nlp.training.examples import ALL, Example, Partial, RelLabel, SpanLabel


def _mention(project: Project, text: str, sentence_start: str) -> tuple[int, int, str]:
    """(mention id, sentence id, label) of the suggestion `text` in the sentence that
    starts with `sentence_start`."""
    rows = project.query(
        "SELECT m.id, m.sentence, m.label FROM mentions m JOIN sentences s ON s.id = m.sentence"
        " JOIN documents d ON d.id = s.document WHERE m.text = ?"
        " AND substr(d.text, s.start + 1, length(?)) = ?",
        (text, sentence_start, sentence_start))
    assert len(rows) == 1, (text, sentence_start, rows)
    return int(rows[0][0]), int(rows[0][1]), str(rows[0][2])


def _relation(project: Project, head: int, tail: int) -> int:
    return int(project.query("SELECT id FROM relations WHERE head = ? AND tail = ?",
                             (head, tail))[0][0])


def _by_first_words(examples: tuple[Example, ...]) -> dict[str, Example]:
    return {" ".join(ex.tokens[:2]): ex for ex in examples}


def test_each_kind_of_edit_becomes_training_signal(project: Project) -> None:
    assert corrections(project).examples == ()  # a fresh project teaches nothing yet
    # 1. accept a person and their Work_For; reject a place (its relation goes too)
    john, _, _ = _mention(project, "John Smith", "John Smith works for Acme")
    acme, _, _ = _mention(project, "Acme Corp", "John Smith works for Acme")
    boston, _, _ = _mention(project, "Boston", "John Smith works for Acme")
    accept_relation(project, _relation(project, john, acme), "ann")
    reject_mention(project, boston, "ann")
    # 2. a gadget the model took for an ORG is a MISC (its Work_For is dropped, rejected)
    quantix, _, label = _mention(project, "Quantix", "Ali Khan tested")
    assert label == "ORG"
    relabel_mention(project, quantix, "MISC", "ann")
    # 3. add the right type beside a wrong suggestion and reject the wrong one
    zorblex, _, _ = _mention(project, "Zorblex", "Li Wei tested")
    doc, start = project.query("SELECT document, start FROM mentions WHERE id = ?",
                               (zorblex,))[0]
    add_mention(project, doc, start, start + len("Zorblex"), "MISC", "ann")
    reject_mention(project, zorblex, "ann")
    # 4. a sentence reviewed without accepting the rest: fully known
    mary, mary_sentence, _ = _mention(project, "Mary Jones", "Mary Jones works for Globex")
    accept_mention(project, mary, "ann")
    mark_sentence_reviewed(project, mary_sentence, "ann", accept_rest=False)

    found = corrections(project, holdout=0.0)
    ex = _by_first_words(found.examples)
    assert set(ex) == {"John Smith", "Ali Khan", "Li Wei", "Mary Jones"}  # nothing else
    john_ex = ex["John Smith"]
    assert isinstance(john_ex.known, Partial)
    assert {(s.start, s.end, s.label) for s in john_ex.entities} == {(0, 2, "PER"),
                                                                     (4, 6, "ORG")}
    assert john_ex.relations == (RelLabel(0, 1, "Work_For"),)
    assert john_ex.known.rejected == (SpanLabel(7, 8, "LOC"),)  # Boston
    assert [r for _, _, r in john_ex.known.rejected_relations] == ["OrgBased_In"]
    ali = ex["Ali Khan"]
    assert ali.entities == (SpanLabel(4, 5, "MISC"),)  # Ali Khan stays an open suggestion
    assert isinstance(ali.known, Partial)
    assert [(h.label, t.label, r) for h, t, r in ali.known.rejected_relations] == [
        ("PER", "MISC", "Work_For")]
    li = ex["Li Wei"]
    assert li.entities == (SpanLabel(4, 5, "MISC"),)
    assert isinstance(li.known, Partial) and li.known.rejected == (SpanLabel(4, 5, "ORG"),)
    mary_ex = ex["Mary Jones"]
    assert mary_ex.known == ALL  # reviewed: the open Globex/Paris suggestions are "O"
    assert mary_ex.entities == (SpanLabel(0, 2, "PER"),) and mary_ex.relations == ()
    counts = found.counts()
    assert counts["reviewed"] == 1 and counts["partial"] == 3 and counts["sentences"] == 4
    assert counts["rejected_spans"] == 2 and counts["relations"] == 1


def test_merges_and_splits_become_link_labels(project: Project) -> None:
    ids = {str(n): str(i) for i, n in project.query(
        "SELECT id, name FROM entities WHERE label = 'PER'")}
    merge(project, ids["John Smith"], ids["Mary Jones"], "ann")
    merge(project, ids["Ali Khan"], ids["Li Wei"], "ann")
    split(project, ids["Li Wei"], "ann")
    labels = {(frozenset((x.a_name, x.b_name)), x.same) for x in link_labels(project)}
    assert labels == {(frozenset(("John Smith", "Mary Jones")), True),
                      (frozenset(("Ali Khan", "Li Wei")), False)}
    assert all(isinstance(x, LinkLabel) and x.label == "PER" for x in link_labels(project))
    counts = corrections(project).counts()
    assert counts["links_same"] == 1 and counts["links_different"] == 1


def _toy(n: int) -> list[Example]:
    return [Example(("a", "b"), (SpanLabel(0, 1, "PER"),), doc_id=f"d{i // 4}", index=i % 4)
            for i in range(n)]


def test_holdout_split_is_stable_and_never_empty() -> None:
    train, held = split_holdout(_toy(MIN_FOR_HOLDOUT))
    assert len(held) >= 1 and len(train) + len(held) == MIN_FOR_HOLDOUT
    assert split_holdout(_toy(4))[1] == [] or len(split_holdout(_toy(4))[0]) >= 1
    small_held = {(x.doc_id, x.index) for x in split_holdout(_toy(40))[1]}
    big_held = {(x.doc_id, x.index) for x in split_holdout(_toy(80))[1]}
    assert small_held <= big_held  # adding corrections never moves a sentence out
    assert 4 <= len(big_held) <= 32  # about a fifth
    assert split_holdout(_toy(40)) == split_holdout(_toy(40))
    assert split_holdout(_toy(10), 0.0) == (_toy(10), [])


def test_holdout_scores_count_only_decisions() -> None:
    tokens = ("Ali", "Khan", "tested", "the", "Quantix", "device", ".")
    partial = Example(tokens, (SpanLabel(4, 5, "MISC"),), doc_id="d",
                      known=Partial((SpanLabel(5, 6, "ORG"),)))
    # right on the decision, a guess on words nobody judged (not counted), and one on a
    # rejected word (a false positive)
    guess = Example(tokens, (SpanLabel(0, 2, "PER"), SpanLabel(4, 5, "MISC"),
                             SpanLabel(5, 6, "LOC")), doc_id="d")
    s = score_decisions([partial], [guess])
    assert (s.tp, s.fp, s.fn) == (1, 1, 0) and s.re_f1 is None
    full = Example(tokens, (SpanLabel(4, 5, "MISC"),), doc_id="d")  # reviewed: all counts
    s = score_decisions([full], [guess])
    assert (s.tp, s.fp, s.fn) == (1, 2, 0)
    assert score_decisions([full], [Example(tokens, doc_id="d")]).f1 == 0.0
