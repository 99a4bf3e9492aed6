"""Background knowledge: another tool's RDF imported as known entities, safely and in a stream."""

from __future__ import annotations

import gzip
import itertools
import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdf_samples import BOB, DANA
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import FOAF, RDF, RDFS, SKOS

from desktop.cli import main as cli_main
from kg.rdf.background import RdfImportError, import_rdf, known_entity_index
from kg.rdf.facts import clean, select
from kg.rdf.formats import export
from kg.rdf.iri import segment
from kg.rdf.sources import SCAN_BLOCK
from kg.rdf.writers import dataset_to_jsonld
from kg.records import Snapshot
from kg.store import Project
from nlp.progress import Cancelled, CancelToken, Progress, run

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*")

SDO = Namespace("http://schema.org/")
DBO = Namespace("http://dbpedia.org/ontology/")
EX = Namespace("http://example.org/")
GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
ZURICH = URIRef("http://example.org/ünïcode/Zürich")
ODD = URIRef("http://example.org/a%20b?x=1&y=(2)#frag-ment")
UUID = URIRef("urn:uuid:123e4567-e89b-12d3-a456-426614174000")
TAG = URIRef("tag:example.org,2024:person/1")


def sample_graph() -> Graph:
    """Entities with odd IRIs, language tags, quotes and a blank node; plus schema that must
    not become entities."""
    g = Graph()
    g.add((EX.alice, RDF.type, SDO.Person))
    g.add((EX.alice, SDO.name, Literal('Alice "Ally" O\'Neil')))
    g.add((EX.alice, FOAF.nick, Literal("Ally")))
    g.add((EX.alice, SDO.alternateName, Literal("A. O'Neil")))
    g.add((EX.alice, EX.worksFor, EX.acme))
    g.add((EX.acme, RDF.type, FOAF.Organization))
    g.add((EX.acme, SKOS.prefLabel, Literal("Acme Corp.", lang="en")))
    g.add((EX.acme, SKOS.prefLabel, Literal("Acmé SA", lang="fr")))
    g.add((EX.acme, SKOS.altLabel, Literal("ACME")))
    g.add((ZURICH, RDF.type, DBO.Place))
    g.add((ZURICH, RDFS.label, Literal("Zürich", lang="de")))
    g.add((ZURICH, RDFS.label, Literal("Zurich", lang="en-GB")))
    g.add((ZURICH, RDFS.label, Literal("Zurigo", lang="it")))
    g.add((ODD, RDF.type, GEO.SpatialThing))
    g.add((ODD, FOAF.name, Literal("Odd\nplace\twith  spaces 🇨🇭")))
    g.add((UUID, RDF.type, DBO.Organisation))
    g.add((UUID, RDFS.label, Literal("Uuid Org")))
    g.add((TAG, RDF.type, EX.Spy))
    g.add((TAG, RDFS.label, Literal("Agent Tag")))
    source = BNode()
    g.add((source, RDF.type, SDO.Person))
    g.add((source, SDO.name, Literal("Anonymous Source")))
    g.add((EX.thing, RDFS.label, Literal("Untyped thing")))
    g.add((EX.Spy, RDF.type, RDFS.Class))
    g.add((EX.Spy, RDFS.label, Literal("Spy")))
    g.add((EX.worksFor, RDFS.label, Literal("works for")))
    g.add((EX.unnamed, RDF.type, SDO.Person))
    return g


EXPECTED = {
    (str(EX.alice), "PER", 'Alice "Ally" O\'Neil', ("A. O'Neil", "Ally")),
    (str(EX.acme), "ORG", "Acme Corp.", ("Acmé SA", "ACME")),
    (str(ZURICH), "LOC", "Zurich", ("Zurigo", "Zürich")),
    (str(ODD), "LOC", "Odd place with spaces 🇨🇭", ()),
    (str(UUID), "ORG", "Uuid Org", ()),
    (str(TAG), "MISC", "Agent Tag", ()),
    (str(EX.thing), "MISC", "Untyped thing", ()),
}
"""Plus the blank-node person (its IRI is made from its content)."""


