"""What resolution reads from a project, in one read transaction: entities with their
mention counts, which entities each document mentions, acronyms defined in the text
(``the Department of Justice (DOJ)``) and the known entities imported from RDF."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.resolve.names import acronym_letters, deep_words, words
from kg.resolve.types import EntityInfo

if TYPE_CHECKING:
    from kg.store.project import Project

_TOKEN = re.compile(r"\w+")
_PAREN = re.compile(r"\(\s*([^()\n]{2,80}?)\s*\)")


@dataclass(frozen=True, slots=True)
class Definition:
    """``long (SHORT)`` or ``SHORT (long)`` in one document."""

    document: str
    letters: str
    """The short form's letters (`acronym_letters`)."""
    long_words: tuple[str, ...]
    """The long form's words (`kg.resolve.names.words`)."""
    long_entity: str | None
    """The entity of the mention that is exactly the long form, when there is one."""


@dataclass(frozen=True, slots=True)
class KnownEntity:
    iri: str
    label: str
    names: tuple[str, ...]
    """The name, then the aliases."""


@dataclass(frozen=True, slots=True)
class Corpus:
    entities: dict[str, EntityInfo]
    documents: dict[str, frozenset[str]]
    """Document id -> the entities its mentions (not rejected) are linked to."""
    definitions: tuple[Definition, ...]
    known: tuple[KnownEntity, ...]
    common: frozenset[tuple[str, str]] = frozenset()
    """(entity, document) where the one-word name of a person entity that shares its family
    name with a full name is also written in lower case, as a word (``Section``, ``Rules``,
    ``Before``: a common word an extractor took for a name, not a person's family name)."""


def read_entities(con: sqlite3.Connection) -> dict[str, EntityInfo]:
    counts = dict(con.execute(
        "SELECT entity, count(*) FROM mentions WHERE entity IS NOT NULL AND status != 'rejected'"
        " GROUP BY entity"
    ).fetchall())
    return {
        eid: EntityInfo(eid, label, name, int(counts.get(eid, 0)), deep_words(name, label))
        for eid, label, name in con.execute("SELECT id, label, name FROM entities ORDER BY id")
    }


def read_known(con: sqlite3.Connection) -> tuple[KnownEntity, ...]:
    out = []
    for iri, label, name, aliases in con.execute(
        "SELECT iri, label, name, aliases FROM known_entities ORDER BY iri"
    ):
        try:
            extra = json.loads(aliases)
        except ValueError:
            extra = []
        names = [name, *(a for a in extra if isinstance(a, str))] if isinstance(extra, list) \
            else [name]
        out.append(KnownEntity(iri, label, tuple(dict.fromkeys(n for n in names if n))))
    return tuple(out)


def read_corpus(project: Project) -> Corpus:
    with project.transaction() as con:  # one consistent view
        entities = read_entities(con)
        docs: dict[str, set[str]] = defaultdict(set)
        spans: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        for doc, start, end, eid in con.execute(
            "SELECT document, start, end, entity FROM mentions"
            " WHERE entity IS NOT NULL AND status != 'rejected'"
        ):
            docs[doc].add(eid)
            spans[doc].append((start, end, eid))
        definitions: list[Definition] = []
        for doc, text in con.execute(
            "SELECT id, text FROM documents WHERE status = 'extracted' AND instr(text, '(') > 0"
        ):
            if doc in spans:
                definitions.extend(find_definitions(doc, text, spans[doc], entities))
        known = read_known(con)
        common = _common_words(con, entities, docs)
    return Corpus(entities, {d: frozenset(e) for d, e in docs.items()}, tuple(definitions), known,
                  common)


def _common_words(
    con: sqlite3.Connection, entities: dict[str, EntityInfo], docs: dict[str, set[str]]
) -> frozenset[tuple[str, str]]:
    families = {e.words[-1] for e in entities.values() if e.label == "PER" and len(e.words) > 1}
    singles = {e.id: e for e in entities.values()
               if e.label == "PER" and len(e.words) == 1 and e.words[0] in families}
    where: dict[str, list[str]] = defaultdict(list)
    for doc, ents in docs.items():
        for eid in ents & singles.keys():
            where[eid].append(doc)
    out: set[tuple[str, str]] = set()
    for eid, found in where.items():
        tokens = _TOKEN.findall(singles[eid].name)
        if not tokens:
            continue
        pattern = f"*[^A-Za-z]{tokens[-1].lower()}[^A-Za-z]*"
        for i in range(0, len(found), 500):
            chunk = found[i:i + 500]
            marks = ",".join("?" * len(chunk))
            out.update((eid, d) for (d,) in con.execute(
                f"SELECT id FROM documents WHERE id IN ({marks}) AND text GLOB ?",  # noqa: S608
                (*chunk, pattern),
            ))
    return frozenset(out)


def find_definitions(
    doc: str, text: str, spans: list[tuple[int, int, str]], entities: dict[str, EntityInfo]
) -> list[Definition]:
    """Acronyms defined in `text` next to a mention: ``long (SHORT)`` where a mention ends
    right before the parenthesis, or ``SHORT (long)`` where an acronym-shaped mention does."""
    ending: dict[int, list[tuple[int, str]]] = defaultdict(list)
    exact: dict[tuple[int, int], str] = {}
    for start, end, eid in spans:
        ending[end].append((start, eid))
        exact[(start, end)] = eid
    out = []
    for match in _PAREN.finditer(text):
        inner, (i0, i1) = match.group(1), match.span(1)
        end = match.start()
        while end > 0 and match.start() - end < 2 and text[end - 1] in " \t":
            end -= 1  # at most two spaces between the mention and '('
        for start, eid in ending.get(end, ()):
            outer = entities.get(eid)
            if outer is None:
                continue
            letters = acronym_letters(inner)
            if letters is not None and len(outer.words) >= 2:
                out.append(Definition(doc, letters, tuple(words(outer.name)), eid))
                continue
            letters = acronym_letters(text[start:end])
            inner_words = tuple(words(inner))
            if letters is not None and len(inner_words) >= 2:
                out.append(Definition(doc, letters, inner_words, exact.get((i0, i1))))
    return out
