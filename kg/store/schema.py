"""The project file's schema, as an ordered list of migrations.

`MIGRATIONS[i]` takes a file from schema version ``i`` to ``i + 1``; ``PRAGMA user_version``
records the version. Add a migration for every change; never edit a released one.
"""

from __future__ import annotations

APPLICATION_ID = 0x536B6E31  # "Skn1": marks a SQLite file as a Skein project

_V1 = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE documents (
    id TEXT PRIMARY KEY,                 -- sha256 of the source bytes
    source TEXT NOT NULL,
    format TEXT NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    segments TEXT NOT NULL,              -- JSON [[start, end, page, paragraph, kind], ...]
    metadata TEXT NOT NULL DEFAULT '[]',
    warnings TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL CHECK (status IN ('loaded', 'extracted', 'failed')),
    error TEXT,
    size INTEGER NOT NULL DEFAULT 0,
    mtime_ns INTEGER NOT NULL DEFAULT 0,
    added_at TEXT NOT NULL
);
CREATE INDEX documents_source ON documents(source);
CREATE TABLE sentences (
    id INTEGER PRIMARY KEY,
    document TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL CHECK (end > start),
    UNIQUE (document, idx)
);
CREATE TABLE models (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    description TEXT NOT NULL,
    config TEXT NOT NULL DEFAULT '{}',
    metrics TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL
);
CREATE TABLE entities (
    id TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    name TEXT NOT NULL,
    key TEXT NOT NULL,                   -- normalised name used for linking
    created_at TEXT NOT NULL,
    UNIQUE (label, key)
);
CREATE TABLE aliases (
    entity TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    alias TEXT NOT NULL,
    PRIMARY KEY (entity, alias)
);
CREATE TABLE mentions (
    id INTEGER PRIMARY KEY,
    document TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    sentence INTEGER NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL CHECK (end > start),
    text TEXT NOT NULL,
    label TEXT NOT NULL,
    confidence REAL NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
    model TEXT REFERENCES models(id),
    entity TEXT REFERENCES entities(id) ON DELETE SET NULL,
    status TEXT NOT NULL CHECK (status IN ('suggested', 'accepted', 'rejected')),
    confirmed_by TEXT,
    confirmed_at TEXT
);
CREATE INDEX mentions_document ON mentions(document, start);
CREATE INDEX mentions_entity ON mentions(entity);
CREATE TABLE relations (
    id INTEGER PRIMARY KEY,
    document TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    sentence INTEGER NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
    head INTEGER NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
    tail INTEGER NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    confidence REAL NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
    model TEXT REFERENCES models(id),
    status TEXT NOT NULL CHECK (status IN ('suggested', 'accepted', 'rejected')),
    confirmed_by TEXT,
    confirmed_at TEXT
);
CREATE INDEX relations_document ON relations(document);
CREATE TABLE corrections (               -- append-only log of every human edit
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user TEXT NOT NULL,
    action TEXT NOT NULL,
    document TEXT,
    payload TEXT NOT NULL                -- JSON
);
CREATE TRIGGER corrections_append_only_update BEFORE UPDATE ON corrections
BEGIN SELECT RAISE(ABORT, 'corrections are append-only'); END;
CREATE TRIGGER corrections_append_only_delete BEFORE DELETE ON corrections
BEGIN SELECT RAISE(ABORT, 'corrections are append-only'); END;
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    args TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'cancelled')),
    message TEXT NOT NULL DEFAULT '',
    started_at TEXT NOT NULL,
    finished_at TEXT
);
"""

# v2: entity resolution, review marks, background knowledge, link-prediction decisions.
_V2 = """
CREATE TABLE entity_merges (             -- `merged` is shown as, and exported into, `canonical`
    merged TEXT PRIMARY KEY REFERENCES entities(id) ON DELETE CASCADE,
    canonical TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    score REAL NOT NULL CHECK (score >= 0 AND score <= 1),
    reason TEXT NOT NULL,                -- e.g. 'acronym', 'partial-name', 'embedding 0.91', 'user'
    method TEXT NOT NULL CHECK (method IN ('auto', 'user')),
    created_at TEXT NOT NULL,
    CHECK (merged <> canonical)
);
CREATE INDEX entity_merges_canonical ON entity_merges(canonical);
CREATE TABLE entity_decisions (          -- a person's merge/split, kept across re-extraction
    id INTEGER PRIMARY KEY,
    a TEXT NOT NULL,                     -- entity ids are stable: hash of (type, normalised name)
    b TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('same', 'different')),
    user TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX entity_decisions_pair ON entity_decisions(a, b);
CREATE TABLE sentence_reviews (          -- an annotator has checked every span in this sentence
    sentence INTEGER PRIMARY KEY REFERENCES sentences(id) ON DELETE CASCADE,
    user TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE TABLE known_entities (            -- background knowledge imported from RDF
    iri TEXT PRIMARY KEY,
    label TEXT NOT NULL,                 -- Skein entity type (PER, ORG, LOC, MISC, ...)
    name TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '[]',  -- JSON list of other names
    source TEXT NOT NULL,                -- the imported file
    imported_at TEXT NOT NULL
);
CREATE TABLE link_decisions (            -- accepted/rejected link predictions, remembered
    head TEXT NOT NULL,
    relation TEXT NOT NULL,
    tail TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('accepted', 'rejected')),
    score REAL,
    model TEXT,
    user TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (head, relation, tail)
);
"""

MIGRATIONS: tuple[str, ...] = (_V1, _V2)
SCHEMA_VERSION = len(MIGRATIONS)