def write(g: Graph, folder: Path, fmt: str) -> Path:
    """`g` in `fmt`; the dataset formats hold it in a named graph plus the default graph."""
    folder.mkdir(parents=True, exist_ok=True)
    suffix = {"turtle": "ttl", "nt": "nt", "xml": "rdf", "nquads": "nq", "trig": "trig",
              "jsonld": "jsonld"}[fmt]
    path = folder / f"kg.{suffix}"
    if fmt in ("turtle", "nt", "xml"):
        g.serialize(destination=path, format=fmt, encoding="utf-8")
        return path
    ds = Dataset()
    named = ds.graph(URIRef("http://example.org/graph/1"))
    for i, t in enumerate(sorted(g)):
        (named if i % 2 else ds).add(t)
    if fmt == "jsonld":
        path.write_text(json.dumps(dataset_to_jsonld(ds)), encoding="utf-8")
    else:
        ds.serialize(destination=path, format=fmt, encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    with Project.create(tmp_path / "p.skein") as p:
        yield p


Row = tuple[str, str, str, tuple[str, ...]]


def rows(project: Project, source: Path | None = None) -> set[Row]:
    sql = "SELECT iri, label, name, aliases, source FROM known_entities"
    return {
        (iri, label, name, tuple(json.loads(aliases)))
        for iri, label, name, aliases, src in project.query(sql)
        if source is None or src == str(source.resolve())
    }


@pytest.mark.parametrize("fmt", ["turtle", "nt", "xml", "nquads", "trig", "jsonld"])
def test_every_format_gives_the_same_entities(project: Project, tmp_path: Path, fmt: str) -> None:
    path = write(sample_graph(), tmp_path / fmt, fmt)
    report = run(import_rdf(project, path))
    got = rows(project)
    blank = {r for r in got if r[0].startswith("urn:skein:known:")}
    assert got - blank == EXPECTED
    assert [(label, name) for _, label, name, _ in blank] == [("PER", "Anonymous Source")]
    assert report.entities == len(EXPECTED) + 1 and report.blank == 1
    assert report.triples == len(sample_graph()) and report.format == fmt
    assert dict(report.labels) == {"PER": 2, "ORG": 2, "LOC": 2, "MISC": 2}


def test_blank_node_iri_is_the_same_in_every_format(project: Project, tmp_path: Path) -> None:
    iris = set()
    for fmt in ("turtle", "xml", "jsonld"):
        with Project.create(tmp_path / f"{fmt}.skein") as p:
            run(import_rdf(p, write(sample_graph(), tmp_path / fmt, fmt)))
            iris |= {r[0] for r in rows(p) if r[0].startswith("urn:skein:known:")}
    assert len(iris) == 1


_names = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Project, Path]]:
    folder = tmp_path_factory.mktemp("shared")
    with Project.create(folder / "p.skein") as p:
        yield p, folder


@settings(max_examples=25, deadline=None)
@given(name=_names, alias=_names, lang=st.sampled_from([None, "en", "de-CH", "x-klingon"]))
def test_any_name_survives_turtle_and_ntriples(shared: tuple[Project, Path], name: str,
                                               alias: str, lang: str | None) -> None:
    project, tmp = shared
    g = Graph()
    g.add((EX.x, RDF.type, SDO.Person))
    g.add((EX.x, RDFS.label, Literal(name, lang=lang)))
    g.add((EX.x, SKOS.altLabel, Literal(alias)))
    want_name, want_alias = " ".join(name.split()), " ".join(alias.split())
    aliases = (want_alias,) if want_alias and want_alias != want_name else ()
    want = {(str(EX.x), "PER", want_name, aliases)} if want_name else set()
    for fmt in ("turtle", "nt"):
        path = write(g, tmp / uuid.uuid4().hex, fmt)
        run(import_rdf(project, path))
        assert rows(project, path) == want


