"""What the rule-based baseline finds in hand-written news and US-federal sentences."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from nlp.extract import Extraction, Mention

Run = Callable[[str], Extraction]


def labels(result: Extraction) -> dict[str, str]:
    return {m.text: m.label for m in result.mentions}


def relations(result: Extraction) -> set[tuple[str, str, str]]:
    return {(r.head.text, r.label, r.tail.text) for r in result.relations}


def mention(result: Extraction, text: str) -> Mention:
    (found,) = [m for m in result.mentions if m.text == text]
    return found


def test_federal_court_sentence(run_rules: Run) -> None:
    r = run_rules("The Department of Justice filed a motion in the Supreme Court.")
    assert labels(r) == {"Department of Justice": "ORG", "Supreme Court": "ORG"}
    assert mention(r, "Department of Justice").confidence == pytest.approx(0.75)


def test_senator_meets_commission(run_rules: Run) -> None:
    text = (
        "Senator John Smith of Ohio met with officials of the Federal Trade Commission "
        "in Washington."
    )
    r = run_rules(text)
    # The title is not part of the PER span (CoNLL-2003 convention).
    assert labels(r) == {
        "John Smith": "PER",
        "Ohio": "LOC",
        "Federal Trade Commission": "ORG",
        "Washington": "LOC",
    }
    assert relations(r) == {
        ("John Smith", "Live_In", "Ohio"),
        ("Federal Trade Commission", "OrgBased_In", "Washington"),
    }
    smith = mention(r, "John Smith")
    assert text[smith.start : smith.end] == "John Smith" and smith.confidence == 0.85


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Jones visited the Bureau of Labor Statistics.", {"Jones": "PER"}),
        ("Acme Corp. opened an office in Paris.", {"Acme Corp.": "ORG", "Paris": "LOC"}),
        ("The French delegation arrived late.", {"French": "MISC"}),
        ("She grew up in Cook County near the Hudson River.", {"Cook County": "LOC"}),
        ("The Justice Department declined to comment.", {"Justice Department": "ORG"}),
        ("Martin Luther King Jr. spoke in Memphis.", {"Martin Luther King Jr.": "PER"}),
        ("Reporters met the FBI and NASA officials.", {"FBI": "ORG", "NASA": "ORG"}),
        (
            "The Securities and Exchange Commission sued.",
            {"Securities and Exchange Commission": "ORG"},
        ),
    ],
)
def test_single_sentences(run_rules: Run, text: str, expected: dict[str, str]) -> None:
    found = labels(run_rules(text))
    for surface, label in expected.items():
        assert found.get(surface) == label, found


def test_sentence_initial_common_words_are_dropped(run_rules: Run) -> None:
    r = run_rules("But the officials said nothing. In May, nobody came. Yesterday it rained.")
    assert r.mentions == ()


def test_honorifics_split_runs(run_rules: Run) -> None:
    r = run_rules("Microsoft Chairman Bill Gates and Vice President Al Gore met in Seattle.")
    found = labels(r)
    assert found["Bill Gates"] == "PER" and found["Al Gore"] == "PER"
    assert "Microsoft" in found and found["Seattle"] == "LOC"
    assert ("Bill Gates", "Work_For", "Microsoft") in relations(r)


def test_surname_after_full_name_is_person(run_rules: Run) -> None:
    r = run_rules("Barack Obama spoke on Monday. Later, Obama left for Chicago.")
    obama = [m for m in r.mentions if m.text == "Obama"]
    assert [m.label for m in obama] == ["PER"] and obama[0].sentence == 1
    assert mention(r, "Barack Obama").label == "PER"


def test_surname_before_full_name_is_not_propagated_backwards(run_rules: Run) -> None:
    r = run_rules("Critics of Zorblatt complained. Then Helen Zorblatt answered.")
    assert [m.label for m in r.mentions if m.text == "Zorblatt"] == ["MISC"]
    assert mention(r, "Helen Zorblatt").label == "PER"


def test_repeated_surface_forms_get_one_label(run_rules: Run) -> None:
    text = "Mr. Kessler arrived. Kessler waved. We asked Kessler about Ruritania."
    r = run_rules(text)
    kessler = [m for m in r.mentions if m.text == "Kessler"]
    assert len(kessler) == 3 and {m.label for m in kessler} == {"PER"}


def test_company_alias(run_rules: Run) -> None:
    r = run_rules("Zentrix Inc. posted a loss. Analysts expect Zentrix to recover.")
    assert [m.label for m in r.mentions if m.text == "Zentrix"] == ["ORG"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "John Wilkes Booth, who assassinated President Lincoln, was an actor.",
            ("John Wilkes Booth", "Kill", "Lincoln"),
        ),
        (
            "John F. Kennedy was shot by Lee Harvey Oswald in Dallas, Texas.",
            ("Lee Harvey Oswald", "Kill", "John F. Kennedy"),
        ),
        (
            "They flew from Boston, Massachusetts on Friday.",
            ("Boston", "Located_In", "Massachusetts"),
        ),
        ("Boston-based Acme Corp. hired him.", ("Acme Corp.", "OrgBased_In", "Boston")),
        (
            "Mary Jones, a spokeswoman for the Federal Reserve, declined to comment.",
            ("Mary Jones", "Work_For", "Federal Reserve"),
        ),
        ("David Cohen, who lives in Chicago, wrote back.", ("David Cohen", "Live_In", "Chicago")),
        (
            "The company is headquartered in Ohio; Zentrix Inc., based in Ohio, agreed.",
            ("Zentrix Inc.", "OrgBased_In", "Ohio"),
        ),
    ],
)
def test_relations(run_rules: Run, text: str, expected: tuple[str, str, str]) -> None:
    r = run_rules(text)
    assert expected in relations(r), (labels(r), relations(r))
    for rel in r.relations:
        assert 0.3 <= rel.confidence <= 0.6
        assert rel.head.sentence == rel.tail.sentence


def test_relation_type_constraints(run_rules: Run) -> None:
    r = run_rules(
        "Senator John Smith of Ohio met with officials of the Federal Trade Commission in "
        "Washington. Acme Corp. of Boston hired Jane Doe of Acme Corp."
    )
    allowed = {
        "Work_For": ("PER", "ORG"),
        "OrgBased_In": ("ORG", "LOC"),
        "Live_In": ("PER", "LOC"),
        "Located_In": ("LOC", "LOC"),
        "Kill": ("PER", "PER"),
    }
    assert r.relations
    for rel in r.relations:
        assert allowed[rel.label] == (rel.head.label, rel.tail.label)
        assert rel.head in r.mentions and rel.tail in r.mentions


def test_no_relations_across_sentences(run_rules: Run) -> None:
    r = run_rules("He moved to Boston. Massachusetts was cold.")
    assert r.relations == ()
