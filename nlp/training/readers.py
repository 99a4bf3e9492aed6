"""Readers for training corpora, looked up by format name or sniffed from the content.

Formats (see `formats`):

* ``conll`` -- CoNLL-2003 style: one token per line, 2 or more columns (``word POS chunk
  NER`` or just ``word tag``), whitespace- or tab-separated, the tag in the *last* column,
  IOB1 or IOB2; blank lines end sentences; ``-DOCSTART-`` lines start documents.
* ``spert`` -- a JSON array, one object per sentence with ``tokens``, ``entities``
  (``type``, ``start``, ``end``, end exclusive), ``relations`` (``type``, ``head``,
  ``tail`` = entity indexes) and optionally ``orig_id`` (CoNLL04, SciERC).

Malformed input raises `ValueError` naming the file and the line (CoNLL) or item (JSON).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from nlp.training.bio import from_bio, parse_tag, to_bio
from nlp.training.examples import Example, RelLabel, SpanLabel

__all__ = [
    "CONLL04_TO_DEFAULT",
    "Format",
    "formats",
    "from_bio",
    "normalise_labels",
    "read_conll",
    "read_examples",
    "read_spert",
    "register_format",
    "to_bio",
]

CONLL04_TO_DEFAULT: Mapping[str, str] = {"Peop": "PER", "Org": "ORG", "Loc": "LOC", "Other": "MISC"}
"""CoNLL04 entity types -> the CoNLL-2003 types the default model uses."""

Reader = Callable[[Path], list[Example]]
Sniffer = Callable[[str], bool]

_SNIFF_CHARS = 64 * 1024
_TAG = re.compile(r"^(?:O|[BIES]-\S+)$")
_DOCSTART = "-DOCSTART-"
T = TypeVar("T")


@dataclass(frozen=True)
class Format:
    """A registered corpus format: ``sniff`` gets the start of the file as text."""

    name: str
    read: Reader
    sniff: Sniffer


_FORMATS: dict[str, Format] = {}


def register_format(name: str, sniff: Sniffer) -> Callable[[Reader], Reader]:
    """Decorator: register ``reader`` under ``name``; ``sniff`` recognises its content."""

    def wrap(reader: Reader) -> Reader:
        _FORMATS[name] = Format(name, reader, sniff)
        return reader

    return wrap


def formats() -> list[str]:
    """Registered format names, in sniffing order."""
    return list(_FORMATS)


def read_examples(path: str | Path, fmt: str | None = None) -> list[Example]:
    """Read a corpus file; ``fmt`` names the format, or it is sniffed from the content."""
    path = Path(path)
    if fmt is not None:
        if fmt not in _FORMATS:
            raise ValueError(f"unknown corpus format {fmt!r}; known: {', '.join(_FORMATS)}")
        return _FORMATS[fmt].read(path)
    head = _head(path)
    for candidate in _FORMATS.values():
        if candidate.sniff(head):
            return candidate.read(path)
    raise ValueError(
        f"{path}: cannot tell the corpus format; pass fmt= one of {', '.join(_FORMATS)}"
    )


def _head(path: Path) -> str:
    """The first complete lines of the file (up to 64 KiB) as text."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read(_SNIFF_CHARS)
    if len(text) == _SNIFF_CHARS and "\n" in text:
        text = text[: text.rindex("\n")]
    return text


# --- SpERT JSON ------------------------------------------------------------------------


def _sniff_spert(head: str) -> bool:
    return re.match(r"\s*\[\s*(?:\{|\]|$)", head) is not None


@register_format("spert", _sniff_spert)
def read_spert(path: str | Path) -> list[Example]:
    """Read a SpERT-style JSON array (CoNLL04, SciERC), one object per sentence.

    ``doc_id`` is ``str(orig_id)`` when the item has one (sentences sharing an ``orig_id``
    form one document, ``index`` counting in file order), else ``f"{stem}-{item}"``.
    """
    path = Path(path)
    with open(path, encoding="utf-8") as f:
        try:
            data = json.load(f)
        except json.JSONDecodeError as err:
            raise ValueError(f"{path}: not valid JSON: {err}") from err
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a JSON array of sentences, got {type(data).__name__}")
    seen: Counter[str] = Counter()
    examples = []
    for i, item in enumerate(data):
        where = f"{path}: item {i}"
        if not isinstance(item, dict):
            raise ValueError(f"{where}: expected an object, got {type(item).__name__}")
        orig = item.get("orig_id")
        doc_id = f"{path.stem}-{i}" if orig is None else str(orig)
        tokens, entities, relations = _spert_item(item, where)
        examples.append(Example(tokens, entities, relations, doc_id, seen[doc_id]))
        seen[doc_id] += 1
    return examples