def test_gzip_relative_iris_and_format_override(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "data.ttl.gz"
    path.write_bytes(gzip.compress(
        b'@prefix s: <http://schema.org/> .\n<people/bob> a s:Person ; s:name "Bob" .\n'))
    run(import_rdf(project, path))
    assert rows(project) == {("https://import.skein.invalid/people/bob", "PER", "Bob", ())}
    odd_name = tmp_path / "export.data"
    odd_name.write_bytes(b'<http://e.org/x> <http://www.w3.org/2000/01/rdf-schema#label> "X" .\n')
    with pytest.raises(RdfImportError, match=r"export\.data.*cannot tell the RDF format"):
        run(import_rdf(project, odd_name))
    assert run(import_rdf(project, odd_name, format="n-triples")).entities == 1


def test_type_map_wins_and_maps_unknown_classes(project: Project, tmp_path: Path) -> None:
    path = write(sample_graph(), tmp_path, "turtle")
    run(import_rdf(project, path, type_map={str(EX.Spy): "SPY", str(DBO.Place): "GPE"}))
    labels = {iri: label for iri, label, _, _ in rows(project)}
    assert labels[str(TAG)] == "SPY" and labels[str(ZURICH)] == "GPE"
    assert labels[str(EX.alice)] == "PER"


def test_reimport_replaces_only_that_files_rows(project: Project, tmp_path: Path) -> None:
    first = write(sample_graph(), tmp_path / "a", "turtle")
    other = tmp_path / "other.nt"
    other.write_text('<http://e.org/z> <http://www.w3.org/2000/01/rdf-schema#label> "Zed" .\n',
                     encoding="utf-8")
    run(import_rdf(project, other))
    run(import_rdf(project, first))
    before = rows(project)
    again = run(import_rdf(project, first))
    assert rows(project) == before and again.replaced == again.entities == 8
    smaller = sample_graph()
    smaller.remove((EX.acme, None, None))
    write(smaller, tmp_path / "a", "turtle")
    run(import_rdf(project, first))
    assert {r[0] for r in before} - {r[0] for r in rows(project)} == {str(EX.acme)}
    assert ("http://e.org/z", "MISC", "Zed", ()) in rows(project, other)


def test_skein_export_reimports_its_entities(project: Project, tmp_path: Path,
                                             snap: Snapshot) -> None:
    """Entities keep their type (custom labels through their generated class's label) and
    names; documents, models, mentions, assertions, classes and properties are not entities."""
    base = "urn:skein:project:x:"
    out = export(snap, "turtle", tmp_path / "skein.ttl", base=base).path
    run(import_rdf(project, out))
    got = {iri: (label, name) for iri, label, name, _ in rows(project)}
    exported = select(snap).entities.values()
    expected = {f"{base}entity/{segment(e.id)}": (e.label, " ".join(clean(e.name).split()))
                for e in exported}
    assert len(expected) >= 6 and "DISEASE / illness" in {v[0] for v in expected.values()}
    people = {iri: v for iri, v in got.items() if iri.startswith(base + "person/")}
    assert {iri: v for iri, v in got.items() if iri not in people} == expected
    assert sorted(name for _, name in people.values()) == sorted(
        [DANA, " ".join(BOB.split())])  # the reviewers, as prov:Person


def test_known_entity_index(project: Project, tmp_path: Path) -> None:
    run(import_rdf(project, write(sample_graph(), tmp_path, "nt")))
    paris = tmp_path / "paris.ttl"
    paris.write_text(
        "@prefix s: <http://schema.org/> .\n"
        '<http://e.org/paris-city> a s:City ; s:name "Paris" .\n'
        '<http://e.org/paris-hilton> a s:Person ; s:name "Paris Hilton" ; '
        's:alternateName "Paris" .\n', encoding="utf-8")
    run(import_rdf(project, paris))
    index = known_entity_index(project)
    assert [e.iri for e in index.find("the ACME corp")] == [str(EX.acme)]
    assert index.find("acme")[0].name == "Acme Corp."
    assert index.find("Mr. Ally")[0] == (str(EX.alice), "PER", 'Alice "Ally" O\'Neil')
    assert index.find("zurigo")[0].label == "LOC"
    # a name that is one entity's name and another's alias: the named one first
    assert [e.iri for e in index.find("PARIS")] == ["http://e.org/paris-city",
                                                     "http://e.org/paris-hilton"]
    assert index.find("nobody") == () and "" not in index
    assert all(key == key.casefold() for key in index)


REMOTE_JSONLD = {"@context": "https://example.invalid/ctx.jsonld", "@id": "http://e.org/x",
                 "name": "X"}
NETWORK_EVENTS = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname",
                  "urllib.Request"}
