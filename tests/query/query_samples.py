"""Documents and helpers shared by the query tests."""

from __future__ import annotations

from pathlib import Path

from kg.records import Snapshot

DOCS = {
    "a.txt": "Senator Maria Alvarez of New Mexico met officials of the Federal Trade Commission "
             "in Chicago.\n\nDr. Helen Park works for the National Cancer Institute in "
             "Baltimore, Maryland.",
    "b.txt": "Dr. Helen Park met Senator Maria Alvarez in Chicago.\n\nThe Federal Trade "
             "Commission is based in Washington. José Núñez works for Acme Inc. in Zürich.",
}
EXTRA = {"c.txt": "Dr. Rosa Quintero works for the Geological Survey in Denver, Colorado."}


def write_docs(folder: Path, docs: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in docs.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def entity_named(snap: Snapshot, name: str) -> str:
    return next(e.id for e in snap.entities if e.name == name)
