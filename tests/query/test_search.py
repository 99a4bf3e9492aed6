"""Name search: prefixes, any case or accents, ranked by match quality then mentions."""

from __future__ import annotations

import pytest

from kg.query.search import SearchIndex, fold, search
from kg.records import EntityRecord, MentionRecord, Snapshot

ENTITIES = {
    "e-barack": ("PER", "Barack Obama", ("Obama", "B. Obama"), 5),
    "e-found": ("ORG", "Obama Foundation", (), 10),
    "e-michelle": ("PER", "Michelle Obama", (), 2),
    "e-care": ("MISC", "Obamacare", (), 1),
    "e-jose": ("PER", "José Núñez", ("Pepe",), 3),
    "e-orsted": ("ORG", "Ørsted A/S", (), 1),
    "e-koln": ("LOC", "Köln", ("Cologne",), 4),
}


def _snapshot() -> Snapshot:
    entities = tuple(EntityRecord(i, t, n, a) for i, (t, n, a, _) in ENTITIES.items())
    mentions = []
    for ident, (label, name, _, count) in ENTITIES.items():
        for _ in range(count):
            mentions.append(MentionRecord(len(mentions) + 1, "d", 1, 0, 1, name, label, 0.9,
                                          None, ident, "suggested"))
    mentions.append(MentionRecord(99, "d", 1, 0, 1, "x", "PER", 0.9, None, "e-care",
                                  "rejected"))  # not counted
    return Snapshot((), (), (), entities, tuple(mentions), ())


@pytest.fixture(scope="module")
def idx() -> SearchIndex:
    return SearchIndex.of(_snapshot())


def test_fold() -> None:
    assert fold("  José   NÚÑEZ ") == "jose nunez"
    assert fold("Ørsted Straße Æsir") == "orsted strasse aesir"
    assert fold("ＡＢＣ") == "abc"


def test_prefix_ranked_by_quality_then_mentions(idx: SearchIndex) -> None:
    hits = search(idx, "obam")
    assert [h.entity_id for h in hits] == ["e-found", "e-care", "e-barack", "e-michelle"]
    assert hits[0].mentions == 10 and hits[1].mentions == 1  # the rejected one is not counted
    assert hits[2].matched_alias == "Obama" and hits[0].matched_alias is None


def test_exact_name_or_alias_first(idx: SearchIndex) -> None:
    hits = search(idx, "OBAMA")
    assert hits[0].entity_id == "e-barack" and hits[0].matched_alias == "Obama"
    assert hits[0].score > hits[1].score
    assert search(idx, "barack obama")[0].matched_alias is None


def test_case_and_accents_do_not_matter(idx: SearchIndex) -> None:
    for query in ("jose", "JOSÉ", "nunez", "Núñ", "jose nu"):
        assert [h.entity_id for h in search(idx, query)] == ["e-jose"], query
    assert search(idx, "orsted")[0].name == "Ørsted A/S"
    assert search(idx, "koln")[0].entity_id == "e-koln"
    assert search(idx, "cologne")[0].matched_alias == "Cologne"


def test_every_word_must_match_one_name(idx: SearchIndex) -> None:
    assert [h.entity_id for h in search(idx, "mich oba")] == ["e-michelle"]
    assert search(idx, "michelle foundation") == []
    assert search(idx, "") == [] and search(idx, " ,.; ") == []


def test_types_and_limit(idx: SearchIndex) -> None:
    assert {h.entity_id for h in search(idx, "obama", types={"PER"})} == {
        "e-barack", "e-michelle"}
    assert len(search(idx, "o", limit=2)) == 2
    assert search(idx, "obama", types={"LOC"}) == []


def test_on_a_real_project(snap: Snapshot) -> None:
    idx = SearchIndex.of(snap)
    hits = search(idx, "hel")
    assert hits[0].name == "Helen Park" and hits[0].label == "PER" and hits[0].mentions == 2
    assert search(idx, "zurich")[0].name == "Zürich"