_watch: dict[str, Any] = {"on": False, "seen": []}


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _watch["on"] and event in NETWORK_EVENTS:
        _watch["seen"].append(event)
        raise RuntimeError(f"network access during an import: {event}")


sys.addaudithook(_audit)  # only acts while _watch["on"]


@pytest.mark.parametrize("document", [
    REMOTE_JSONLD,
    [{"@context": [{"s": "http://schema.org/"}, "https://example.invalid/c"], "@id": "x:y"}],
    {"@context": {"@import": "https://example.invalid/c"}, "@id": "http://e.org/x"},
])
def test_remote_jsonld_context_refused_without_network(project: Project, tmp_path: Path,
                                                       document: Any) -> None:
    path = tmp_path / "remote.jsonld"
    path.write_text(json.dumps(document), encoding="utf-8")
    _watch["on"], _watch["seen"] = True, []
    try:
        with pytest.raises(RdfImportError, match=r"remote\.jsonld.*remote JSON-LD context"):
            run(import_rdf(project, path))
    finally:
        _watch["on"] = False
    assert _watch["seen"] == [] and rows(project) == set()


LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:s="http://schema.org/">
  <rdf:Description rdf:about="http://e.org/x"><s:name>&b;</s:name></rdf:Description>
</rdf:RDF>
"""


def test_xml_with_a_dtd_is_refused(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "laughs.rdf"
    path.write_bytes(LAUGHS)
    with pytest.raises(RdfImportError, match=r"laughs\.rdf.*DOCTYPE or ENTITY"):
        run(import_rdf(project, path))
    # the same across the scanner's block boundary, and in UTF-16
    head = b'<?xml version="1.0"?>\n<!--'
    pad = b"x" * (SCAN_BLOCK - len(head) - 3 - 4)
    straddling = tmp_path / "straddling.rdf"
    straddling.write_bytes(head + pad + b"-->\n" + LAUGHS.split(b"\n", 1)[1])
    assert straddling.read_bytes().index(b"<!DOCTYPE") < SCAN_BLOCK < (
        straddling.read_bytes().index(b"<!DOCTYPE") + 9)
    with pytest.raises(RdfImportError, match="DOCTYPE or ENTITY"):
        run(import_rdf(project, straddling))
    wide = tmp_path / "wide.rdf"
    wide.write_bytes(LAUGHS.decode().replace('"1.0"?', '"1.0" encoding="utf-16"?').encode("utf-16"))
    with pytest.raises(RdfImportError, match="DOCTYPE or ENTITY"):
        run(import_rdf(project, wide))
    assert rows(project) == set()


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("broken.ttl", b"@prefix s: <http://schema.org/> .\n<http://e.org/x> s:name \"open .\n",
     r"broken\.ttl: not valid Turtle: .*"),
    ("broken.nt", b'<http://e.org/x> <http://e.org/p> "a" .\n<not an iri> <p> "b" .\n',
     r"broken\.nt: not valid N-Triples"),
    ("broken.jsonld", b'{"@id": ', r"broken\.jsonld: not JSON"),
    ("broken.nt.gz", b"not gzip at all", r"broken\.nt\.gz: cannot read"),
])
def test_bad_input_names_the_file_and_the_reason(project: Project, tmp_path: Path, name: str,
                                                 data: bytes, reason: str) -> None:
    good = tmp_path / "good.nt"
    good.write_text('<http://e.org/g> <http://schema.org/name> "Good" .\n', encoding="utf-8")
    run(import_rdf(project, good))
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(RdfImportError, match=reason):
        run(import_rdf(project, path))
    with pytest.raises(RdfImportError, match=r"missing\.ttl: cannot read"):
        run(import_rdf(project, tmp_path / "missing.ttl"))
    assert rows(project) == {("http://e.org/g", "MISC", "Good", ())}


BIG_TRIPLES = 200_000


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """200,000 N-Triples: 10,000 typed, labelled entities with 17 other statements each."""
    path = tmp_path_factory.mktemp("big") / "big.nt"
    types = ["<http://schema.org/Person>", "<http://schema.org/Organization>",
             "<http://schema.org/Place>", "<http://example.org/Thing>"]
    with open(path, "w", encoding="utf-8") as out:
        for i in range(BIG_TRIPLES // 20):
            s = f"<http://example.org/entity/{i}>"
            out.write(f"{s} <{RDF.type}> {types[i % 4]} .\n"
                      f'{s} <{RDFS.label}> "Entity number {i}"@en .\n'
                      f'{s} <{SKOS.altLabel}> "E{i}" .\n')
            out.writelines(f'{s} <http://example.org/p{k}> "value {k} of entity {i}, padded '
                           f'to a realistic length" .\n' for k in range(17))
    return path


def test_a_large_file_streams(project: Project, big_file: Path) -> None:
    steps: list[Progress] = []
    report = run(import_rdf(project, big_file), steps.append)
    assert report.triples == BIG_TRIPLES and report.entities == BIG_TRIPLES // 20
    reading = [s for s in steps if s.stage == "import" and s.message.endswith("triples")]
    assert len(reading) >= 5  # the file is read bit by bit, with progress on the way
    assert all(0 < a.done < b.done <= a.total for a, b in itertools.pairwise(reading))
    assert reading[0].done < reading[0].total // 4  # not the whole file read before the first


MEMORY_PROBE = """
import json, sys
import pyoxigraph as ox
import kg.rdf.parse  # rdflib: loaded before the baseline, as the import loads it anyway
from kg.store import Project
from kg.rdf.background import import_rdf
from nlp.progress import run

