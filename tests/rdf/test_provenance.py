"""From an exported TriG file alone, SPARQL finds where a fact came from and who vouched for it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdf_samples import CONFIRMED_AT, D1, DANA, NAMES, NER, RULES
from rdflib import Dataset, Literal

from kg.rdf.formats import export
from kg.rdf.parse import parse_bytes
from kg.records import Snapshot

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*")

PREFIXES = """
PREFIX skein: <https://skein.dev/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

WHERE_FROM = (
    PREFIXES
    + """
SELECT ?g ?hash ?source ?text ?sstart ?send ?start ?end ?model ?conf ?status ?who ?when
WHERE {
  GRAPH ?g { ?s skein:worksFor ?o }
  ?s rdfs:label ?name .
  ?a a skein:Assertion, prov:Entity ;
     rdf:subject ?s ; rdf:predicate skein:worksFor ; rdf:object ?o ;
     skein:assertedIn ?g ; prov:wasDerivedFrom ?doc ; skein:inSentence ?sent ;
     skein:confidence ?conf ; skein:start ?start ; skein:end ?end ; skein:status ?status ;
     prov:wasGeneratedBy ?run .
  ?g prov:wasDerivedFrom ?doc .
  ?doc a skein:Document ; skein:contentHash ?hash ; skein:source ?source .
  ?sent a skein:Sentence ; skein:inDocument ?doc ; skein:text ?text ;
        skein:start ?sstart ; skein:end ?send .
  ?run a prov:Activity ; prov:used ?doc ; prov:wasAssociatedWith ?agent .
  ?agent a prov:SoftwareAgent ; rdfs:label ?model .
  ?a prov:wasAttributedTo ?agent .
  OPTIONAL {
    ?a skein:confirmedBy ?person ; prov:wasAttributedTo ?person ; prov:generatedAtTime ?when .
    ?person a prov:Person ; rdfs:label ?who .
  }
}
ORDER BY ?conf
"""
)


@pytest.fixture(scope="module")
def trig(snap: Snapshot, tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    out = tmp_path_factory.mktemp("prov") / "project.trig"
    export(snap, "trig", out)
    return parse_bytes(Path(out).read_bytes(), "trig")


def test_sparql_finds_document_sentence_model_confidence_and_confirmer(trig: Dataset) -> None:
    results = trig.query(WHERE_FROM, initBindings={"name": Literal(NAMES["e-1"])})
    rows = [{k: v.toPython() for k, v in row.asdict().items()} for row in results]  # type: ignore[union-attr]
    assert len(rows) == 2  # Work_For stated twice in D1, by two models
    first, second = rows
    assert first["hash"] == D1 and first["source"] == "/home/ana/My Docs/report #1 (final).pdf"
    assert str(first["g"]).endswith(f"graph/{D1}")
    assert first["text"].startswith('Ann "The Hammer" O\'Neil works for')
    assert (first["sstart"], first["send"]) == (0, 60)
    assert (first["start"], first["end"]) == (10, 25)
    assert first["model"] == RULES and first["conf"] == Decimal("0.9")
    assert first["status"] == "accepted" and first["who"] == DANA
    assert first["when"].isoformat() == CONFIRMED_AT
    assert second["model"] == NER and second["conf"] == Decimal("0.95")
    assert "who" not in second and "when" not in second
    assert second["text"].startswith("Acme is based in")


def test_sparql_finds_a_mentions_span_and_extractor(trig: Dataset) -> None:
    query = (
        PREFIXES
        + """
    SELECT ?anchor ?label ?start ?end ?conf ?model ?entity WHERE {
      ?m a skein:Mention ; skein:anchorText ?anchor ; skein:entityType ?label ;
         skein:start ?start ; skein:end ?end ; skein:confidence ?conf ;
         skein:denotes ?e ; prov:wasAttributedTo ?agent .
      ?agent a prov:SoftwareAgent ; rdfs:label ?model .
      ?e rdfs:label ?entity .
      FILTER(?label = "LOC")
    } ORDER BY ?start"""
    )
    rows = [tuple(v.toPython() for v in row) for row in trig.query(query)]  # type: ignore[union-attr]
    assert rows == [
        (NAMES["e-3"], "LOC", 30, 35, Decimal("0.5"), NER, NAMES["e-3"]),
        (NAMES["e-3"], "LOC", 50, 55, Decimal("0.5"), NER, NAMES["e-3"]),
    ]


def test_a_person_added_span_is_attributed_to_the_person(trig: Dataset) -> None:
    query = (
        PREFIXES
        + """
    SELECT ?who ?when WHERE {
      ?m a skein:Mention ; skein:status "accepted" ; prov:wasAttributedTo ?p ;
         skein:confirmedAt ?when .
      ?p a prov:Person ; rdfs:label ?who .
      FILTER NOT EXISTS { ?m prov:wasGeneratedBy ?any }
    }"""
    )
    rows = [(str(r.who), str(r.when)) for r in trig.query(query)]  # type: ignore[union-attr]
    assert rows == [('Bob <bob@example.org> "#1"', "last tuesday")]
