"""Grouping: people's decisions first and always, constraints, the canonical entity."""

from __future__ import annotations

from resolve_samples import ent

from kg.resolve.cluster import cluster
from kg.resolve.store import stored_pairs
from kg.resolve.types import AUTO, DIFFERENT, SAME, USER, Decision, EntityInfo, Merge, Pair


def _index(*es: EntityInfo) -> dict[str, EntityInfo]:
    return {e.id: e for e in es}


def _at(n: int) -> str:
    return f"2025-01-01T00:00:{n:02d}.000+00:00"


def test_canonical_is_the_most_mentioned_full_name() -> None:
    fbi, bureau = ent("ORG", "FBI", 40), ent("ORG", "Federal Bureau of Investigation", 2)
    obama, barack, hussein = (ent("PER", "Obama", 30), ent("PER", "Barack Obama", 3),
                              ent("PER", "Barack Hussein Obama", 1))
    merges = cluster(_index(fbi, bureau, obama, barack, hussein), [
        Pair(fbi.id, bureau.id, 0.88, "acronym"),
        Pair(obama.id, barack.id, 0.9, "partial-name"),
        Pair(barack.id, hussein.id, 0.85, "middle-name"),
    ])
    into = {m.merged: m.canonical for m in merges}
    assert into == {fbi.id: bureau.id, obama.id: barack.id, hussein.id: barack.id}
    by = {m.merged: m for m in merges}
    assert by[fbi.id].reason == "acronym" and by[fbi.id].score == 0.88
    assert by[hussein.id].reason == "middle-name" and by[hussein.id].method == AUTO


def test_weak_pairs_and_incompatible_types_do_not_merge() -> None:
    a, b = ent("ORG", "Acme"), ent("MISC", "Acme")
    c, d = ent("PER", "Washington"), ent("LOC", "Washington")
    merges = cluster(_index(a, b, c, d), [
        Pair(a.id, b.id, 0.85, "acronym"),  # ORG/MISC needs 0.9
        Pair(c.id, d.id, 0.99, "name-variant"),  # a person is never a place
    ])
    assert merges == []
    assert len(cluster(_index(a, b), [Pair(a.id, b.id, 0.9, "name-variant")])) == 1
    assert cluster(_index(a, b), [Pair(a.id, b.id, 0.5, "embedding 0.50")]) == []


def test_two_people_are_never_joined_through_a_shared_surname() -> None:
    barack, michelle, obama = (ent("PER", "Barack Obama", 2), ent("PER", "Michelle Obama", 1),
                               ent("PER", "Obama", 5))
    merges = cluster(_index(barack, michelle, obama), [
        Pair(obama.id, barack.id, 0.9, "partial-name"),
        Pair(obama.id, michelle.id, 0.8, "embedding 0.80"),
    ])
    assert [(m.merged, m.canonical) for m in merges] == [(obama.id, barack.id)]


def test_a_persons_split_is_never_merged_again_and_a_merge_is_kept() -> None:
    ibm, machines = ent("ORG", "IBM"), ent("ORG", "International Business Machines")
    smith, jones = ent("PER", "Smith"), ent("PER", "Jones")
    pairs = [Pair(ibm.id, machines.id, 0.88, "acronym")]
    index = _index(ibm, machines, smith, jones)
    split = [Decision(ibm.id, machines.id, DIFFERENT, "ann", _at(1))]
    assert cluster(index, pairs, split) == []
    joined = [Decision(smith.id, jones.id, SAME, "ann", _at(2))]
    merges = cluster(index, pairs, joined)
    user = [m for m in merges if m.method == USER]
    assert len(user) == 1 and user[0].reason == "user" and user[0].score == 1.0
    assert {user[0].merged, user[0].canonical} == {smith.id, jones.id}
    # the latest word on a pair counts
    again = [*split, Decision(ibm.id, machines.id, SAME, "bob", _at(3))]
    assert [m.method for m in cluster(index, [], again)] == [USER]


def test_a_split_member_stays_out_of_the_whole_group() -> None:
    fbi, bureau, feds = (ent("ORG", "FBI", 5), ent("ORG", "Federal Bureau of Investigation", 2),
                         ent("MISC", "F.B.I."))
    pairs = [Pair(fbi.id, bureau.id, 0.97, "defined-acronym"),
             Pair(feds.id, fbi.id, 0.95, "name-variant")]
    decisions = [Decision(feds.id, bureau.id, DIFFERENT, "ann", _at(1))]
    merges = cluster(_index(fbi, bureau, feds), pairs, decisions)
    assert [(m.merged, m.canonical) for m in merges] == [(fbi.id, bureau.id)]


def test_a_persons_merge_overrides_the_rules_constraints() -> None:
    bill, william = ent("PER", "Bill Clinton"), ent("PER", "William Clinton")
    merges = cluster(_index(bill, william), [],
                     [Decision(bill.id, william.id, SAME, "ann", _at(1))])
    assert len(merges) == 1 and merges[0].method == USER


def test_entities_known_as_two_iris_stay_apart() -> None:
    a, b = ent("ORG", "Paris Saint-Germain"), ent("ORG", "PSG")
    known = {a.id: "http://example.org/psg-football", b.id: "http://example.org/psg-handball"}
    assert cluster(_index(a, b), [Pair(a.id, b.id, 0.97, "defined-acronym")], (), known) == []


def test_taking_the_canonical_entity_out_leaves_the_rest_together() -> None:
    bureau, fbi, feds = (ent("ORG", "Federal Bureau of Investigation", 9), ent("ORG", "FBI", 5),
                         ent("MISC", "FBI"))
    stored = [Merge(fbi.id, bureau.id, 0.97, "defined-acronym", AUTO),
              Merge(feds.id, bureau.id, 0.9, "name-variant", AUTO)]
    apart = [Decision(bureau.id, x.id, DIFFERENT, "ann", _at(1)) for x in (fbi, feds)]
    merges = cluster(_index(bureau, fbi, feds), stored_pairs(stored), apart)
    assert [(m.merged, m.canonical) for m in merges] == [(feds.id, fbi.id)]