def status(key):
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith(key))

project = Project.create(sys.argv[2])
base = status("VmRSS:")
run(import_rdf(project, sys.argv[1]))
after_import = status("VmHWM:")
held = list(ox.parse(path=sys.argv[1]))
print(json.dumps([base, after_import, status("VmHWM:"), len(held)]))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
def test_a_large_import_does_not_hold_the_triples(big_file: Path, tmp_path: Path) -> None:
    """Peak memory of the import, against holding the same triples at once (in one process)."""
    out = subprocess.run([sys.executable, "-c", MEMORY_PROBE, str(big_file),
                          str(tmp_path / "m.skein")], capture_output=True, text=True,
                         check=True, timeout=120).stdout
    base, after_import, after_all, held = json.loads(out)
    assert held == BIG_TRIPLES
    import_growth, holding_growth = after_import - base, after_all - after_import
    assert import_growth * 2 < holding_growth, (base, after_import, after_all)


def test_cancel_leaves_the_project_as_it_was(project: Project, tmp_path: Path,
                                             big_file: Path) -> None:
    small = write(sample_graph(), tmp_path, "turtle")
    run(import_rdf(project, small))
    before = rows(project)
    cancel = CancelToken()
    work = import_rdf(project, big_file, cancel=cancel)
    with pytest.raises(Cancelled):
        for step in work:
            if step.done:
                cancel.cancel()
    assert rows(project) == before


def test_cli_import_rdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(sample_graph(), tmp_path, "turtle")
    Project.create(tmp_path / "cli.skein").close()
    args = ["import-rdf", "--project", str(tmp_path / "cli.skein"), str(path),
            "--type", f"{EX.Spy}=SPY"]
    assert cli_main(args) == 0
    out = capsys.readouterr().out
    assert "imported 8 known entities" in out and "1 SPY" in out
    bad = tmp_path / "bad.ttl"
    bad.write_text("<x", encoding="utf-8")
    assert cli_main(["import-rdf", "-p", str(tmp_path / "cli.skein"), str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("skein: ") and "bad.ttl" in err and "Traceback" not in err
