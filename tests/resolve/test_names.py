"""Name normalisation, acronym shapes and people's names."""

from __future__ import annotations

import pytest

from kg.resolve.names import (
    acronym_letters,
    compatible,
    conflict,
    deep_key,
    deep_words,
    fits,
    initialisms,
    person,
)


@pytest.mark.parametrize(("label", "a", "b"), [
    ("ORG", "Apple Inc.", "apple"),
    ("ORG", "The Boeing Company", "boeing"),
    ("ORG", "International Business Machines Corp.", "international business machines"),
    ("ORG", "Procter & Gamble Co.", "procter and gamble"),
    ("ORG", "Pilatus Aircraft Ltd.", "pilatus aircraft"),
    ("PER", "Prime Minister Margaret Thatcher", "margaret thatcher"),
    ("PER", "Dr. Helen Park", "helen park"),
    ("PER", "Obama's", "obama"),
    ("PER", "José Martí", "jose marti"),
    ("PER", "Martin Luther King Jr.", "martin luther king jr"),
    ("LOC", "U.S.", "us"),
    ("LOC", "the United States", "united states"),
    ("MISC", "Apple Inc.", "apple inc"),  # legal forms are only dropped from organisations
    ("PER", "Inc.", "inc"),
])
def test_deep_key(label: str, a: str, b: str) -> None:
    assert deep_key(a, label) == b


def test_a_lone_title_or_suffix_is_kept_as_the_name() -> None:
    assert deep_words("President", "PER") == ("president",)
    assert deep_words("Corp.", "ORG") == ("corp",)


@pytest.mark.parametrize(("surface", "letters"), [
    ("FBI", "fbi"), ("U.S.", "us"), ("DoJ", "doj"), ("ADs", "ad"), ("NASA", "nasa"),
    ("C&DS", "cds"), ("Mr", None), ("Obama", None), ("A4", None), ("United States", None),
    ("X", None), ("ABCDEFGHIJ", None),
])
def test_acronym_shapes(surface: str, letters: str | None) -> None:
    assert acronym_letters(surface) == letters


def test_initialisms_with_and_without_connectives() -> None:
    assert initialisms(deep_words("Department of Justice", "ORG")) == {"doj", "dj"}
    assert "fbi" in initialisms(deep_words("Federal Bureau of Investigation", "ORG"))
    assert "ibm" in initialisms(deep_words("International Business Machines", "ORG"))
    assert "us" in initialisms(deep_words("United States", "LOC"))
    assert "nasa" in initialisms(deep_words("National Aeronautics and Space Administration",
                                            "ORG"))
    assert initialisms(("obama",)) == frozenset()


@pytest.mark.parametrize(("letters", "long", "ok"), [
    ("doj", "Department of Justice", True),
    ("easa", "European Union Aviation Safety Agency", True),  # a word skipped
    ("dot", "U.S. Department of Transportation", True),  # a leading qualifier skipped
    ("dod", "Department of Defense", True),
    ("knkt", "Komite Nasional Keselamatan Transportasi", True),
    ("see", "Federal Bureau of Investigation", False),
    ("ab", "Alpha Beta Gamma Delta Epsilon", False),  # most of the long form unused
    ("fbi", "Obama", False),
])
def test_defined_acronyms_must_fit_their_long_form(letters: str, long: str, ok: bool) -> None:
    assert fits(letters, deep_words(long, "ORG")) is ok


def _p(name: str) -> object:
    found = person(deep_words(name, "PER"))
    assert found is not None
    return found


def test_people_names() -> None:
    jfk, john, j, robert = (person(deep_words(n, "PER")) for n in (
        "John F. Kennedy", "John Kennedy", "J. Kennedy", "Robert Kennedy"))
    assert jfk and john and j and robert
    assert compatible(jfk, john, initials=False)
    assert not compatible(john, j, initials=False) and compatible(john, j, initials=True)
    assert conflict(john, robert) and not conflict(john, j)
    obama = person(("obama",))
    assert obama is not None and not obama.full and obama.family == "obama"
    senior, junior = person(("john", "smith", "sr")), person(("john", "smith", "jr"))
    assert senior and junior and conflict(senior, junior)
