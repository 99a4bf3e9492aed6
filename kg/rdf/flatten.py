"""A project's dataset as ONE graph of N-Triples, for pushing to a shared store.

The project's RDF is a dataset (`kg.rdf.mapping`): provenance in the default graph, the facts of
each document in that document's named graph. A shared store gets one named graph per project,
so the dataset is flattened into the union of its graphs, exactly what the triples-only exports
(Turtle, N-Triples, RDF/XML) hold. No provenance is lost on the way: every fact of a document
graph also has its reified ``skein:Assertion`` in the default graph, naming the document graph
(``skein:assertedIn``), the document and sentence (``prov:wasDerivedFrom``), the model, the
confidence and the reviewer, and each entity's typing is backed by mentions (``skein:denotes``)
in their documents; the document graphs themselves stay described (``skein:DocumentGraph``,
``prov:wasDerivedFrom`` their document). What the union drops is only the grouping of fact
triples into per-document graphs, which those triples restate.

The quads come from `kg.query.nquads` (the same quads as the export, without building an rdflib
dataset) and are written, deduplicated, to a binary stream, chunk by chunk, so the body of a
large push sits in a temporary file rather than in memory; the duplicate check keeps a 16-byte
digest per distinct triple.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

import pyoxigraph as ox

from kg.query.nquads import nquad_chunks
from kg.records import Snapshot
from nlp.progress import NEVER, CancelToken, Progress, Work

CHUNK_LINES = 50_000


@dataclass(frozen=True, slots=True)
class Flat:
    triples: int
    """Distinct triples written."""
    bytes: int


def _estimate(snap: Snapshot) -> int:
    """About how many quads `nquad_chunks` writes (for progress only)."""
    return (8 * len(snap.documents) + 7 * len(snap.sentences) + 3 * len(snap.entities)
            + 15 * len(snap.mentions) + 22 * len(snap.relations))


def triple_lines(snap: Snapshot, base: str) -> Iterator[list[bytes]]:
    """The distinct triples of the union of `snap`'s dataset as N-Triples lines, in chunks."""
    seen: set[bytes] = set()
    for chunk in nquad_chunks(snap, base, size=CHUNK_LINES):
        lines: list[bytes] = []
        for quad in ox.parse(chunk, format=ox.RdfFormat.N_QUADS):
            line = f"{quad.triple} .\n".encode()
            digest = hashlib.blake2b(line, digest_size=16).digest()
            if digest not in seen:
                seen.add(digest)
                lines.append(line)
        yield lines


def write_ntriples(
    snap: Snapshot, base: str, out: BinaryIO, *, cancel: CancelToken = NEVER
) -> Work[Flat]:
    """Write the union graph of `snap`'s dataset (records under `base`) to `out` as N-Triples."""
    total = max(_estimate(snap), 2)
    done = triples = size = 0
    yield Progress(0, total, "preparing the graph", "push")
    for lines in triple_lines(snap, base):
        cancel.check()
        for line in lines:
            out.write(line)
            size += len(line)
        triples += len(lines)
        done = min(done + CHUNK_LINES, total - 1)  # an estimate: the end comes with the push
        yield Progress(done, total, f"{triples:,} triples", "push")
    out.flush()
    return Flat(triples, size)
