"""Each string rule on small corpora: what it merges, and what it must leave apart."""

from __future__ import annotations

from resolve_samples import corpus, ent, pairs_of

from kg.resolve.acronyms import acronym_pairs
from kg.resolve.data import Definition, KnownEntity, find_definitions
from kg.resolve.names import words
from kg.resolve.people import middle_name_pairs, partial_name_pairs
from kg.resolve.rules import known_pairs, variant_pairs
from kg.resolve.types import EntityInfo


def test_acronyms_by_their_initials() -> None:
    es = [ent("ORG", "IBM", 5), ent("ORG", "International Business Machines"),
          ent("LOC", "U.S.", 9), ent("LOC", "United States"),
          ent("ORG", "FBI"), ent("ORG", "Federal Bureau of Investigation"),
          ent("ORG", "NASA"), ent("ORG", "National Aeronautics and Space Administration")]
    found = pairs_of(acronym_pairs(corpus(es)), es)
    assert found == {
        ("IBM", "International Business Machines", "acronym"),
        ("U.S.", "United States", "acronym"),
        ("FBI", "Federal Bureau of Investigation", "acronym"),
        ("NASA", "National Aeronautics and Space Administration", "acronym"),
    }
    scores = {p.score for p in acronym_pairs(corpus(es))}
    assert all(0.8 <= s <= 1 for s in scores)


def test_an_acronym_with_two_long_forms_merges_with_neither() -> None:
    es = [ent("ORG", "AA"), ent("ORG", "American Airlines"), ent("ORG", "Alcoholics Anonymous")]
    assert list(acronym_pairs(corpus(es))) == []


def test_an_acronym_merges_only_within_its_type() -> None:
    es = [ent("PER", "MEL"), ent("ORG", "Minimum Equipment List"),
          ent("LOC", "UN"), ent("ORG", "United Nations")]
    assert list(acronym_pairs(corpus(es))) == []


def test_acronyms_defined_in_the_text() -> None:
    text = ("The Department of Justice (DOJ) and the European Union Aviation Safety Agency "
            "(EASA) met. Later the DOJ agreed. NTSB (National Transportation Safety Board) too."
            " The meeting (see above) ended.")
    doj, justice = ent("ORG", "DOJ"), ent("ORG", "Department of Justice")
    easa, agency = ent("ORG", "EASA"), ent("ORG", "European Union Aviation Safety Agency")
    ntsb, board = ent("ORG", "NTSB"), ent("MISC", "National Transportation Safety Board")
    es = [doj, justice, easa, agency, ntsb, board]

    def span(e: EntityInfo, name: str, nth: int = 0) -> tuple[int, int, str]:
        start = -1
        for _ in range(nth + 1):
            start = text.index(name, start + 1)
        return start, start + len(name), e.id

    spans = [span(justice, "Department of Justice"), span(agency, agency.name),
             span(easa, "EASA"), span(doj, "DOJ", 1), span(ntsb, "NTSB"),
             span(board, board.name)]
    defs = find_definitions("d1", text, spans, {e.id: e for e in es})
    assert {(d.letters, " ".join(d.long_words)) for d in defs} == {
        ("doj", "department of justice"),
        ("easa", "european union aviation safety agency"),
        ("ntsb", "national transportation safety board"),
    }
    found = pairs_of(acronym_pairs(corpus(es, {"d1": es}, defs)), es)
    # EASA is no initialism of its long form; NTSB/board cross ORG/MISC on a definition
    assert found == {
        ("DOJ", "Department of Justice", "defined-acronym"),
        ("EASA", "European Union Aviation Safety Agency", "defined-acronym"),
        ("NTSB", "National Transportation Safety Board", "defined-acronym"),
    }


def test_a_definition_overrides_a_coincidental_initialism() -> None:
    bea, french = ent("ORG", "BEA"), ent("ORG", "French Bureau of Enquiry and Analysis")
    other = ent("ORG", "British European Airways")  # BEA by its initials
    defn = Definition("d1", "bea", tuple(words(french.name)), french.id)
    found = pairs_of(acronym_pairs(corpus([bea, french, other], definitions=[defn])),
                     [bea, french, other])
    assert found == {("BEA", "French Bureau of Enquiry and Analysis", "defined-acronym")}