def _spert_item(
    item: dict[str, Any], where: str
) -> tuple[tuple[str, ...], tuple[SpanLabel, ...], tuple[RelLabel, ...]]:
    tokens = item.get("tokens")
    if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
        raise ValueError(f"{where}: 'tokens' must be a list of strings")
    n = len(tokens)
    entities = []
    for j, ent in enumerate(_list_of_objects(item, "entities", where)):
        label = _field(ent, "type", str)
        start, end = _field(ent, "start", int), _field(ent, "end", int)
        if label is None or start is None or end is None:
            raise ValueError(f"{where}: entity {j}: needs 'type' (str), 'start' and 'end' (int)")
        if not 0 <= start < end <= n:
            raise ValueError(
                f"{where}: entity {j}: span [{start}, {end}) is not inside the {n} tokens"
            )
        entities.append(SpanLabel(start, end, label))
    relations = []
    for j, rel in enumerate(_list_of_objects(item, "relations", where)):
        label = _field(rel, "type", str)
        head, tail = _field(rel, "head", int), _field(rel, "tail", int)
        if label is None or head is None or tail is None:
            raise ValueError(f"{where}: relation {j}: needs 'type' (str), 'head' and 'tail' (int)")
        for role, k in (("head", head), ("tail", tail)):
            if not 0 <= k < len(entities):
                raise ValueError(
                    f"{where}: relation {j}: {role} {k} is not an index into the "
                    f"{len(entities)} entities"
                )
        relations.append(RelLabel(head, tail, label))
    return tuple(tokens), tuple(entities), tuple(relations)


def _list_of_objects(item: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    value = item.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ValueError(f"{where}: '{key}' must be a list of objects")
    return value


def _field(obj: dict[str, Any], key: str, kind: type[T]) -> T | None:
    value = obj.get(key)
    if isinstance(value, bool) or not isinstance(value, kind):
        return None
    return value


# --- CoNLL ------------------------------------------------------------------------------


def _columns(line: str) -> list[str]:
    line = line.rstrip("\r\n")
    return [c.strip() for c in line.split("\t")] if "\t" in line else line.split()


def _sniff_conll(head: str) -> bool:
    rows = [_columns(line) for line in head.splitlines() if line.strip()]
    rows = [r for r in rows if r[0] != _DOCSTART][:20]
    return bool(rows) and all(2 <= len(r) <= 4 and _TAG.match(r[-1]) for r in rows)


Row = tuple[int, list[str]]


def _conll_blocks(lines: Iterable[str]) -> Iterator[list[Row] | None]:
    """Sentences as ``(line number, columns)`` rows; ``None`` marks a ``-DOCSTART-``."""
    rows: list[Row] = []
    for lineno, line in enumerate(lines, 1):
        cols = _columns(line) if line.strip() else []
        if not cols or cols[0] == _DOCSTART:
            if rows:
                yield rows
                rows = []
            if cols:
                yield None
            continue
        rows.append((lineno, cols))
    if rows:
        yield rows


@register_format("conll", _sniff_conll)
def read_conll(path: str | Path) -> list[Example]:
    """Read a CoNLL-2003 style file (IOB1 or IOB2 tags in the last column).

    Documents are numbered from 0 in file order, ``doc_id = f"{stem}-{n}"``; a
    ``-DOCSTART-`` starts a new one unless the current one is still empty, so text before
    the first ``-DOCSTART-`` (or a file without any) is document 0. Tags are decoded with
    the conlleval convention (`nlp.training.bio`), which reads IOB1 and IOB2 alike.
    """
    path = Path(path)
    examples: list[Example] = []
    doc, index = 0, 0
    ncols: tuple[int, int] | None = None  # (column count, first line with it)
    with open(path, encoding="utf-8") as f:
        for block in _conll_blocks(f):
            if block is None:
                if index:
                    doc, index = doc + 1, 0
                continue
            tokens, tags = [], []
            for lineno, cols in block:
                ncols = ncols or (len(cols), lineno)
                _check_row(path, lineno, cols, ncols)
                tokens.append(cols[0])
                tags.append(cols[-1])
            spans = from_bio(tags)
            examples.append(Example(tuple(tokens), tuple(spans), (), f"{path.stem}-{doc}", index))
            index += 1
    return examples


def _check_row(path: Path, lineno: int, cols: list[str], ncols: tuple[int, int]) -> None:
    where = f"{path}:{lineno}"
    if len(cols) < 2:
        raise ValueError(f"{where}: expected 'word ... tag' (2 or more columns), got {cols!r}")
    if len(cols) != ncols[0]:
        raise ValueError(
            f"{where}: expected {ncols[0]} columns (as on line {ncols[1]}), got {len(cols)}"
        )
    if not all(cols):
        raise ValueError(f"{where}: empty column in {cols!r}")
    try:
        parse_tag(cols[-1])
    except ValueError as err:
        raise ValueError(f"{where}: {err}") from None


# --- labels -----------------------------------------------------------------------------


def normalise_labels(
    examples: Iterable[Example],
    mapping: Mapping[str, str],
    relation_mapping: Mapping[str, str] | None = None,
) -> list[Example]:
    """Rename entity (and optionally relation) types; unmapped types stay as they are.

    ``normalise_labels(conll04, CONLL04_TO_DEFAULT)`` gives CoNLL-2003 types; SciERC's
    types have no counterpart and are kept (pass an empty mapping or skip the call).
    """
    rel_map = relation_mapping or {}
    return [
        dataclasses.replace(
            ex,
            entities=tuple(
                SpanLabel(e.start, e.end, mapping.get(e.label, e.label)) for e in ex.entities
            ),
            relations=tuple(
                RelLabel(r.head, r.tail, rel_map.get(r.label, r.label)) for r in ex.relations
            ),
        )
        for ex in examples
    ]