def test_suffixes_and_variants() -> None:
    es = [ent("ORG", "Apple Inc.", 3), ent("ORG", "Apple"), ent("ORG", "Apple Corp"),
          ent("PER", "Chairman Alan Greenspan"), ent("PER", "Alan Greenspan", 4),
          ent("PER", "José Martí"), ent("PER", "Jose Marti")]
    found = pairs_of(variant_pairs(corpus(es)), es)
    assert ("Apple", "Apple Inc.", "corporate-suffix") in found
    assert ("Alan Greenspan", "Chairman Alan Greenspan", "name-variant") in found
    assert ("Jose Marti", "José Martí", "name-variant") in found


def test_variants_are_type_aware() -> None:
    es = [ent("PER", "Washington"), ent("LOC", "Washington"), ent("ORG", "Ford"),
          ent("PER", "Ford"), ent("ORG", "Reuters"), ent("MISC", "Reuters"),
          ent("ORG", "ST"), ent("MISC", "St.")]
    found = pairs_of(variant_pairs(corpus(es)), es)
    # ORG/MISC of one name may merge (score 0.9); other types never; two letters never
    assert found == {("Reuters", "Reuters", "name-variant")}
    assert {p.score for p in variant_pairs(corpus(es))} == {0.9}


def test_partial_names_in_one_document() -> None:
    barack, obama = ent("PER", "Barack Obama"), ent("PER", "Obama")
    helen, park = ent("PER", "Helen Park"), ent("PER", "Park")
    es = [barack, obama, helen, park]
    found = pairs_of(partial_name_pairs(corpus(es, {"a": [barack, obama], "b": [helen, park]})),
                     es)
    assert found == {("Barack Obama", "Obama", "partial-name"),
                     ("Helen Park", "Park", "partial-name")}


def test_a_surname_two_people_share_in_a_document_is_not_merged() -> None:
    barack, michelle, obama = (ent("PER", n) for n in ("Barack Obama", "Michelle Obama",
                                                         "Obama"))
    es = [barack, michelle, obama]
    assert list(partial_name_pairs(corpus(es, {"a": [barack, michelle, obama]}))) == []
    # nor when two documents resolve it to two people
    assert list(partial_name_pairs(corpus(es, {"a": [barack, obama],
                                               "b": [michelle, obama]}))) == []
    # one person named twice (with and without a middle initial) is not ambiguous
    hussein = ent("PER", "Barack H. Obama")
    found = pairs_of(partial_name_pairs(corpus([barack, hussein, obama],
                                               {"a": [barack, hussein, obama]})),
                     [barack, hussein, obama])
    assert len(found) == 1 and next(iter(found))[1:] == ("Obama", "partial-name")


def test_partial_names_need_the_same_document_and_a_name_not_a_word() -> None:
    barack, obama = ent("PER", "Barack Obama"), ent("PER", "Obama")
    assert list(partial_name_pairs(corpus([barack, obama]))) == []
    rules, federal = ent("PER", "Rules"), ent("PER", "Federal Rules")
    c = corpus([rules, federal], {"a": [rules, federal]}, common=[(rules, "a")])
    assert list(partial_name_pairs(c)) == []


def test_middle_names_and_initials() -> None:
    jfk, john, j = ent("PER", "John F. Kennedy"), ent("PER", "John Kennedy"), ent(
        "PER", "J. Kennedy")
    es = [jfk, john, j]
    found = pairs_of(middle_name_pairs(corpus(es, {"a": [jfk], "b": [john, j]})), es)
    assert found == {("John F. Kennedy", "John Kennedy", "middle-name"),
                     ("J. Kennedy", "John Kennedy", "middle-name")}
    # an initial only counts inside one document
    found = pairs_of(middle_name_pairs(corpus(es)), es)
    assert found == {("John F. Kennedy", "John Kennedy", "middle-name")}
    # "John Kennedy" could be either of two people: merged with neither
    jbk = ent("PER", "John B. Kennedy")
    assert pairs_of(middle_name_pairs(corpus([jfk, john, jbk])), [jfk, john, jbk]) == set()


def test_known_entities_are_alias_sources() -> None:
    big, ibm, machines = ent("ORG", "Big Blue"), ent("ORG", "IBM"), ent(
        "ORG", "International Business Machines Corporation")
    lone = ent("LOC", "IBM")  # another type: not that company
    known = [KnownEntity("http://www.wikidata.org/entity/Q37156", "ORG",
                         ("International Business Machines", "IBM", "Big Blue"))]
    es = [big, ibm, machines, lone]
    pairs = list(known_pairs(corpus(es, known=known)))
    assert {p.reason for p in pairs} == {"known-entity http://www.wikidata.org/entity/Q37156"}
    # the three names of the company are linked together, the place called IBM is not
    assert {i for p in pairs for i in (p.a, p.b)} == {big.id, ibm.id, machines.id}
    assert len(pairs) == 2
